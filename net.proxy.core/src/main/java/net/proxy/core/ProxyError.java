package net.proxy.core;

import java.util.Objects;

/**
 * The single unchecked error of the proxy path, in the manner of Pingora's {@code pingora_error::Error}: a
 * {@link ErrorKind kind}, a {@link ErrorSource source}, a retry decision, an optional cause and free-form context
 * lines added as the error travels up.
 *
 * <p>Instances never fill in a stack trace: they are created on hot paths (a refused connection, a malformed
 * request) where the trace costs more than the work and says nothing the kind and context do not. The cause keeps
 * its own trace.
 *
 * <p>Retry decision: {@link Retry#NEVER} by default; {@link Retry#REUSED_ONLY} marks failures that are typical of a
 * stale pooled connection and becomes a real yes or no in {@link ProxyHttp#errorWhileProxy};
 * {@link Retry#UNPROCESSED} marks requests the origin declared it never processed (HTTP/2 {@code REFUSED_STREAM},
 * or a stream above a {@code GOAWAY}'s last stream id), which may be retried whatever their method. A
 * {@code ProxyError} is mutable only in its retry flag and context, and only by the request that owns it.
 */
public final class ProxyError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Whether the proxy may try the request again (on the same or another peer). */
    public enum Retry {
        /** Do not retry. */
        NEVER,
        /** Retry. */
        ALWAYS,
        /** Retry only if the failed upstream connection came from the pool and the request can be replayed. */
        REUSED_ONLY,
        /**
         * Retry, whatever the method: the origin guarantees that it did not process the request (RFC 9113 §8.7:
         * HTTP/2 {@code REFUSED_STREAM}, or a stream above the last stream id of a {@code GOAWAY}), so even a
         * {@code POST} whose bytes went out may be sent again, on another connection. A retry still needs the whole
         * body, so a body that outgrew the retry buffer is not retried.
         */
        UNPROCESSED
    }

    private final ErrorKind kind;
    private final ErrorSource source;
    private final int status;
    private Retry retry;
    private String context;

    private ProxyError(ErrorKind kind, ErrorSource source, int status, String context, Throwable cause) {
        super(null, cause, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.source = Objects.requireNonNull(source, "source");
        this.status = status;
        this.context = context;
        this.retry = Retry.NEVER;
    }

    /** An error of {@code kind} from {@code source}, described by {@code context}. */
    public static ProxyError of(ErrorKind kind, ErrorSource source, String context) {
        return new ProxyError(kind, source, 0, context, null);
    }

    /** An error of {@code kind} from {@code source} caused by {@code cause}. */
    public static ProxyError because(ErrorKind kind, ErrorSource source, String context, Throwable cause) {
        return new ProxyError(kind, source, 0, context, cause);
    }

    /**
     * An error that ends the exchange with HTTP {@code status} (100..599), e.g. a filter refusing a request.
     *
     * @throws IllegalArgumentException if {@code status} is not a valid HTTP status code
     */
    public static ProxyError status(int status, String context) {
        return status(status, ErrorSource.INTERNAL, context);
    }

    /**
     * An error from {@code source} that ends the exchange with HTTP {@code status} (100..599), e.g. an upstream
     * status that triggers a retry, or a downstream request refused with 413.
     *
     * @throws IllegalArgumentException if {@code status} is not a valid HTTP status code
     */
    public static ProxyError status(int status, ErrorSource source, String context) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
        }
        return new ProxyError(ErrorKind.HTTP_STATUS, source, status, context, null);
    }

    /**
     * Wraps any throwable as a {@code ProxyError}: returns it unchanged if it already is one, otherwise an
     * {@link ErrorKind#INTERNAL_ERROR} of {@code source} with the throwable as cause.
     */
    public static ProxyError wrap(Throwable t, ErrorSource source) {
        Throwable x = t;
        while (x instanceof java.util.concurrent.CompletionException && x.getCause() != null) {
            x = x.getCause();
        }
        if (x instanceof ProxyError) {
            return (ProxyError) x;
        }
        return because(ErrorKind.INTERNAL_ERROR, source, null, x);
    }

    /** What went wrong. */
    public ErrorKind kind() {
        return kind;
    }

    /** Which side it went wrong on. */
    public ErrorSource source() {
        return source;
    }

    /** The HTTP status for {@link ErrorKind#HTTP_STATUS} errors, 0 otherwise. */
    public int status() {
        return status;
    }

    /** The current retry decision. */
    public Retry retry() {
        return retry;
    }

    /** Whether the retry decision is {@link Retry#ALWAYS} or {@link Retry#UNPROCESSED}. */
    public boolean isRetryable() {
        return retry == Retry.ALWAYS || retry == Retry.UNPROCESSED;
    }

    /** Sets the retry decision to {@link Retry#ALWAYS} or {@link Retry#NEVER}; returns this error. */
    public ProxyError retryable(boolean yes) {
        this.retry = yes ? Retry.ALWAYS : Retry.NEVER;
        return this;
    }

    /** Sets the retry decision; returns this error. */
    public ProxyError retry(Retry decision) {
        this.retry = Objects.requireNonNull(decision, "decision");
        return this;
    }

    /** The context lines, most recent last, or {@code null}. */
    public String context() {
        return context;
    }

    /** Appends a context line (e.g. {@code "peer: 127.0.0.1:8080"}); returns this error. */
    public ProxyError addContext(String line) {
        this.context = context == null ? line : context + "; " + line;
        return this;
    }

    /**
     * The status Pingora's {@code fail_to_proxy} answers with for this error: the explicit status of an
     * {@link ErrorKind#HTTP_STATUS} error; 504 for an upstream timeout and 502 for any other upstream error; 0 (send
     * nothing: the connection is gone) for a downstream read, write or close error and 400 for other downstream
     * errors; 500 for internal errors.
     */
    public int defaultStatus() {
        if (kind == ErrorKind.HTTP_STATUS) {
            return status;
        }
        switch (source) {
            case UPSTREAM:
                return kind.isTimeout() ? 504 : 502;
            case DOWNSTREAM:
                switch (kind) {
                    case READ_ERROR:
                    case WRITE_ERROR:
                    case CONNECTION_CLOSED:
                    case READ_TIMEOUT:
                    case WRITE_TIMEOUT:
                        return 0;
                    default:
                        return 400;
                }
            default:
                return 500;
        }
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder(64).append(kind);
        if (kind == ErrorKind.HTTP_STATUS) {
            sb.append(' ').append(status);
        }
        sb.append(" (").append(source).append(')');
        if (context != null) {
            sb.append(": ").append(context);
        }
        Throwable cause = getCause();
        if (cause != null) {
            sb.append(", cause: ").append(cause);
        }
        return sb.toString();
    }
}
