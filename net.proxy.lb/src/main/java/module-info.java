/**
 * Load balancing for net.proxy, usable without the proxy engine (Pingora's {@code pingora-load-balancing}).
 *
 * <ul>
 *   <li>{@link net.proxy.lb}: backends, service discovery (fixed, DNS), the {@link net.proxy.lb.LoadBalancer} with
 *       passive health, and the selection algorithms (smooth weighted round robin, weighted random, FNV hash, Ketama,
 *       least connections by two random choices), each giving distinct failover candidates. Needs only
 *       {@code java.base} and {@code net.proxy.ketama}.</li>
 *   <li>{@link net.proxy.lb.spi}: what a user implements to write a selection algorithm. Needs only
 *       {@code java.base}.</li>
 *   <li>{@link net.proxy.lb.health}: TCP, HTTP(S) and gRPC health checks over {@code net.proxy.l4} connections,
 *       HTTP/1 responses parsed by {@code net.proxy.http}, gRPC spoken over Netty's HTTP/2 codec.</li>
 * </ul>
 */
module net.proxy.lb {
    requires transitive net.proxy.l4;
    requires net.proxy.http;
    requires net.proxy.ketama;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.codec.http2;

    exports net.proxy.lb;
    exports net.proxy.lb.spi;
    exports net.proxy.lb.health;
}
