/**
 * {@code bin/proxy tcp-proxy}: an L4 proxy with a deny-list filter and optional PROXY protocol.
 *
 * <pre>{@code
 * bin/proxy tcp-proxy --listen 127.0.0.1:7000 --upstream 127.0.0.1:8080 --proxy-protocol
 * }</pre>
 */
package net.proxy.samples.tcpproxy;
