/**
 * Test support for net.proxy modules: Netty leak detection that fails the test which leaked, and guards for tests
 * that need a real peer (skipped where it is missing, failed under {@code CI=true}).
 */
module net.proxy.testkit {
    requires transitive org.junit.jupiter.api;
    requires io.netty.buffer;
    requires io.netty.common;

    exports net.proxy.testkit;
}
