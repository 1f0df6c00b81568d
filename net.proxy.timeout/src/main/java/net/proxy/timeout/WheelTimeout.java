package net.proxy.timeout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A scheduled task. It is its own node in the lists it joins (the cancellation stack and its deadline
 * group), so scheduling allocates nothing else (bar a shared submission chunk every 1024 timers).
 */
final class WheelTimeout implements Timeout {

    static final int PENDING = 0;
    static final int CANCELLED = 1;
    static final int EXPIRED = 2;
    /** The stamp of a {@link TimerWheel#scheduleAt} timer, whose {@link #delay} is its deadline from the origin. */
    static final long ABSOLUTE = Long.MIN_VALUE;

    private static final VarHandle STATE;
    private static final VarHandle IN_WHEEL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(WheelTimeout.class, "state", int.class);
            IN_WHEEL = lookup.findVarHandle(WheelTimeout.class, "inWheel", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Submissions submissions;
    /** The wheel's clock when this timer was scheduled: a lower bound of the schedule time. */
    final long stamp;
    /** The delay in nanoseconds (for an {@link #ABSOLUTE} stamp: the deadline from the wheel's origin). */
    final long delay;
    /** When this timer is due (set by the driving thread when it places it), relative to the origin. */
    long deadline;
    /** Cleared when the task can no longer run, so a cancelled timer does not retain it. */
    Runnable task;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    @SuppressWarnings("unused") // accessed through IN_WHEEL
    private volatile boolean inWheel;

    /** The submission chunk and slot holding this timer until it is placed; written before publication. */
    Submissions.Chunk chunk;
    /** The slot in {@link #chunk}. */
    int chunkIndex;
    /** Next in a cancellation stack; written before the push publishes this node. */
    WheelTimeout nextCancelled;

    /** The deadline group this timer is linked into; owned by the driving thread. */
    DeadlineGroup group;
    /** Neighbours in the deadline group; owned by the driving thread. */
    WheelTimeout prev;
    /** Neighbours in the deadline group; owned by the driving thread. */
    WheelTimeout next;

    WheelTimeout(Submissions submissions, Runnable task, long stamp, long delay) {
        this.submissions = submissions;
        this.task = task;
        this.stamp = stamp;
        this.delay = delay;
    }

    @Override
    public boolean cancel() {
        if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
            return false;
        }
        task = null;
        // Dekker-style handshake with markInWheel(): at least one side sees the other's write, so a
        // timer cancelled while being placed is unlinked by one of them (unlinking is idempotent).
        if ((boolean) IN_WHEEL.getVolatile(this)) {
            submissions.cancelled(this);
        } else {
            Submissions.Chunk submittedIn = chunk;
            if (submittedIn != null) {
                Submissions.unsubmit(submittedIn, chunkIndex);
            }
        }
        return true;
    }

    @Override
    public boolean isCancelled() {
        return (int) STATE.getVolatile(this) == CANCELLED;
    }

    @Override
    public boolean isExpired() {
        return (int) STATE.getVolatile(this) == EXPIRED;
    }

    /**
     * Called by the driving thread once the timer is linked into its group; from then on a cancel is
     * reported through the cancellation stack, and the timer no longer retains its chunk.
     *
     * @return {@code true} if the timer is still pending (else the caller unlinks it)
     */
    boolean markInWheel() {
        chunk = null;
        IN_WHEEL.setVolatile(this, true);
        return (int) STATE.getVolatile(this) == PENDING;
    }

    /**
     * Claims the task for running.
     *
     * @return the task, or {@code null} if the timer was cancelled first
     */
    Runnable expire() {
        if (!STATE.compareAndSet(this, PENDING, EXPIRED)) {
            return null;
        }
        Runnable run = task;
        task = null;
        return run;
    }

    /** Cancels without notifying the wheel (used while the wheel closes). */
    void cancelQuietly() {
        if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
            task = null;
        }
    }

    @Override
    public String toString() {
        String[] names = {"pending", "cancelled", "expired"};
        return "Timeout[deadline=" + deadline + " ns, " + names[(int) STATE.getVolatile(this)] + "]";
    }
}
