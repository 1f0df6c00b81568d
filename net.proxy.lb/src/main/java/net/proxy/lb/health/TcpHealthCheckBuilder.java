package net.proxy.lb.health;

/** Builds a {@link TcpHealthCheck}; obtained from {@link TcpHealthCheck#builder()}. */
public final class TcpHealthCheckBuilder extends HealthCheckBuilder<TcpHealthCheckBuilder> {

    TcpHealthCheckBuilder() {}

    /**
     * Builds the check.
     *
     * @return the health check
     */
    public TcpHealthCheck build() {
        return new TcpHealthCheck(this);
    }
}
