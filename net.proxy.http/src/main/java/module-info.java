/**
 * HTTP header types and a strict, incremental HTTP/1 parser and serializer.
 *
 * <p>{@code net.proxy.http} needs only the JDK; {@code net.proxy.http.netty} feeds Netty {@code ByteBuf}s to it
 * without copying and {@code net.proxy.http.h2} converts heads to and from Netty's {@code Http2Headers}.
 *
 * <p>The HTTP/1 packages need only {@code io.netty.buffer} and {@code io.netty.common} at run time. Netty's HTTP/2
 * codec is an optional ({@code requires static}) dependency used by {@code net.proxy.http.h2} alone: a module that
 * uses that package must put {@code io.netty.codec.http2} (Maven {@code io.netty:netty-codec-http2}) on its module
 * path and {@code requires io.netty.codec.http2} itself; without it the rest of this module works unchanged.
 */
module net.proxy.http {
    requires transitive io.netty.buffer;
    requires io.netty.common;
    // only net.proxy.http.h2 needs it; not transitive, or every module compiled against this one would need it
    requires static io.netty.codec.http2;

    exports net.proxy.http;
    exports net.proxy.http.h2;
    exports net.proxy.http.netty;
}
