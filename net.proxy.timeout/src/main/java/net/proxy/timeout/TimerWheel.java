package net.proxy.timeout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A hashed timer wheel: runs tasks after a delay, at a resolution of one tick (default 10 ms), for
 * code where most timers are cancelled before they fire (request, idle and connect timeouts).
 *
 * <p><b>Accuracy.</b> A task's deadline is {@code delay} after {@link #schedule} was called; timers whose
 * deadlines round up to the same tick share one bucket entry. A task never runs before its deadline,
 * and runs no later than two ticks after it (plus the nanoseconds of one clock read) provided
 * {@link #advance()} is called at least once per tick; the daemon thread wakes at every tick boundary,
 * so add its wake-up latency.
 *
 * <p><b>Threads.</b> {@link #schedule}, {@link Timeout#cancel()} and the future helpers may be called
 * from any thread; they take no lock. Tasks run on the thread that drives the wheel: its own daemon
 * thread ({@link Driver#DAEMON_THREAD}, the default) or whichever thread calls {@link #advance()}
 * ({@link Driver#EXTERNAL}, e.g. a Netty event loop on a 10 ms schedule). Tasks must therefore be short:
 * hand anything slow to an executor. A task that throws is reported to the
 * {@linkplain TimerWheelBuilder#uncaughtExceptionHandler handler} and the wheel carries on.
 *
 * <p>{@link #close()} stops the daemon thread and cancels every pending timer (its task never runs);
 * scheduling on a closed wheel throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * TimerWheel wheel = TimerWheel.builder().driver(TimerWheel.Driver.EXTERNAL).build();
 * eventLoop.scheduleAtFixedRate(wheel::advance, 10, 10, TimeUnit.MILLISECONDS);
 * Timeout idle = wheel.schedule(channel::close, Duration.ofSeconds(60));
 * }</pre>
 */
public final class TimerWheel implements AutoCloseable {

    /*
     * How it works. The wheel is an array of slots; tick k lives in slot k mod size (Varghese and
     * Lauck's scheme 6 [1]). Inside a slot, timers are grouped by their absolute deadline tick into
     * one entry per tick (as Pingora shares one entry per rounded deadline [2]), and the entries are
     * sorted, so firing a tick touches only the entries that are due: timers several revolutions
     * away cost nothing per tick (unlike a per-timer "remaining rounds" count) and need no
     * hierarchy.
     *
     * Only the driving thread touches the slots. Other threads hand it work through stripes picked
     * by thread id: schedule allocates the timer and appends it to its
     * stripe's current array chunk (one atomic add to claim a slot, one release store to publish
     * it); cancel is one CAS on the timer's state plus, while the timer is not placed yet, a store
     * of a mark into its slot. The driving thread scans the chunks sequentially and never reads a
     * marked timer, which is unreachable, hence free for the young collector, from the moment it is
     * cancelled. So the common schedule-then-cancel costs two uncontended atomic operations, no
     * shared counter and no per-timer work on the driving thread. A timer cancelled after it was
     * placed is pushed on its stripe's cancellation stack (a Treiber stack [3]) and unlinked from
     * its entry in O(1) on the next tick, so cancelled timers never pile up until their deadline.
     *
     * Schedule reads no clock either (System.nanoTime() would be half its cost): it stamps the timer
     * with `clock`, a volatile copy of the ticker that each advance() publishes before draining. The
     * driving thread fixes the deadline when it places the timer, from an upper bound of the
     * schedule time, so a timer is never early: if the stamp is the value this advance published,
     * the timer was scheduled after it and the ticker is read again (rare: only timers scheduled
     * during a drain); otherwise it was scheduled before that publication, hence before the ticker
     * read that follows it (`clockAfter`). The bound overestimates by at most the time between two
     * advances, one tick. Then the deadline is rounded up to its tick entry; every entry up to now
     * fires whole, and the next entry fires the timers whose exact deadline has passed, so firing
     * adds at most another tick: at most two ticks late in all, never early.
     *
     * advance() publishes the clock, drains the stripes (placing each live timer, at the earliest in
     * the next tick to fire), unlinks cancelled timers, then fires every due entry in tick order. A
     * CAS flag makes concurrent advance() calls harmless: the loser returns at once.
     *
     * [1] G. Varghese, T. Lauck, Hashed and hierarchical timing wheels: data structures for the
     *     efficient implementation of a timer facility, SOSP 1987,
     *     https://www.cs.columbia.edu/~nahum/w6998/papers/sosp87-timing-wheels.pdf
     * [2] Pingora, pingora-timeout/src/timer.rs, https://github.com/cloudflare/pingora
     * [3] R. K. Treiber, Systems programming: coping with parallelism, IBM RJ 5118, 1986
     */

    /** Who drives a wheel. */
    public enum Driver {
        /** The wheel's own daemon thread, started by {@link TimerWheelBuilder#build()}. */
        DAEMON_THREAD,
        /** The caller, by calling {@link TimerWheel#advance()} at least once per tick. */
        EXTERNAL
    }

    /** The default tick: 10 ms. */
    public static final Duration DEFAULT_TICK = Duration.ofMillis(10);
    /** The default number of slots: 512. */
    public static final int DEFAULT_SLOTS = 512;
    /** Delays are capped at this (about 73 years): such a timer never fires in practice. */
    public static final Duration MAX_DELAY = Duration.ofNanos(Long.MAX_VALUE / 4);

    private static final long MAX_DELAY_NANOS = MAX_DELAY.toNanos();
    private static final long MAX_DELAY_SECONDS = MAX_DELAY.getSeconds();
    private static final System.Logger LOGGER = System.getLogger("net.proxy.timeout");
    private static final VarHandle ADVANCING;

    static {
        try {
            ADVANCING = MethodHandles.lookup().findVarHandle(TimerWheel.class, "advancing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Duration tick;
    private final long tickNanos;
    private final LongSupplier ticker;
    private final long origin;
    private final Thread.UncaughtExceptionHandler failureHandler;
    private final Submissions submissions = new Submissions(Submissions.defaultStripes());
    private final Buckets buckets;
    private final Consumer<WheelTimeout> placer = this::place;
    private final Predicate<WheelTimeout> runner = this::run;
    private final Thread thread;
    private volatile boolean closed;

    @SuppressWarnings("unused") // accessed through ADVANCING
    private volatile boolean advancing;
    /** The thread inside advance(), if any. */
    private volatile Thread advancingThread;
    /** The ticker (relative to the origin) at the start of the last advance: what schedule stamps. */
    private volatile long clock;
    /** The ticker read just after {@code clock} was published; guarded by {@code advancing}. */
    private long clockAfter;
    /** The last tick fired entirely; guarded by {@code advancing}. */
    private long firedTick;

    TimerWheel(TimerWheelBuilder builder) {
        this.tick = builder.tick;
        this.tickNanos = builder.tick.toNanos();
        this.ticker = builder.ticker;
        this.origin = ticker.getAsLong();
        this.failureHandler = builder.failureHandler != null ? builder.failureHandler : TimerWheel::logFailure;
        this.buckets = new Buckets(builder.slots);
        if (builder.driver == Driver.DAEMON_THREAD) {
            thread = new Thread(this::drive, builder.threadName);
            thread.setDaemon(true);
            thread.start();
        } else {
            thread = null;
        }
    }

    /**
     * A builder.
     *
     * @return a new builder with the defaults of {@link TimerWheelBuilder}
     */
    public static TimerWheelBuilder builder() {
        return new TimerWheelBuilder();
    }

    /**
     * A wheel with the defaults (10 ms tick, 512 slots) whose daemon thread starts now.
     *
     * @return a running wheel; close it to stop its thread
     */
    public static TimerWheel startDaemon() {
        return builder().build();
    }

    /**
     * Runs {@code task} on the driving thread once {@code delay} has elapsed, unless cancelled first.
     *
     * @param task  what to run; keep it short
     * @param delay how long from now, {@code >= 0} (capped at {@link #MAX_DELAY})
     * @return the handle to cancel it
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws IllegalStateException    if the wheel is closed
     */
    public Timeout schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        long delayNanos = delayNanos("delay", delay);
        if (closed) {
            throw closedException();
        }
        WheelTimeout timer = new WheelTimeout(submissions, task, clock, delayNanos);
        submissions.submitted(timer);
        if (closed) {
            timer.cancelQuietly();
            throw closedException();
        }
        return timer;
    }

    /**
     * Runs {@code task} on the driving thread once the ticker reads {@code deadline} or more, unless cancelled
     * first. The deadline is absolute, in the ticker's time base, so it does not depend on when the driving thread
     * learns of the timer: the task runs at the first {@link #advance()} at or after it (within a tick when advance
     * is called once per tick), however far the ticker moved since the last advance. Suits callers that already
     * hold the ticker's time, such as a connection computing its next deadline.
     *
     * @param task what to run; keep it short
     * @param deadline when, on the ticker (a deadline in the past runs at the next advance)
     * @return the handle to cancel it
     * @throws IllegalStateException if the wheel is closed
     */
    public Timeout scheduleAt(Runnable task, long deadline) {
        Objects.requireNonNull(task, "task");
        if (closed) {
            throw closedException();
        }
        long fromOrigin = deadline - origin;
        WheelTimeout timer = new WheelTimeout(
                submissions,
                task,
                WheelTimeout.ABSOLUTE,
                Math.max(Math.min(fromOrigin, MAX_DELAY_NANOS), -MAX_DELAY_NANOS));
        submissions.submitted(timer);
        if (closed) {
            timer.cancelQuietly();
            throw closedException();
        }
        return timer;
    }

    /**
     * Bounds {@code future} by {@code timeout}: if it is not complete by then, it is completed
     * exceptionally with a {@link TimeoutExceededException} naming the duration. Lazy: a future that
     * is already complete is returned at once and no timer is armed; a timer that is armed is
     * cancelled when the future completes first.
     *
     * @param future  the future to bound (it is the one completed on timeout, like
     *                {@link CompletableFuture#orTimeout})
     * @param timeout how long to wait, {@code >= 0}
     * @param <T>     the result type
     * @return {@code future}
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException    if a timer is needed and the wheel is closed
     */
    public <T> CompletableFuture<T> orTimeout(CompletableFuture<T> future, Duration timeout) {
        Objects.requireNonNull(future, "future");
        nonNegative("timeout", timeout);
        if (future.isDone()) {
            return future;
        }
        FutureDeadline<T> deadline = new FutureDeadline<>(future, timeout);
        deadline.armed(schedule(deadline, timeout));
        future.whenComplete(deadline);
        return future;
    }

    /**
     * A future that completes as {@code stage} does, or exceptionally with a
     * {@link TimeoutExceededException} after {@code timeout}. Lazy: no timer is armed if {@code stage}
     * is already complete. The stage itself is left untouched.
     *
     * @param stage   the stage to bound
     * @param timeout how long to wait, {@code >= 0}
     * @param <T>     the result type
     * @return a new future
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException    if a timer is needed and the wheel is closed
     */
    public <T> CompletableFuture<T> withTimeout(CompletionStage<T> stage, Duration timeout) {
        Objects.requireNonNull(stage, "stage");
        nonNegative("timeout", timeout);
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        });
        return orTimeout(result, timeout);
    }

    /**
     * Fires every timer due by now (per the ticker) on the calling thread. The daemon thread calls it
     * at every tick; with {@link Driver#EXTERNAL}, call it at least once per {@link #tick()}. If another
     * thread is already advancing the wheel, returns 0 at once.
     *
     * @return how many tasks ran
     */
    public int advance() {
        if (!ADVANCING.compareAndSet(this, false, true)) {
            return 0;
        }
        advancingThread = Thread.currentThread();
        try {
            if (closed) {
                return 0;
            }
            long now = ticker.getAsLong() - origin;
            clock = now;
            clockAfter = ticker.getAsLong() - origin;
            return advanceTo(now);
        } finally {
            if (closed) {
                dropAll();
            }
            advancingThread = null;
            ADVANCING.setVolatile(this, false);
        }
    }

    /**
     * The resolution.
     *
     * @return the tick given to the builder
     */
    public Duration tick() {
        return tick;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops the daemon thread (waiting for a running tick to finish, unless called from a task) and
     * cancels every pending timer: none of their tasks will run, and futures bounded by
     * {@link #orTimeout} are left as they are. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread != null && thread != Thread.currentThread()) {
            LockSupport.unpark(thread);
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        while (!ADVANCING.compareAndSet(this, false, true)) {
            if (advancingThread == Thread.currentThread()) {
                return; // closed from a task: advance() drops the timers when it ends
            }
            Thread.onSpinWait();
        }
        try {
            dropAll();
        } finally {
            ADVANCING.setVolatile(this, false);
        }
    }

    /** Whether nothing waits to be placed in the wheel (for tests of lazy arming). */
    boolean noneSubmitted() {
        return submissions.noneSubmitted();
    }

    /** Timers placed in the wheel (for tests). */
    int timersInWheel() {
        return buckets.size();
    }

    /** Deadline entries in the wheel (for tests). */
    int deadlineEntries() {
        return buckets.entries();
    }

    private int advanceTo(long now) {
        for (int stripe = 0; stripe < submissions.stripes(); stripe++) {
            submissions.takeSubmitted(stripe, placer);
            for (WheelTimeout t = submissions.takeCancelled(stripe); t != null; t = t.nextCancelled) {
                buckets.remove(t);
            }
        }
        int ran = 0;
        long nowTick = Math.floorDiv(now, tickNanos);
        if (nowTick > firedTick) {
            long span = Math.min(nowTick - firedTick, buckets.slotsCount());
            for (long t = firedTick + 1; t <= firedTick + span; t++) {
                ran += buckets.expire(t, nowTick, runner);
            }
            firedTick = nowTick;
        }
        return ran + buckets.expireEarly(nowTick + 1, now, runner);
    }

    /** Fixes a new timer's deadline from the clock bounds (see the class comment) and links it. */
    private void place(WheelTimeout timer) {
        if (timer.isCancelled()) {
            return;
        }
        // The timer read `clock` before this advance published its value (it was scheduled before
        // clockAfter was read), or after (before now, as its slot was just read).
        if (timer.stamp == WheelTimeout.ABSOLUTE) {
            timer.deadline = timer.delay; // scheduleAt: already a deadline from the origin
        } else {
            long scheduledBy = timer.stamp == clock ? ticker.getAsLong() - origin : clockAfter;
            timer.deadline = scheduledBy + timer.delay;
        }
        long deadlineTick = Math.floorDiv(timer.deadline + tickNanos - 1, tickNanos); // rounded up
        buckets.add(timer, Math.max(deadlineTick, firedTick + 1));
        if (!timer.markInWheel()) {
            buckets.remove(timer);
        }
    }

    /** Runs a due timer's task unless it was cancelled; returns whether it ran. */
    private boolean run(WheelTimeout timer) {
        if (closed) { // a task closed the wheel: drop the rest of this tick too
            timer.cancelQuietly();
            return false;
        }
        Runnable task = timer.expire();
        if (task == null) {
            return false;
        }
        try {
            task.run();
        } catch (Throwable failure) {
            report(failure);
        }
        return true;
    }

    private void report(Throwable failure) {
        try {
            failureHandler.uncaughtException(Thread.currentThread(), failure);
        } catch (Throwable handlerFailure) {
            handlerFailure.addSuppressed(failure);
            logFailure(Thread.currentThread(), handlerFailure);
        }
    }

    private void dropAll() {
        for (int stripe = 0; stripe < submissions.stripes(); stripe++) {
            submissions.takeSubmitted(stripe, WheelTimeout::cancelQuietly);
            submissions.takeCancelled(stripe);
        }
        buckets.clear(WheelTimeout::cancelQuietly);
    }

    private void drive() {
        while (!closed) {
            Thread.interrupted(); // a task that interrupts this thread must not turn the park into a spin
            advance();
            long intoTick = Math.floorMod(ticker.getAsLong() - origin, tickNanos);
            LockSupport.parkNanos(this, tickNanos - intoTick);
        }
    }

    /** Validates a delay and returns it in nanoseconds, capped at {@link #MAX_DELAY}. */
    private static long delayNanos(String name, Duration delay) {
        long seconds = nonNegative(name, delay).getSeconds();
        return seconds >= MAX_DELAY_SECONDS ? MAX_DELAY_NANOS : seconds * 1_000_000_000L + delay.getNano();
    }

    private static Duration nonNegative(String name, Duration delay) {
        if (Objects.requireNonNull(delay, name).isNegative()) {
            throw new IllegalArgumentException(name + ": " + delay + " (expected: >= 0)");
        }
        return delay;
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("TimerWheel is closed");
    }

    private static void logFailure(Thread thread, Throwable failure) {
        LOGGER.log(System.Logger.Level.WARNING, "timer task failed on thread " + thread.getName(), failure);
    }
}
