package net.proxy.limits;

import java.time.Duration;

/**
 * What {@link Rate#rateWith} knows about a key at one instant, for a caller's own estimate.
 *
 * @param prevSamples             events of the key in the previous, completed interval
 * @param currSamples             events of the key so far in the current interval
 * @param interval                the length of one interval
 * @param currentIntervalFraction how much of the current interval has elapsed, in {@code [0, 1)}
 */
public record RateComponents(long prevSamples, long currSamples, Duration interval, double currentIntervalFraction) {

    /**
     * Validates the components.
     *
     * @param prevSamples             events in the previous interval, {@code >= 0}
     * @param currSamples             events so far in the current interval, {@code >= 0}
     * @param interval                the interval length, {@code > 0}
     * @param currentIntervalFraction elapsed part of the current interval, in {@code [0, 1]}
     * @throws IllegalArgumentException if a count is negative, the interval not positive or the
     *     fraction outside {@code [0, 1]}
     */
    public RateComponents {
        Checks.nonNegative("prevSamples", prevSamples);
        Checks.nonNegative("currSamples", currSamples);
        Checks.positiveNanos("interval", interval, Long.MAX_VALUE);
        if (!(currentIntervalFraction >= 0 && currentIntervalFraction <= 1)) {
            throw new IllegalArgumentException(
                    "currentIntervalFraction: " + currentIntervalFraction + " (expected: in [0, 1])");
        }
    }

    /**
     * The proportional estimate of events per second: the previous interval weighted by the part of
     * it that still overlaps a sliding window ending now, plus the current interval, over the interval
     * length — {@code (prev × (1 − fraction) + curr) / intervalSeconds}. This is Cloudflare's
     * sliding-window approximation (Pingora's {@code PROPORTIONAL_RATE_ESTIMATE_CALC_FN}).
     *
     * @return estimated events per second
     */
    public double proportionalEstimate() {
        return (prevSamples * (1 - currentIntervalFraction) + currSamples) / intervalSeconds();
    }

    /**
     * The interval in (fractional) seconds.
     *
     * @return {@code interval} in seconds
     */
    public double intervalSeconds() {
        return interval.toNanos() / 1e9;
    }
}
