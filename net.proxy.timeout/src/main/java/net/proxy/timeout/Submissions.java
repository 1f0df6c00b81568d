package net.proxy.timeout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * How any thread hands timers to the driving thread without a lock: per stripe, an append-only
 * chain of arrays ({@link Chunk}s) for new timers, and a lock-free stack for timers cancelled after
 * they were placed. A thread uses the stripe picked by its id, so two threads rarely share a cache
 * line. Cancelling a timer that is not placed yet overwrites its array slot with a mark, so the
 * driving thread skips it without reading the timer, and the timer is garbage at once.
 */
final class Submissions {

    /** Timers per chunk. */
    static final int CHUNK = 1024;
    /** What a cancelled timer leaves in its chunk slot. */
    static final WheelTimeout CANCELLED_MARK = new WheelTimeout(null, null, 0, 0);

    /** References between two cancellation stacks: 32 × 4 bytes or more, two cache lines. */
    private static final int STRIDE = 32;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(WheelTimeout[].class);
    private static final VarHandle CLAIMED;
    private static final VarHandle NEXT;
    private static final VarHandle CURRENT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLAIMED = lookup.findVarHandle(Chunk.class, "claimed", int.class);
            NEXT = lookup.findVarHandle(Chunk.class, "next", Chunk.class);
            CURRENT = lookup.findVarHandle(Stripe.class, "current", Chunk.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Stripe[] stripes;
    private final AtomicReferenceArray<WheelTimeout> cancelledHeads;

    Submissions(int stripeCount) {
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new Stripe();
        }
        this.cancelledHeads = new AtomicReferenceArray<>(stripeCount * STRIDE);
    }

    /** Stripes for this machine: the power of two at or above twice the processor count, at most 64. */
    static int defaultStripes() {
        int wanted = Math.min(64, Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /** Appends a new timer to the calling thread's stripe. */
    void submitted(WheelTimeout timer) {
        Stripe stripe = stripes[stripeIndex()];
        for (; ; ) {
            Chunk chunk = stripe.current;
            int index = (int) CLAIMED.getAndAdd(chunk, 1);
            if (index < CHUNK) {
                timer.chunk = chunk;
                timer.chunkIndex = index;
                SLOTS.setRelease(chunk.slots, index, timer);
                return;
            }
            Chunk next = chunk.next;
            if (next == null) {
                Chunk fresh = new Chunk();
                next = (Chunk) NEXT.compareAndExchange(chunk, null, fresh);
                if (next == null) {
                    next = fresh;
                }
            }
            CURRENT.compareAndSet(stripe, chunk, next);
        }
    }

    /** Marks the slot of a cancelled timer that is not placed yet (the driving thread then skips it). */
    static void unsubmit(Chunk chunk, int index) {
        SLOTS.setRelease(chunk.slots, index, CANCELLED_MARK);
    }

    /** Pushes a timer cancelled after it was placed onto the calling thread's cancellation stack. */
    void cancelled(WheelTimeout timer) {
        int index = stripeIndex() * STRIDE;
        WheelTimeout head;
        do {
            head = cancelledHeads.get(index);
            timer.nextCancelled = head;
        } while (!cancelledHeads.compareAndSet(index, head, timer));
    }

    /**
     * Hands every timer published on stripe {@code stripe} since the last call to {@code placer}, in
     * submission order, skipping marks. Driving thread only.
     */
    void takeSubmitted(int stripe, Consumer<WheelTimeout> placer) {
        Stripe s = stripes[stripe];
        Chunk chunk = s.readChunk;
        int index = s.readIndex;
        for (; ; ) {
            if (index == CHUNK) {
                Chunk next = (Chunk) NEXT.getAcquire(chunk);
                if (next == null) {
                    break;
                }
                chunk = next;
                index = 0;
                continue;
            }
            WheelTimeout timer = (WheelTimeout) SLOTS.getAcquire(chunk.slots, index);
            if (timer == null) {
                break; // not published yet (or nothing more): resume here next time
            }
            chunk.slots[index++] = null; // the chunk no longer retains it (a late mark is harmless)
            if (timer != CANCELLED_MARK) {
                placer.accept(timer);
            }
        }
        s.readChunk = chunk;
        s.readIndex = index;
    }

    /** Takes stripe {@code stripe}'s cancelled timers (linked by {@code nextCancelled}, any order). */
    WheelTimeout takeCancelled(int stripe) {
        return cancelledHeads.getAndSet(stripe * STRIDE, null);
    }

    int stripes() {
        return stripes.length;
    }

    /** Whether no live timer waits to be placed (driving thread; for tests of lazy arming). */
    boolean noneSubmitted() {
        for (Stripe s : stripes) {
            for (Chunk chunk = s.readChunk; chunk != null; chunk = (Chunk) NEXT.getAcquire(chunk)) {
                for (int i = chunk == s.readChunk ? s.readIndex : 0; i < CHUNK; i++) {
                    WheelTimeout timer = (WheelTimeout) SLOTS.getAcquire(chunk.slots, i);
                    if (timer == null) {
                        break;
                    }
                    if (timer != CANCELLED_MARK) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() needs Java 19
    private int stripeIndex() {
        return (int) Thread.currentThread().getId() & (stripes.length - 1);
    }

    /** One stripe: the chunk producers append to, and where the driving thread reads next. */
    static final class Stripe {
        volatile Chunk current;
        /** Driving thread only. */
        Chunk readChunk;
        /** Driving thread only. */
        int readIndex;

        Stripe() {
            Chunk first = new Chunk();
            current = first;
            readChunk = first;
        }
    }

    /** A fixed array of published timers; producers claim slots with one atomic add. */
    static final class Chunk {
        final WheelTimeout[] slots = new WheelTimeout[CHUNK];

        @SuppressWarnings("unused") // accessed through CLAIMED
        volatile int claimed;

        volatile Chunk next;
    }
}
