package net.proxy.lb;

import java.net.Socket;

/**
 * Healthy when a TCP connection to the backend can be made within the timeout; the connection is closed at once.
 *
 * <pre>{@code
 * HealthCheck check = TcpHealthCheck.builder().timeout(Duration.ofSeconds(1)).fall(2).build();
 * }</pre>
 */
public final class TcpHealthCheck extends ThresholdCheck {

    private TcpHealthCheck(Builder b) {
        super(b);
    }

    /** A builder with timeout 1 s, interval 5 s, rise 1, fall 1. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void check(Backend backend) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(backend.address(), timeoutMillis());
        }
    }

    /** Builds a {@link TcpHealthCheck}. */
    public static final class Builder extends HealthCheckBuilder<Builder> {
        private Builder() {}

        /** The health check. */
        public TcpHealthCheck build() {
            return new TcpHealthCheck(this);
        }
    }
}
