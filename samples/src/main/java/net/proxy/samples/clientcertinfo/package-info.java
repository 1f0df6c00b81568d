/**
 * {@code bin/proxy client-cert-info}: mutual TLS, with the client certificate read from the session's TLS digest.
 *
 * <pre>{@code
 * bin/proxy client-cert-info --listen 127.0.0.1:8443 --cert server.pem --key server.key --client-ca ca.pem
 * }</pre>
 */
package net.proxy.samples.clientcertinfo;
