/**
 * Test support for net.proxy modules: Netty leak detection that fails the test which leaked.
 */
module net.proxy.testkit {
    requires transitive org.junit.jupiter.api;
    requires io.netty.buffer;
    requires io.netty.common;

    exports net.proxy.testkit;
}
