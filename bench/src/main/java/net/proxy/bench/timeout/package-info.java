/**
 * Suite {@code timeout}: {@link net.proxy.timeout.TimerWheel} beside Netty's {@code HashedWheelTimer}
 * and the JDK's {@code ScheduledThreadPoolExecutor}.
 * <pre>{@code
 * bench/run timeout
 * }</pre>
 */
package net.proxy.bench.timeout;
