/**
 * Layer 4 for net.proxy: listeners (TCP, Unix domain sockets, virtual streams), connectors, the
 * {@link net.proxy.l4.Stream} abstraction and its digest, {@link net.proxy.l4.ConnectionFilter},
 * PROXY protocol v1/v2 and the {@link net.proxy.l4.L4Proxy} service. Native epoll when available,
 * NIO otherwise.
 */
module net.proxy.l4 {
    requires transitive net.proxy.tls;
    requires transitive net.proxy.timeout;
    requires transitive io.netty.transport;
    requires io.netty.codec;
    requires io.netty.codec.haproxy;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;

    exports net.proxy.l4;
    exports net.proxy.l4.spi;
}
