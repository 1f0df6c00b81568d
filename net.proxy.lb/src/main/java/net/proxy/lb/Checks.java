package net.proxy.lb;

import java.time.Duration;
import java.util.Objects;

/** Argument checks with the project's message format: {@code "name: value (expected: ...)"}. */
final class Checks {

    private Checks() {}

    /** Returns {@code value} if it is {@code >= min}. */
    static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
        }
        return value;
    }

    /** Returns {@code value} if it is strictly positive. */
    static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }
}
