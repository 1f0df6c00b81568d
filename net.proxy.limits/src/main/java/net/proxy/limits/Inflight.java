package net.proxy.limits;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Estimated in-flight counts per key: {@link #incr} counts a unit of work as started and returns a
 * {@link Guard} whose {@link Guard#close()} counts it as finished, exactly once (Pingora's
 * {@code Inflight}). While a guard is open its count is visible through {@link #get} and
 * {@link Guard#current()}.
 *
 * <p>Backed by one {@link CountMinSketch}, by default 4 rows × 8192 slots (256 KiB): estimates never
 * undercount and overcount only when a key collides with another busy key in all four rows, which for
 * {@code n} busy keys happens with probability about {@code (n/8192)^4}. Thread-safe and lock-free.
 *
 * <pre>{@code
 * Inflight inflight = Inflight.of();
 * try (Inflight.Guard guard = inflight.incr(upstream)) {
 *     if (guard.estimate() > 64) { return overloaded(); }
 *     return forward(upstream);
 * }
 * }</pre>
 */
public final class Inflight {

    /** Rows of the default sketch. */
    public static final int DEFAULT_ROWS = 4;
    /** Slots per row of the default sketch. */
    public static final int DEFAULT_SLOTS = 8192;

    private final CountMinSketch sketch;

    private Inflight(CountMinSketch sketch) {
        this.sketch = sketch;
    }

    /**
     * An estimator of 4 rows × 8192 slots.
     *
     * @return a new estimator with nothing in flight
     */
    public static Inflight of() {
        return of(DEFAULT_ROWS, DEFAULT_SLOTS);
    }

    /**
     * An estimator of the given sketch size.
     *
     * @param rows  hash functions, {@code > 0}
     * @param slots counters per row, {@code > 0}
     * @return a new estimator with nothing in flight
     * @throws IllegalArgumentException if either is not positive
     */
    public static Inflight of(int rows, int slots) {
        return new Inflight(CountMinSketch.of(rows, slots));
    }

    /**
     * Counts one unit in flight for the key.
     *
     * @param key the key
     * @return the guard that counts it out when closed
     */
    public Guard incr(Object key) {
        return incr(key, 1);
    }

    /**
     * Counts {@code n} units in flight for the key.
     *
     * @param key the key
     * @param n   how many, {@code >= 0}
     * @return the guard that counts them out when closed
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public Guard incr(Object key, long n) {
        long estimate = sketch.incr(key, n);
        return new Guard(this, key, n, estimate);
    }

    /**
     * The key's estimated in-flight count now.
     *
     * @param key the key
     * @return the estimate, {@code >= 0}
     */
    public long get(Object key) {
        return Math.max(0, sketch.get(key));
    }

    /**
     * What one {@link #incr} holds: closing it decrements the key by the same amount, once.
     */
    public static final class Guard implements AutoCloseable {

        private static final VarHandle CLOSED;

        static {
            try {
                CLOSED = MethodHandles.lookup().findVarHandle(Guard.class, "closed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Inflight owner;
        private final Object key;
        private final long n;
        private final long estimate;

        @SuppressWarnings("unused") // accessed through CLOSED
        private volatile boolean closed;

        private Guard(Inflight owner, Object key, long n, long estimate) {
            this.owner = owner;
            this.key = key;
            this.n = n;
            this.estimate = estimate;
        }

        /**
         * The key's estimate right after this guard counted in, this guard included.
         *
         * @return the in-flight estimate at acquisition
         */
        public long estimate() {
            return estimate;
        }

        /**
         * The key's estimate now.
         *
         * @return the current in-flight estimate
         */
        public long current() {
            return owner.get(key);
        }

        /**
         * The key this guard counts.
         *
         * @return the key given to {@link Inflight#incr}
         */
        public Object key() {
            return key;
        }

        /**
         * Whether {@link #close()} has run.
         *
         * @return {@code true} once closed
         */
        public boolean isClosed() {
            return closed;
        }

        /** Counts this guard's units out; later calls do nothing. */
        @Override
        public void close() {
            if (CLOSED.compareAndSet(this, false, true)) {
                owner.sketch.decr(key, n);
            }
        }
    }
}
