/**
 * Cheap timeouts for code where most timeouts never fire.
 *
 * <p>A {@link net.proxy.timeout.TimerWheel} groups timers into ticks (10 ms by default) and runs them on
 * the thread that drives it: its own daemon thread, or any thread that calls
 * {@link net.proxy.timeout.TimerWheel#advance()} once per tick (a Netty event loop, for example).
 * Scheduling and cancelling cost a few atomic operations and never take a lock; a timeout bound to a
 * future that is already complete costs nothing at all.
 *
 * <pre>{@code
 * try (TimerWheel wheel = TimerWheel.startDaemon()) {
 *     Timeout t = wheel.schedule(() -> connection.close(), Duration.ofSeconds(30));
 *     t.cancel();                                        // the usual outcome: O(1)
 *
 *     CompletableFuture<Response> bounded =
 *         wheel.orTimeout(client.send(request), Duration.ofMillis(250));
 *     // completes exceptionally with TimeoutExceededException("timed out after 250 ms") if late
 * }
 * }</pre>
 */
package net.proxy.timeout;
