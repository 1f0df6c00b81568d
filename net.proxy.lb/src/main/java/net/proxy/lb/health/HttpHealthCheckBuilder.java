package net.proxy.lb.health;

import java.util.Objects;

/**
 * Builds an {@link HttpHealthCheck}; obtained from {@link HttpHealthCheck#builder()}. Every setter validates its
 * argument at once.
 */
public final class HttpHealthCheckBuilder extends HealthCheckBuilder<HttpHealthCheckBuilder> {
    String path = "/";
    String host;
    int expectStatus = 200;

    HttpHealthCheckBuilder() {}

    /**
     * The request path (origin-form). Default {@code /}.
     *
     * @param value a path starting with {@code /}, without spaces or control characters
     * @return this builder
     */
    public HttpHealthCheckBuilder path(String value) {
        Objects.requireNonNull(value, "path");
        if (!value.startsWith("/") || !visible(value)) {
            throw new IllegalArgumentException("path: " + value + " (expected: /... without spaces or controls)");
        }
        this.path = value;
        return this;
    }

    /**
     * The Host header. Default the backend's {@code address:port}.
     *
     * @param value a host name (with an optional port), without spaces
     * @return this builder
     */
    public HttpHealthCheckBuilder host(String value) {
        Objects.requireNonNull(value, "host");
        if (value.isEmpty() || !visible(value)) {
            throw new IllegalArgumentException("host: " + value + " (expected: a host name without spaces)");
        }
        this.host = value;
        return this;
    }

    /**
     * The status a healthy backend answers with. Default 200.
     *
     * @param value a status code, 100..599
     * @return this builder
     */
    public HttpHealthCheckBuilder expectStatus(int value) {
        this.expectStatus = Checks.between("expectStatus", value, 100, 599);
        return this;
    }

    /**
     * Builds the check.
     *
     * @return the health check
     */
    public HttpHealthCheck build() {
        return new HttpHealthCheck(this);
    }

    private static boolean visible(String value) {
        return value.chars().noneMatch(ch -> ch <= ' ' || ch >= 0x7f);
    }
}
