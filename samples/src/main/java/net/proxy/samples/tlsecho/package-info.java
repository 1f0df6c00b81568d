/**
 * {@code bin/proxy tls-echo}: a TLS echo server with several certificates picked by SNI from
 * their subject alternative names and a {@code --deny} connection filter.
 *
 * <pre>{@code
 * bin/proxy tls-echo --listen 127.0.0.1:8443 --cert a.pem --key a.key --cert b.pem --key b.key
 * openssl s_client -connect 127.0.0.1:8443 -servername b.example
 * }</pre>
 */
package net.proxy.samples.tlsecho;
