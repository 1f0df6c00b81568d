package net.proxy.bench.timeout;

import io.netty.util.HashedWheelTimer;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.proxy.timeout.TimerWheel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The common life of a timeout, scheduled then cancelled before it fires, from 2 threads:
 * {@link TimerWheel} (10 ms tick, 512 slots, its own daemon thread) beside Netty's
 * {@code HashedWheelTimer} (10 ms tick, 512 slots) and a one-thread {@code ScheduledThreadPoolExecutor}
 * with {@code removeOnCancelPolicy(true)} (without it cancelled tasks stay queued until their
 * deadline). Plus the lazy future helper on an already-complete future beside the JDK's own
 * {@code CompletableFuture.orTimeout} (which also skips complete futures) and beside arming and
 * cancelling a Netty timer, which is what a non-lazy timeout costs.
 *
 * <p><b>Why its figure moved</b> (24.6× {@code HashedWheelTimer} when it was written, 8.9× and 1.3× since, the
 * wheel alone 55–115 ops/µs): two benchmark threads and the wheel's daemon thread (or {@code HashedWheelTimer}'s
 * worker) share the machine's two cores with whatever else runs on it, so neither figure is a cost per operation.
 * With {@link net.proxy.bench.CpuTimeProfiler}, schedule+cancel costs the wheel 16–24 ns of CPU (its daemon's
 * draining included) in every round, and its throughput is the cores the JVM got divided by that: 121 ops/µs with
 * 1.74 cores, 31 with 0.62. When the daemon itself is starved, the submission chunks it has not drained (4 KiB per
 * 1024 timers) stay reachable and are copied by the collector: one fork fell to 11 ops/µs, 164 ns per operation
 * and 633 ms of GC in 5 s. {@code HashedWheelTimer}'s figure is not its cost either: its worker moves at most
 * 100,000 timeouts per 10 ms tick into its wheel (10 per µs), a faster producer only lengthens its queue (up to
 * 1.5 s of GC per 5 s measured), so it stays at 4–10 ops/µs whatever the cores. Their ratio measures the spare
 * cores of the moment. {@link EventLoopTimerBenchmark} ({@code bench/run timer-loop}) measures instead what the
 * proxy will run: one event-loop thread that schedules, cancels and drives the wheel itself, with no other thread,
 * pinned to one core, its CPU time per operation reported beside its throughput.
 *
 * <p>Run: {@code bench/run timeout} (3 rounds of 1 fork). Last measured (JDK 17, 2-core VM shared with other
 * builds and load tests, load average 2.2–4.0, 2026-12-02): schedule+cancel 12.7× {@code HashedWheelTimer} (4.2–17.2
 * over the rounds; the wheel 31–121 ops/µs, {@code HashedWheelTimer} 6.5–9.6; CPU time per operation 11.4×,
 * 4.3–17.6) and 7.0× {@code ScheduledThreadPoolExecutor} (2.9–10.1; CPU time 4.2×, 3.1–4.6); the lazy helper 2.2×
 * the JDK's {@code orTimeout} (2.0–2.2; both skip complete futures) and 114–348× arming and cancelling a Netty timer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class TimerWheelBenchmark {

    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Runnable TASK = () -> {};
    private static final TimerTask NETTY_TASK = timeout -> {};

    private final CompletableFuture<String> complete = CompletableFuture.completedFuture("ready");
    private TimerWheel wheel;
    private HashedWheelTimer hashedWheelTimer;
    private ScheduledThreadPoolExecutor executor;

    /** Starts the three timers. */
    @Setup(Level.Trial)
    public void setUp() {
        wheel = TimerWheel.builder().tick(Duration.ofMillis(10)).slots(512).build();
        hashedWheelTimer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS, 512);
        hashedWheelTimer.start();
        executor = new ScheduledThreadPoolExecutor(1);
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Stops the three timers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        wheel.close();
        hashedWheelTimer.stop();
        executor.shutdownNow();
    }

    /**
     * Ours: schedule then cancel.
     *
     * @return whether the cancel succeeded
     */
    @Benchmark
    public boolean wheelScheduleCancel() {
        return wheel.schedule(TASK, DELAY).cancel();
    }

    /**
     * Netty: newTimeout then cancel.
     *
     * @return whether the cancel succeeded
     */
    @Benchmark
    public boolean hashedWheelTimerScheduleCancel() {
        return hashedWheelTimer
                .newTimeout(NETTY_TASK, DELAY.toMillis(), TimeUnit.MILLISECONDS)
                .cancel();
    }

    /**
     * JDK: schedule then cancel.
     *
     * @return whether the cancel succeeded
     */
    @Benchmark
    public boolean executorScheduleCancel() {
        return executor.schedule(TASK, DELAY.toMillis(), TimeUnit.MILLISECONDS).cancel(false);
    }

    /**
     * Ours: bound an already-complete future (arms nothing).
     *
     * @return the future
     */
    @Benchmark
    public CompletableFuture<String> lazyTimeoutOnCompleteFuture() {
        return wheel.orTimeout(complete, DELAY);
    }

    /**
     * JDK: {@code orTimeout} on an already-complete future.
     *
     * @return the future
     */
    @Benchmark
    public CompletableFuture<String> jdkOrTimeoutOnCompleteFuture() {
        return complete.orTimeout(DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * What eager arming costs: a Netty timer armed and cancelled around a complete future.
     *
     * @return whether the cancel succeeded
     */
    @Benchmark
    public boolean eagerNettyTimeoutOnCompleteFuture() {
        boolean cancelled = hashedWheelTimer
                .newTimeout(NETTY_TASK, DELAY.toMillis(), TimeUnit.MILLISECONDS)
                .cancel();
        return cancelled && complete.isDone();
    }
}
