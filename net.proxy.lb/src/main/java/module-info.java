/**
 * Load balancing for net.proxy, usable without the proxy engine (Pingora's {@code pingora-load-balancing}):
 * backends from a discovery, selection algorithms that give distinct failover candidates, active health checks
 * and passive health.
 */
module net.proxy.lb {
    requires net.proxy.ketama;

    exports net.proxy.lb;
}
