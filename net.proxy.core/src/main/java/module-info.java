/**
 * The programmable HTTP proxy of net.proxy: phases in the manner of Pingora's {@code ProxyHttp}, upstream
 * connection pools, load balancing and health checks, and the server that hosts services.
 */
module net.proxy.core {
    requires transitive net.proxy.http;
    requires transitive net.proxy.tls;
    requires transitive net.proxy.l4;
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires net.proxy.timeout;
    requires transitive net.proxy.limits;
    requires net.proxy.ketama;
    requires io.netty.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;

    exports net.proxy.core;
    exports net.proxy.core.lb;
}
