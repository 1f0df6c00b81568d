/**
 * The programmable HTTP proxy of net.proxy: phases in the manner of Pingora's {@code ProxyHttp}, upstream
 * connection pools, load balancing and health checks, and the server that hosts services.
 */
module net.proxy.core {
    exports net.proxy.core;
    exports net.proxy.core.lb;
}
