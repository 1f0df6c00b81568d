package net.proxy.limits;

import java.time.Duration;

/**
 * Builds a {@link RateBudget}, checking each argument as it is given (and, in {@link #build()}, the burst against
 * the rate). Defaults: no rate (required), burst 0.
 */
public final class RateBudgetBuilder {

    private long emissionNanos;
    private long burst;

    RateBudgetBuilder() {}

    /**
     * The sustained rate (required): {@code events} per {@code per}, e.g. {@code rate(100, Duration.ofSeconds(1))}.
     *
     * @param events events per period, {@code > 0}
     * @param per    the period, {@code > 0} and at most about 73 years
     * @return this builder
     * @throws IllegalArgumentException if either is not positive, the period is too long or the rate exceeds one
     *     event per nanosecond
     * @throws NullPointerException if {@code per} is null
     */
    public RateBudgetBuilder rate(long events, Duration per) {
        this.emissionNanos = Gcra.emissionNanos("events", events, "per", per);
        return this;
    }

    /**
     * Extra events admitted at once above the rate (nginx's {@code burst}); default 0.
     *
     * @param burst {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code burst < 0}
     */
    public RateBudgetBuilder burst(long burst) {
        this.burst = Checks.nonNegative("burst", burst);
        return this;
    }

    /**
     * Builds the budget, full.
     *
     * @return a new budget
     * @throws IllegalStateException if no rate was given
     * @throws IllegalArgumentException if {@code burst × per / events} exceeds about 73 years
     */
    public RateBudget build() {
        if (emissionNanos == 0) {
            throw new IllegalStateException("rate: not set (expected: rate(events, per))");
        }
        Gcra.checkTolerance(burst, emissionNanos, "per", "events");
        return new RateBudget(emissionNanos, burst);
    }
}
