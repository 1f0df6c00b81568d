/**
 * Runnable samples of net.proxy, one package per scenario, started through {@link
 * net.proxy.samples.Main} (the {@code bin/proxy} launcher).
 */
module net.proxy.samples {
    requires net.proxy.l4;
    requires net.proxy.tls;
    requires net.proxy.core;
    requires net.proxy.lb;
    requires net.proxy.limits;

// Nothing is exported: samples are applications, run with -m net.proxy.samples/net.proxy.samples.Main.
}
