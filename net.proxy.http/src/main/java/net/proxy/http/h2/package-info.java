/**
 * Conversions between HTTP/1 heads and Netty's {@code Http2Headers}, for proxying across protocol versions.
 *
 * <pre>{@code
 * Http2Headers h2 = Http2Conversions.toHttp2(RequestHeader.of("GET", "/"), "https");
 * RequestHeader h1 = Http2Conversions.toRequestHeader(h2);   // HTTP_2 version, Host from :authority
 * }</pre>
 *
 * <p>This package needs Netty's HTTP/2 codec, an optional dependency of {@code net.proxy.http}: a module using it
 * must have {@code io.netty.codec.http2} (Maven {@code io.netty:netty-codec-http2}) on its module path and declare
 * {@code requires io.netty.codec.http2;} itself. Without the codec every other package of the module works; only
 * this one fails to link ({@link java.lang.NoClassDefFoundError}).
 */
package net.proxy.http.h2;
