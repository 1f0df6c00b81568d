/**
 * net.proxy's benchmarks: JMH suites and simulators that run our code beside its peers.
 * Not part of the product; run through {@code bench/run SUITE}.
 */
module net.proxy.bench {
    requires jmh.core;
    requires net.proxy.ketama;
    requires net.proxy.limits;
    requires io.github.bucket4j.core;
    requires net.proxy.timeout;
    requires io.netty.common;
    requires net.proxy.lru;
    requires com.github.benmanes.caffeine;
    requires java.management;
    requires jdk.management;
    requires net.proxy.http;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.transport;
    requires net.proxy.l4;
}
