package net.proxy.limits;

import java.time.Duration;

/**
 * The arithmetic of the Generic Cell Rate Algorithm shared by {@link GcraLimiter} (one theoretical arrival time per
 * slot, updated by CAS) and {@link RateBudget} (one per object, a plain field): the checks of a configuration and the
 * conformance test. Static methods only, so both callers keep their parameters in their own final fields and the
 * JIT inlines every call.
 *
 * <p>With the emission interval {@code T = period / rate} and the burst tolerance {@code tau = burst × T}, the state
 * is a theoretical arrival time (TAT): when the next event would be exactly on schedule. For {@code n} events at
 * time {@code t}, {@link #ahead} is how far ahead of its schedule the key would then be,
 * {@code max(TAT − t, 0) + n·T}; the events conform iff that is at most {@link #limit} {@code = tau + T} (the key is
 * no further ahead than the burst allows), and the new TAT is then {@code t + ahead}. A rejected request would
 * conform after {@code ahead − limit} nanoseconds. Working on the difference {@code TAT − t} rather than on
 * {@code max(TAT, t)} keeps the result right when the clock wraps around (as {@link System#nanoTime()} may).
 *
 * <p>Bounds: a period is at most {@link #MAX_NANOS} (about 73 years) and so is {@code tau}, so
 * {@code limit <= 2 × MAX_NANOS}, {@code ahead <= limit + n·T <= 4 × MAX_NANOS = Long.MAX_VALUE} for a conforming
 * TAT, and no sum overflows.
 *
 * <p>References: The ATM Forum, Traffic Management Specification Version 4.0, af-tm-0056.000, 1996, §4.4.2 and
 * Annex C (GCRA, virtual scheduling form); nginx, ngx_http_limit_req_module, whose {@code rate} and {@code burst}
 * have the same meaning.
 */
final class Gcra {

    /** The largest period, and the largest {@code burst × period / rate}: {@code Long.MAX_VALUE / 4} ns. */
    static final long MAX_NANOS = Long.MAX_VALUE / 4;

    private Gcra() {}

    /**
     * The emission interval of {@code count} events per {@code period}, checked.
     *
     * @param countName the name of the count parameter in messages ({@code "permits"}, {@code "events"})
     * @throws IllegalArgumentException if either is not positive, the period exceeds {@link #MAX_NANOS} or the rate
     *     exceeds one event per nanosecond
     */
    static long emissionNanos(String countName, long count, String periodName, Duration period) {
        Checks.positive(countName, count);
        long periodNanos = Checks.positiveNanos(periodName, period, MAX_NANOS);
        if (periodNanos / count == 0) {
            throw new IllegalArgumentException(
                    "rate: " + count + " per " + period + " (expected: at most 1 per nanosecond)");
        }
        return periodNanos / count;
    }

    /**
     * Checks that the burst tolerance {@code burst × emissionNanos} is at most {@link #MAX_NANOS}.
     *
     * @param periodName the name of the period parameter in the message
     * @param countName the name of the count parameter in the message
     * @throws IllegalArgumentException if it is larger
     */
    static void checkTolerance(long burst, long emissionNanos, String periodName, String countName) {
        if (burst > MAX_NANOS / emissionNanos) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: burst * " + periodName + " / "
                    + countName + " <= " + Duration.ofNanos(MAX_NANOS) + ")");
        }
    }

    /**
     * Checks that {@code permits} events could ever be admitted at once: {@code 1 <= permits <= burst + 1}.
     *
     * @throws IllegalArgumentException if not
     */
    static void checkPermits(long permits, long burst) {
        if (permits < 1 || permits > burst + 1) {
            throw new IllegalArgumentException(
                    "permits: " + permits + " (expected: in [1, " + (burst + 1) + "] = [1, burst + 1])");
        }
    }

    /** The most a key may be ahead of its schedule, {@code tau + T = (burst + 1) × T}. */
    static long limit(long burst, long emissionNanos) {
        return (burst + 1) * emissionNanos;
    }

    /**
     * How far ahead of schedule the key would be after {@code cost} more nanoseconds of events at {@code now}: the
     * events conform iff the result is at most {@link #limit}, and the new TAT is then {@code now + ahead}.
     */
    static long ahead(long tat, long now, long cost) {
        return Math.max(tat - now, 0) + cost;
    }

    /** How many more single events a key that is {@code ahead <= limit} could make at once. */
    static long remaining(long limit, long ahead, long emissionNanos) {
        return (limit - ahead) / emissionNanos;
    }
}
