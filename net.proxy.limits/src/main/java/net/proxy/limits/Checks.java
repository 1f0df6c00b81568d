package net.proxy.limits;

import java.time.Duration;
import java.util.Objects;

/** Argument checks with the project's message format: {@code "name: value (expected: ...)"}. */
final class Checks {

    private Checks() {}

    static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
        return value;
    }

    static long positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    /** A positive duration in nanoseconds, at most {@code maxNanos}. */
    static long positiveNanos(String name, Duration value, long maxNanos) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        if (value.compareTo(Duration.ofNanos(maxNanos)) > 0) {
            throw new IllegalArgumentException(
                    name + ": " + value + " (expected: <= " + Duration.ofNanos(maxNanos) + ")");
        }
        return value.toNanos();
    }
}
