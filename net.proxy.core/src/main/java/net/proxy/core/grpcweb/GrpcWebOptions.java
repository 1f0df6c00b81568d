package net.proxy.core.grpcweb;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How a {@link GrpcWeb} bridge answers browsers: CORS, off by default. Immutable; built by
 * {@link GrpcWebOptionsBuilder}.
 *
 * <pre>{@code
 * GrpcWebOptions cors = GrpcWebOptions.builder().cors(true).allowedOrigins("https://app.example").build();
 * }</pre>
 */
public final class GrpcWebOptions {
    /** CORS off. */
    public static final GrpcWebOptions DEFAULT = builder().build();

    /** Request headers every preflight allows, whatever it asks for. */
    static final List<String> BASE_ALLOWED_HEADERS =
            List.of("content-type", "x-grpc-web", "x-user-agent", "grpc-timeout", "authorization");

    private final boolean cors;
    private final Set<String> allowedOrigins;
    private final List<String> allowedHeaders;
    private final Duration maxAge;

    GrpcWebOptions(GrpcWebOptionsBuilder b) {
        this.cors = b.cors;
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.allowedHeaders = List.copyOf(b.allowedHeaders);
        this.maxAge = b.maxAge;
    }

    /**
     * Starts building options: CORS off, every origin allowed (echoed) once on, preflights cached 24 hours.
     *
     * @return a new builder
     */
    public static GrpcWebOptionsBuilder builder() {
        return new GrpcWebOptionsBuilder();
    }

    /**
     * Whether the bridge answers CORS preflights and adds CORS headers to gRPC-web responses.
     *
     * @return whether CORS is on
     */
    public boolean cors() {
        return cors;
    }

    /**
     * The origins allowed; empty allows every origin (the request's {@code Origin} is echoed).
     *
     * @return the allowed origins, exactly as browsers send them ({@code https://app.example:8443})
     */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /**
     * The request headers a preflight allows besides {@code content-type, x-grpc-web, x-user-agent, grpc-timeout,
     * authorization} and those the preflight asks for.
     *
     * @return extra header names, lower case
     */
    public List<String> allowedHeaders() {
        return allowedHeaders;
    }

    /**
     * How long browsers may cache a preflight's answer ({@code Access-Control-Max-Age}).
     *
     * @return the duration, whole seconds
     */
    public Duration maxAge() {
        return maxAge;
    }

    /** The {@code Access-Control-Allow-Origin} value for a request from {@code origin}, or null if not allowed. */
    String allowOrigin(String origin) {
        if (origin == null) {
            return null;
        }
        return allowedOrigins.isEmpty() || allowedOrigins.contains(origin) ? origin : null;
    }

    @Override
    public String toString() {
        return "GrpcWebOptions{cors=" + cors + ", allowedOrigins=" + allowedOrigins + ", allowedHeaders="
                + allowedHeaders + ", maxAge=" + maxAge + "}";
    }
}
