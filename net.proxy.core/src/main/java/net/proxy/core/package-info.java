/**
 * The proxy: errors ({@link net.proxy.core.ProxyError}) and background services.
 *
 * <pre>{@code
 * ProxyError e = ProxyError.of(ErrorKind.CONNECT_REFUSED, ErrorSource.UPSTREAM, "peer 127.0.0.1:8080");
 * int status = e.defaultStatus(); // 502
 * }</pre>
 */
package net.proxy.core;
