/**
 * {@code bin/proxy gateway}: routing by host and path, header rewriting, local answers.
 *
 * <pre>{@code
 * bin/proxy gateway --listen 127.0.0.1:6190 --api 127.0.0.1:8001 --web 127.0.0.1:8002
 * }</pre>
 */
package net.proxy.samples.gateway;
