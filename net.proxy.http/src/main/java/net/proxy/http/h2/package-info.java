/**
 * Conversions between HTTP/1 heads and Netty's {@code Http2Headers}, for proxying across protocol versions.
 *
 * <pre>{@code
 * Http2Headers h2 = Http2Conversions.toHttp2(RequestHeader.of("GET", "/"), "https");
 * RequestHeader h1 = Http2Conversions.toRequestHeader(h2);   // HTTP_2 version, Host from :authority
 * }</pre>
 */
package net.proxy.http.h2;
