package net.proxy.bench.timeout;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.proxy.timeout.Timeout;
import net.proxy.timeout.TimerWheel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The timeout of one request as the proxy will run it: on a Netty event-loop thread that also drives the
 * timer, with no other thread involved. Per request, a 60 s timeout (which never fires) is scheduled and later
 * cancelled, on one {@code MultiThreadIoEventLoopGroup(1, NioIoHandler)} loop (the proxy's loops; the scheduling
 * code is the same for epoll and io_uring):
 *
 * <ul>
 *   <li>{@code wheel}: our {@link TimerWheel} built with {@link TimerWheel.Driver#EXTERNAL}, so it has no thread of
 *       its own; the loop thread schedules, cancels and calls {@link TimerWheel#advance()} once every
 *       {@value #REQUESTS_PER_TICK} requests, and the wheel's ticker moves one 10 ms tick each time: the wheel
 *       sees a loop serving 100,000 requests/s, whatever speed the benchmark runs at (the proxy would call
 *       {@code advance()} from a 10 ms periodic task of the loop: the same work at that rate, plus two clock
 *       reads per tick). With the real clock, the wheel would see a tick every 250,000 requests or so, and
 *       its work per request (which timers it places, how many share a tick) would follow the benchmark's own
 *       speed;
 *   <li>{@code eventLoop}: what core does today, {@code EventLoop.schedule(task, delay, NANOSECONDS)} and
 *       {@code ScheduledFuture.cancel(false)} on the loop thread (both go straight to the loop's own priority
 *       queue, no task hand-off);
 *   <li>{@code hashedWheelTimer}: Netty's {@code HashedWheelTimer} (10 ms, 512 slots) called from the loop; it
 *       cannot be driven by the loop, so its own worker thread runs beside it (on the same pinned core).
 * </ul>
 *
 * <p>{@code shape}: {@code immediate}, each timer cancelled right after it is scheduled (a request answered
 * within the loop turn); {@code inflight}, {@value #IN_FLIGHT} requests in flight, each timer cancelled
 * {@value #IN_FLIGHT} requests after it was scheduled, so it outlives a tick (the wheel has placed it, the
 * loop's heap holds {@value #IN_FLIGHT} timers and cancelling the oldest removes its root); {@code fire1pct},
 * as {@code inflight} but one request in 100 gets a 1 ms timeout that is not cancelled and fires (on the loop;
 * on the worker thread for {@code HashedWheelTimer}; the short timers, smaller than every 60 s one, sit at the
 * top of the loop's heap, so removing the oldest 60 s timer sifts through fewer levels than in
 * {@code inflight}).
 *
 * <p>Why a batch: JMH's thread cannot be an event-loop thread, so each invocation hands the loop one task of
 * {@value #BATCH} requests and waits for it ({@code @OperationsPerInvocation}); the JMH thread sleeps meanwhile,
 * so the loop has the core to itself. {@code handOff} measures that hand-off alone, spread over the same
 * {@value #BATCH} operations: its cost per operation is in every other figure. Run pinned to one core (the suite
 * does: {@code cpus = 1}) so that every thread of the process, the loop, a timer's own thread, JIT and GC,
 * shares it and all of their work is in the wall-clock time; other processes on the machine still take turns
 * on that core, hence several forks and several runs.
 *
 * <p>Run: {@code bench/run timer-loop} (pinned to CPU 1, 3 rounds of 1 fork, 5 × 1 s warm-up, 5 × 2 s measured).
 * Last measured (JDK 17, 2-core VM shared with other builds, load average 0.5–7.1; three runs, 9 rounds,
 * 2026-12-02): CPU time per request, the headline, 2.13× {@code EventLoop.schedule} + {@code cancel(false)}
 * (geometric mean of the shapes; 1.96–2.20 over the rounds, the three runs' medians 2.14, 2.13, 2.07). By shape,
 * median (min–max) of the rounds, ours beside the loop's:
 *
 * <pre>
 * shape       ops/µs wheel      ops/µs loop       CPU ns wheel      CPU ns loop       CPU ratio
 * immediate   51.5 (45.3–53.4)  24.9 (15.7–26.5)  19.4 (18.5–22.3)  40.0 (37.7–42.5)  2.02 (1.90–2.19)
 * inflight    26.9 (25.0–29.3)   8.1 (7.7–8.9)    36.1 (34.2–39.0)   124 (113–130)    3.17 (3.10–3.77)
 * fire1pct    25.4 (22.2–27.3)  18.0 (12.1–18.5)  39.5 (36.1–45.2)  54.6 (53.4–59.2)  1.40 (1.20–1.52)
 * </pre>
 *
 * The throughput ratio agrees (geometric mean 1.96–2.92 over the rounds; its outliers are rounds where another
 * process took part of the core while one side ran). The wheel allocates 84 bytes per request (an 80-byte timer
 * and its share of a 4 KiB submission chunk), the loop 64 (its {@code ScheduledFutureTask}). The hand-off costs
 * 0.08 ns per request (under 0.5 % of any figure). {@code HashedWheelTimer} stays at 9–10 ops/µs in every shape:
 * its worker moves at most 100,000 timeouts per 10 ms tick, so that is its ceiling, not its cost.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(
        value = 3,
        jvmArgsAppend = {"-XX:+UseG1GC", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
public class EventLoopTimerBenchmark {

    /** Requests per loop task. */
    static final int BATCH = 100_000;
    /** Requests between two {@link TimerWheel#advance()} calls: 10 ms at 100,000 requests/s. */
    static final int REQUESTS_PER_TICK = 1024;
    /** Requests in flight for {@code inflight} and {@code fire1pct}. */
    static final int IN_FLIGHT = 1024;
    /** One request in this many gets a timeout that fires, for {@code fire1pct}. */
    static final int FIRE_EVERY = 100;

    private static final long TICK_NANOS = TimerWheel.DEFAULT_TICK.toNanos();
    private static final Duration DELAY = Duration.ofSeconds(60);
    private static final long DELAY_NANOS = DELAY.toNanos();
    private static final Duration SHORT = Duration.ofMillis(1);
    private static final long SHORT_NANOS = SHORT.toNanos();

    /** The event loop, shared by every benchmark of a fork. */
    @State(Scope.Benchmark)
    public static class Loop {
        MultiThreadIoEventLoopGroup group;
        EventLoop loop;
        final Runnable nothing = () -> {};

        /** Starts one NIO event loop. */
        @Setup(Level.Trial)
        public void setUp() {
            group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            loop = group.next();
        }

        /** Stops it. */
        @TearDown(Level.Trial)
        public void tearDown() {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }

        void run(Runnable batch) {
            loop.submit(batch).syncUninterruptibly();
        }
    }

    /** The requests: every field is touched by the loop thread only (the JMH thread only submits). */
    @State(Scope.Benchmark)
    public static class Requests {
        /** How long timers live and whether some fire; see the class description. */
        @Param({"immediate", "inflight", "fire1pct"})
        public String shape;

        private int inFlight;
        /** {@code inFlight - 1}: a request's slot in the ring of timers in flight is its number masked by it. */
        private int mask;

        private int fireEvery;
        private int untilFire;
        private int request;
        private Loop loop;

        private TimerWheel wheel;
        /** The wheel's clock: one tick per {@value #REQUESTS_PER_TICK} requests. */
        private long wheelNanos;

        private Timeout[] wheelTimers;
        private HashedWheelTimer hashedWheelTimer;
        private io.netty.util.Timeout[] hwtTimers;
        private ScheduledFuture<?>[] loopTimers;

        long fired;
        volatile long hwtFired;
        private final Runnable fire = () -> fired++;
        private final TimerTask hwtFire = t -> hwtFired++;
        private final Runnable never = () -> {
            throw new AssertionError("a 60 s timeout fired");
        };
        private final TimerTask hwtNever = t -> {
            throw new AssertionError("a 60 s timeout fired");
        };

        final Runnable wheelBatch = this::wheelBatch;
        final Runnable eventLoopBatch = this::eventLoopBatch;
        final Runnable hashedWheelTimerBatch = this::hashedWheelTimerBatch;

        /**
         * Sets the shape; each timer is created on first use, so a fork starts no thread it does not measure.
         *
         * @param loop the event loop
         */
        @Setup(Level.Trial)
        public void setUp(Loop loop) {
            this.loop = loop;
            inFlight = shape.equals("immediate") ? 1 : IN_FLIGHT;
            mask = inFlight - 1;
            fireEvery = shape.equals("fire1pct") ? FIRE_EVERY : 0;
            untilFire = fireEvery;
        }

        /** Stops what was started and checks that the timers that should fire did. */
        @TearDown(Level.Trial)
        public void tearDown() {
            // the loop may be shut down already; the last batch has ended, so the wheel is idle and close()
            // may be called from this thread
            if (wheel != null) {
                wheel.close();
            }
            if (hashedWheelTimer != null) {
                hashedWheelTimer.stop();
            }
            if (fireEvery > 0 && fired + hwtFired == 0) {
                throw new AssertionError(shape + ": no timer fired");
            }
        }

        private void wheelBatch() {
            TimerWheel w = wheel;
            Timeout[] timers = wheelTimers;
            if (w == null) {
                w = wheel = TimerWheel.builder()
                        .driver(TimerWheel.Driver.EXTERNAL)
                        .tick(TimerWheel.DEFAULT_TICK)
                        .slots(TimerWheel.DEFAULT_SLOTS)
                        .ticker(() -> wheelNanos)
                        .build();
                timers = wheelTimers = new Timeout[inFlight];
            }
            int r = request;
            int until = untilFire;
            for (int i = 0; i < BATCH; i++, r++) {
                if ((r & (REQUESTS_PER_TICK - 1)) == 0) {
                    wheelNanos += TICK_NANOS;
                    w.advance();
                }
                int slot = r & mask;
                if (fireEvery != 0 && --until == 0) {
                    until = fireEvery;
                    w.schedule(fire, SHORT);
                    timers[slot] = null;
                } else {
                    timers[slot] = w.schedule(never, DELAY);
                }
                // the request that started inFlight - 1 requests ago ends now (this one, when inFlight = 1)
                int done = (r + 1) & mask;
                Timeout t = timers[done];
                if (t != null) {
                    t.cancel();
                    timers[done] = null;
                }
            }
            request = r;
            untilFire = until;
        }

        private void eventLoopBatch() {
            EventLoop l = loop.loop;
            ScheduledFuture<?>[] timers = loopTimers;
            if (timers == null) {
                timers = loopTimers = new ScheduledFuture<?>[inFlight];
            }
            int r = request;
            int until = untilFire;
            for (int i = 0; i < BATCH; i++, r++) {
                int slot = r & mask;
                if (fireEvery != 0 && --until == 0) {
                    until = fireEvery;
                    l.schedule(fire, SHORT_NANOS, TimeUnit.NANOSECONDS);
                    timers[slot] = null;
                } else {
                    timers[slot] = l.schedule(never, DELAY_NANOS, TimeUnit.NANOSECONDS);
                }
                int done = (r + 1) & mask;
                ScheduledFuture<?> t = timers[done];
                if (t != null) {
                    t.cancel(false);
                    timers[done] = null;
                }
            }
            request = r;
            untilFire = until;
        }

        private void hashedWheelTimerBatch() {
            HashedWheelTimer h = hashedWheelTimer;
            io.netty.util.Timeout[] timers = hwtTimers;
            if (h == null) {
                h = hashedWheelTimer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS, 512);
                h.start();
                timers = hwtTimers = new io.netty.util.Timeout[inFlight];
            }
            int r = request;
            int until = untilFire;
            for (int i = 0; i < BATCH; i++, r++) {
                int slot = r & mask;
                if (fireEvery != 0 && --until == 0) {
                    until = fireEvery;
                    h.newTimeout(hwtFire, SHORT_NANOS, TimeUnit.NANOSECONDS);
                    timers[slot] = null;
                } else {
                    timers[slot] = h.newTimeout(hwtNever, DELAY_NANOS, TimeUnit.NANOSECONDS);
                }
                int done = (r + 1) & mask;
                io.netty.util.Timeout t = timers[done];
                if (t != null) {
                    t.cancel();
                    timers[done] = null;
                }
            }
            request = r;
            untilFire = until;
        }
    }

    /**
     * Ours: {@link TimerWheel} driven by the loop thread.
     *
     * @param loop the loop
     * @param requests the requests
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void wheel(Loop loop, Requests requests) {
        loop.run(requests.wheelBatch);
    }

    /**
     * Core today: {@code EventLoop.schedule} and {@code cancel(false)} on the loop.
     *
     * @param loop the loop
     * @param requests the requests
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void eventLoop(Loop loop, Requests requests) {
        loop.run(requests.eventLoopBatch);
    }

    /**
     * Netty's {@code HashedWheelTimer} called from the loop (its worker thread drains and fires).
     *
     * @param loop the loop
     * @param requests the requests
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void hashedWheelTimer(Loop loop, Requests requests) {
        loop.run(requests.hashedWheelTimerBatch);
    }

    /**
     * The hand-off alone: an empty task submitted to the loop and waited for, per {@value #BATCH} operations.
     *
     * @param loop the loop
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void handOff(Loop loop) {
        loop.run(loop.nothing);
    }
}
