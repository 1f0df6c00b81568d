package net.proxy.core;

/**
 * The status codes of gRPC, with their numbers on the wire ({@code grpc-status}).
 *
 * <p>[1] gRPC status codes, https://github.com/grpc/grpc/blob/master/doc/statuscodes.md
 */
public enum GrpcCode {
    /** 0: not an error. */
    OK,
    /** 1: the operation was cancelled, typically by the caller. */
    CANCELLED,
    /** 2: an unknown error, e.g. an HTTP status without a better match. */
    UNKNOWN,
    /** 3: the client gave an invalid argument. */
    INVALID_ARGUMENT,
    /** 4: the deadline expired before the operation could complete. */
    DEADLINE_EXCEEDED,
    /** 5: some requested entity was not found. */
    NOT_FOUND,
    /** 6: the entity the client tried to create already exists. */
    ALREADY_EXISTS,
    /** 7: the caller may not execute the operation. */
    PERMISSION_DENIED,
    /** 8: some resource has been exhausted, perhaps a per-user quota. */
    RESOURCE_EXHAUSTED,
    /** 9: the system is not in a state required for the operation. */
    FAILED_PRECONDITION,
    /** 10: the operation was aborted, typically by a concurrency conflict. */
    ABORTED,
    /** 11: the operation was attempted past the valid range. */
    OUT_OF_RANGE,
    /** 12: the operation (method) is not implemented or not supported. */
    UNIMPLEMENTED,
    /** 13: an internal error: an invariant of the underlying system is broken. */
    INTERNAL,
    /** 14: the service is currently unavailable; most likely transient, a retry may succeed. */
    UNAVAILABLE,
    /** 15: unrecoverable data loss or corruption. */
    DATA_LOSS,
    /** 16: the request does not have valid authentication credentials. */
    UNAUTHENTICATED;

    private static final GrpcCode[] VALUES = values();

    /**
     * The number on the wire.
     *
     * @return 0..16
     */
    public int value() {
        return ordinal();
    }

    /**
     * The code with number {@code value}.
     *
     * @param value the number on the wire
     * @return the code; {@link #UNKNOWN} for a number outside 0..16 (statuscodes.md: clients treat unknown codes
     *     as {@code UNKNOWN})
     */
    public static GrpcCode of(int value) {
        return value >= 0 && value < VALUES.length ? VALUES[value] : UNKNOWN;
    }

    /**
     * Parses a {@code grpc-status} value.
     *
     * @param value the field's value, e.g. {@code "14"}
     * @return the code, or {@code null} if {@code value} is not a decimal number
     */
    public static GrpcCode parse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty() || v.length() > 3) {
            return null;
        }
        int n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            n = n * 10 + (c - '0');
        }
        return of(n);
    }
}
