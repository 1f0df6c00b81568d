package net.proxy.core.internal;

import java.time.Duration;
import java.util.Objects;

/** Eager argument checks for builders, with one message format: {@code "name: value (expected: ...)"}. */
public final class Args {
    private Args() {}

    /** Returns {@code value} if it is {@code >= min}. */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
        }
        return value;
    }

    /** Returns {@code value} if it lies in {@code [min, max]}. */
    public static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + min + ".." + max + ")");
        }
        return value;
    }

    /** Returns {@code d} if it is strictly positive. */
    public static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
        return d;
    }

    /** Returns {@code d} if it is zero or positive. */
    public static Duration nonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
        }
        return d;
    }
}
