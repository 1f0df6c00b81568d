package net.proxy.lb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Healthy when {@code GET path} answers with the expected status within the timeout. Each check uses a new
 * connection ({@code Connection: close}) and reads only the status line.
 *
 * <pre>{@code
 * HealthCheck check = HttpHealthCheck.builder().path("/healthz").host("api.example").expectStatus(204)
 *         .interval(Duration.ofSeconds(2)).rise(2).fall(3).build();
 * }</pre>
 */
public final class HttpHealthCheck extends ThresholdCheck {
    private static final int MAX_STATUS_LINE = 1024;

    private final String path;
    private final String host;
    private final int expectStatus;

    private HttpHealthCheck(Builder b) {
        super(b);
        this.path = b.path;
        this.host = b.host;
        this.expectStatus = b.expectStatus;
    }

    /** A builder for {@code GET /} expecting 200, timeout 1 s, interval 5 s, rise 1, fall 1. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void check(Backend backend) throws Exception {
        int millis = timeoutMillis();
        try (Socket s = new Socket()) {
            s.connect(backend.address(), millis);
            s.setSoTimeout(millis);
            String hostHeader = host != null ? host : backend.toString().split(" ")[0];
            String req = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nUser-Agent: net.proxy-health-check\r\nConnection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(req.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            int status = readStatus(s.getInputStream());
            if (status != expectStatus) {
                throw new IOException("health check " + path + " on " + backend + ": status " + status + " (expected: "
                        + expectStatus + ")");
            }
        }
    }

    static int readStatus(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(32);
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (line.length() >= MAX_STATUS_LINE) {
                throw new IOException("status line longer than " + MAX_STATUS_LINE + " bytes");
            }
            line.append((char) c);
        }
        String s = line.toString().trim();
        if (!s.startsWith("HTTP/1.") || s.length() < 12 || s.charAt(8) != ' ') {
            throw new IOException("malformed status line: " + s);
        }
        try {
            return Integer.parseInt(s.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("malformed status line: " + s, e);
        }
    }

    /** Builds an {@link HttpHealthCheck}. */
    public static final class Builder extends HealthCheckBuilder<Builder> {
        private String path = "/";
        private String host;
        private int expectStatus = 200;

        private Builder() {}

        /** Request path (origin-form, starting with {@code /}); default {@code /}. */
        public Builder path(String value) {
            Objects.requireNonNull(value, "path");
            if (!value.startsWith("/") || value.chars().anyMatch(ch -> ch <= ' ' || ch >= 0x7f)) {
                throw new IllegalArgumentException("path: " + value + " (expected: /... without spaces or controls)");
            }
            this.path = value;
            return this;
        }

        /** Host header; default the backend's {@code address:port}. */
        public Builder host(String value) {
            Objects.requireNonNull(value, "host");
            if (value.isEmpty() || value.chars().anyMatch(ch -> ch <= ' ' || ch >= 0x7f)) {
                throw new IllegalArgumentException("host: " + value + " (expected: a host name without spaces)");
            }
            this.host = value;
            return this;
        }

        /** The status a healthy backend answers with; default 200. */
        public Builder expectStatus(int value) {
            this.expectStatus = Checks.between("expectStatus", value, 100, 599);
            return this;
        }

        /** The health check. */
        public HttpHealthCheck build() {
            return new HttpHealthCheck(this);
        }
    }
}
