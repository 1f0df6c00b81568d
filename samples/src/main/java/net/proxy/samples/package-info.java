/**
 * The samples launcher and its argument helper.
 *
 * <pre>{@code
 * bin/proxy --help
 * bin/proxy tls-echo --listen 127.0.0.1:8443 --cert a.pem --key a.key
 * }</pre>
 */
package net.proxy.samples;
