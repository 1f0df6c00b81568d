package net.proxy.lb.health;

import java.util.Objects;

/**
 * Builds a {@link GrpcHealthCheck}; obtained from {@link GrpcHealthCheck#builder()}. Every setter validates its
 * argument at once.
 */
public final class GrpcHealthCheckBuilder extends HealthCheckBuilder<GrpcHealthCheckBuilder> {
    String service = "";
    String authority;

    GrpcHealthCheckBuilder() {}

    /**
     * The service whose status is asked, as the server registered it (usually the fully qualified gRPC service name,
     * {@code "helloworld.Greeter"}). Default {@code ""}: the server as a whole.
     *
     * @param value a service name, empty for the whole server
     * @return this builder
     */
    public GrpcHealthCheckBuilder service(String value) {
        this.service = Objects.requireNonNull(value, "service");
        return this;
    }

    /**
     * The {@code :authority} of the call. Default the backend's {@code address:port}.
     *
     * @param value a host name (with an optional port), without spaces
     * @return this builder
     */
    public GrpcHealthCheckBuilder authority(String value) {
        Objects.requireNonNull(value, "authority");
        if (value.isEmpty() || value.chars().anyMatch(ch -> ch <= ' ' || ch >= 0x7f)) {
            throw new IllegalArgumentException("authority: " + value + " (expected: a host name without spaces)");
        }
        this.authority = value;
        return this;
    }

    /**
     * Builds the check.
     *
     * @return the health check
     */
    public GrpcHealthCheck build() {
        return new GrpcHealthCheck(this);
    }
}
