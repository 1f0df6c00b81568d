/**
 * Test support shared by net.proxy's module tests.
 *
 * <p>{@link net.proxy.testkit.LeakDetection} turns Netty's paranoid leak detector into test failures:
 * <pre>{@code
 * @ExtendWith(LeakDetection.class)
 * class CodecTest {
 *     @Test
 *     void releasesEverything() {
 *         ByteBuf buf = Unpooled.buffer(16);
 *         buf.release(); // forget this and the test fails, naming where the buffer was touched
 *     }
 * }
 * }</pre>
 *
 * <p>{@link net.proxy.testkit.Peers} guards tests that need a real peer (a program such as nginx or openssl, or native
 * epoll): a missing peer skips the test, or fails it when the environment variable {@code CI} is {@code true}.
 * <pre>{@code
 * Path nginx = Peers.require("nginx");
 * }</pre>
 */
package net.proxy.testkit;
