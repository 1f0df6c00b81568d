package net.proxy.timeout;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Striped lock-free stacks through which any thread hands new and cancelled timers to the driving
 * thread. A thread pushes onto the stripe picked by its id, so two threads rarely touch the same
 * cache line; the driving thread takes a whole stack at once with one {@code getAndSet}.
 */
final class Submissions {

    /** References between two stacks: 32 × 4 bytes (compressed) or more, beyond one cache line pair. */
    private static final int STRIDE = 32;
    private static final int SUBMITTED = 0;
    private static final int CANCELLED = 1;

    private final AtomicReferenceArray<WheelTimeout> heads;
    private final int stripes;

    Submissions(int stripes) {
        this.stripes = stripes;
        this.heads = new AtomicReferenceArray<>(stripes * 2 * STRIDE);
    }

    /** Stripes for this machine: the power of two at or above twice the processor count, at most 64. */
    static int defaultStripes() {
        int wanted = Math.min(64, Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    void submitted(WheelTimeout timer) {
        int index = index(SUBMITTED);
        WheelTimeout head;
        do {
            head = heads.get(index);
            timer.nextSubmitted = head;
        } while (!heads.compareAndSet(index, head, timer));
    }

    void cancelled(WheelTimeout timer) {
        int index = index(CANCELLED);
        WheelTimeout head;
        do {
            head = heads.get(index);
            timer.nextCancelled = head;
        } while (!heads.compareAndSet(index, head, timer));
    }

    /** Takes stripe {@code stripe}'s submitted timers, oldest first (linked by {@code nextSubmitted}). */
    WheelTimeout takeSubmitted(int stripe) {
        WheelTimeout newestFirst = heads.getAndSet((stripe * 2 + SUBMITTED) * STRIDE, null);
        WheelTimeout oldestFirst = null;
        while (newestFirst != null) {
            WheelTimeout next = newestFirst.nextSubmitted;
            newestFirst.nextSubmitted = oldestFirst;
            oldestFirst = newestFirst;
            newestFirst = next;
        }
        return oldestFirst;
    }

    /** Takes stripe {@code stripe}'s cancelled timers (linked by {@code nextCancelled}, any order). */
    WheelTimeout takeCancelled(int stripe) {
        return heads.getAndSet((stripe * 2 + CANCELLED) * STRIDE, null);
    }

    int stripes() {
        return stripes;
    }

    /** Whether no submitted timer waits to be placed (for tests of lazy arming). */
    boolean noneSubmitted() {
        for (int stripe = 0; stripe < stripes; stripe++) {
            if (heads.get((stripe * 2 + SUBMITTED) * STRIDE) != null) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() needs Java 19
    private int index(int kind) {
        int stripe = (int) Thread.currentThread().getId() & (stripes - 1);
        return (stripe * 2 + kind) * STRIDE;
    }
}
