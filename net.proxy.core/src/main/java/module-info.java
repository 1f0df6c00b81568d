/**
 * The programmable HTTP proxy of net.proxy: phases in the manner of Pingora's {@code ProxyHttp}, upstream
 * connection pools, the server that hosts services, and {@link net.proxy.core.LoadBalancedProxy}, which puts a
 * {@code net.proxy.lb} load balancer in front of the proxy; {@code net.proxy.core.grpcweb} bridges gRPC-web clients to
 * gRPC origins.
 */
module net.proxy.core {
    requires transitive net.proxy.http;
    requires transitive net.proxy.tls;
    requires transitive net.proxy.l4;
    requires transitive net.proxy.lb;
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires net.proxy.timeout;
    requires transitive net.proxy.limits;
    requires io.netty.common;
    requires io.netty.codec.http2;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;

    exports net.proxy.core;
    exports net.proxy.core.grpcweb;
}
