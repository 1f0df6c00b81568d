/**
 * HTTP header types and a strict, incremental HTTP/1 parser and serializer.
 *
 * <p>{@code net.proxy.http} needs only the JDK; {@code net.proxy.http.netty} feeds Netty {@code ByteBuf}s to it
 * without copying and {@code net.proxy.http.h2} converts heads to and from Netty's {@code Http2Headers}.
 */
module net.proxy.http {
    requires transitive io.netty.buffer;
    requires transitive io.netty.codec.http2;
    requires io.netty.common;

    exports net.proxy.http;
    exports net.proxy.http.h2;
    exports net.proxy.http.netty;
}
