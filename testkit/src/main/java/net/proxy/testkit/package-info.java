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
 */
package net.proxy.testkit;
