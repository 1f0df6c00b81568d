package net.proxy.core.lb;

import java.net.Socket;
import java.time.Duration;
import net.proxy.core.internal.Args;

/**
 * Healthy when a TCP connection to the backend can be made within the timeout; the connection is closed at once.
 *
 * <pre>{@code
 * HealthCheck check = TcpHealthCheck.builder().timeout(Duration.ofSeconds(1)).fall(2).build();
 * }</pre>
 */
public final class TcpHealthCheck implements HealthCheck {
    private final Duration timeout;
    private final Duration interval;
    private final int rise;
    private final int fall;

    private TcpHealthCheck(Builder b) {
        this.timeout = b.timeout;
        this.interval = b.interval;
        this.rise = b.rise;
        this.fall = b.fall;
    }

    /** A builder with timeout 1 s, interval 5 s, rise 1, fall 1. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void check(Backend backend) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(backend.address(), (int) Math.max(1, timeout.toMillis()));
        }
    }

    @Override
    public int rise() {
        return rise;
    }

    @Override
    public int fall() {
        return fall;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    /** Builds a {@link TcpHealthCheck}. */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(1);
        private Duration interval = Duration.ofSeconds(5);
        private int rise = 1;
        private int fall = 1;

        private Builder() {
        }

        /** Connect timeout; default 1 s. */
        public Builder timeout(Duration value) {
            this.timeout = Args.positive("timeout", value);
            return this;
        }

        /** Time between checks; default 5 s. */
        public Builder interval(Duration value) {
            this.interval = Args.positive("interval", value);
            return this;
        }

        /** Consecutive successes to become healthy; default 1. */
        public Builder rise(int value) {
            this.rise = Args.atLeast("rise", value, 1);
            return this;
        }

        /** Consecutive failures to become unhealthy; default 1. */
        public Builder fall(int value) {
            this.fall = Args.atLeast("fall", value, 1);
            return this;
        }

        /** The health check. */
        public TcpHealthCheck build() {
            return new TcpHealthCheck(this);
        }
    }
}
