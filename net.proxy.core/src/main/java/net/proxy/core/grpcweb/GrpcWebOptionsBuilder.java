package net.proxy.core.grpcweb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds {@link GrpcWebOptions}; obtained from {@link GrpcWebOptions#builder()}. Every setter validates its argument
 * at once.
 */
public final class GrpcWebOptionsBuilder {
    boolean cors;
    List<String> allowedOrigins = List.of();
    List<String> allowedHeaders = List.of();
    Duration maxAge = Duration.ofHours(24);

    GrpcWebOptionsBuilder() {}

    /**
     * Turns CORS for browsers on or off. When on, an {@code OPTIONS} request with
     * {@code Access-Control-Request-Method: POST} from an allowed origin is answered by the proxy itself with 204 and
     * {@code Access-Control-Allow-Origin}, {@code -Allow-Methods: POST}, {@code -Allow-Headers} and
     * {@code -Max-Age}; gRPC-web responses to an allowed origin carry {@code Access-Control-Allow-Origin} and
     * {@code Access-Control-Expose-Headers: grpc-status, grpc-message}. Default off.
     *
     * @param value whether CORS is on
     * @return this builder
     */
    public GrpcWebOptionsBuilder cors(boolean value) {
        this.cors = value;
        return this;
    }

    /**
     * The origins allowed by CORS, compared exactly with the request's {@code Origin}. Default none named: every
     * origin is allowed and echoed.
     *
     * @param origins {@code scheme://host[:port]} each, without a path
     * @return this builder
     */
    public GrpcWebOptionsBuilder allowedOrigins(String... origins) {
        List<String> list = new ArrayList<>();
        for (String o : Objects.requireNonNull(origins, "origins")) {
            Objects.requireNonNull(o, "origin");
            int scheme = o.indexOf("://");
            if (scheme <= 0 || o.indexOf('/', scheme + 3) >= 0 || o.length() == scheme + 3 || !visible(o)) {
                throw new IllegalArgumentException("allowedOrigins: " + o + " (expected: scheme://host[:port])");
            }
            list.add(o);
        }
        this.allowedOrigins = List.copyOf(list);
        return this;
    }

    /**
     * Request headers every preflight allows besides the built-in {@code content-type, x-grpc-web, x-user-agent,
     * grpc-timeout, authorization} and those a preflight asks for. Default none.
     *
     * @param names header names (stored lower case)
     * @return this builder
     */
    public GrpcWebOptionsBuilder allowedHeaders(String... names) {
        List<String> list = new ArrayList<>();
        for (String n : Objects.requireNonNull(names, "names")) {
            Objects.requireNonNull(n, "name");
            if (n.isEmpty() || !visible(n) || n.indexOf(',') >= 0 || n.indexOf(':') >= 0) {
                throw new IllegalArgumentException("allowedHeaders: " + n + " (expected: a header name)");
            }
            list.add(n.toLowerCase(Locale.ROOT));
        }
        this.allowedHeaders = List.copyOf(list);
        return this;
    }

    /**
     * How long browsers may cache a preflight's answer. Default 24 hours.
     *
     * @param value at least one second
     * @return this builder
     */
    public GrpcWebOptionsBuilder maxAge(Duration value) {
        Objects.requireNonNull(value, "maxAge");
        if (value.getSeconds() < 1) {
            throw new IllegalArgumentException("maxAge: " + value + " (expected: >= PT1S)");
        }
        this.maxAge = value;
        return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public GrpcWebOptions build() {
        return new GrpcWebOptions(this);
    }

    private static boolean visible(String value) {
        return value.chars().noneMatch(ch -> ch <= ' ' || ch >= 0x7f);
    }
}
