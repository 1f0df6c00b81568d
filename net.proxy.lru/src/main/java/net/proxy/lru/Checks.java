package net.proxy.lru;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the builders, with the project's message format. */
final class Checks {

    private Checks() {}

    static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
        }
        return value;
    }

    static int atLeast(String name, int value, int min) {
        return (int) atLeast(name, (long) value, min);
    }

    static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    /** Nanoseconds of a positive duration, saturated at {@link Long#MAX_VALUE}. */
    static long saturatedNanos(Duration value) {
        try {
            return value.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
