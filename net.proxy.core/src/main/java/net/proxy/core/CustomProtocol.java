package net.proxy.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A user-defined protocol that carries HTTP messages in its own framing (Pingora 0.7's custom protocol support,
 * {@code ALPN::Custom}): an ALPN id of 1–255 bytes and a factory of one {@link CustomCodec} per connection.
 *
 * <p>A listener ({@link HttpProxyBuilder#customProtocol}) serves it on TLS connections whose ALPN selected
 * {@link #alpn()}, or on every connection when forced ({@link HttpProxyBuilder#forceCustomProtocol}); a peer
 * ({@link HttpPeerBuilder#customProtocol}) speaks it when the origin selected it over TLS, else HTTP/1.1, and
 * always on clear text. Every {@link ProxyHttp} phase runs unchanged on requests that arrive or leave this way.
 *
 * <pre>{@code
 * CustomProtocol frames = CustomProtocol.of("x-frames", MyFrameCodec::new);
 * HttpPeer core = HttpPeer.builder(address).customProtocol(frames).build();
 * }</pre>
 *
 * @param alpn the ALPN protocol id: 1–255 bytes (UTF-8), neither {@code h2} nor {@code http/1.1}
 * @param codecs makes the codec of each new connection (called on the connection's event loop)
 */
public record CustomProtocol(String alpn, Supplier<? extends CustomCodec> codecs) {
    /** The longest ALPN protocol id, in bytes (RFC 7301 §3.1). */
    public static final int MAX_ALPN_BYTES = 255;

    /**
     * Validates the id and the factory.
     *
     * @throws IllegalArgumentException if {@code alpn} is empty, longer than 255 bytes, or names HTTP/1.1 or HTTP/2
     */
    public CustomProtocol {
        Objects.requireNonNull(alpn, "alpn");
        Objects.requireNonNull(codecs, "codecs");
        int bytes = alpn.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < 1 || bytes > MAX_ALPN_BYTES) {
            throw new IllegalArgumentException("alpn: " + bytes + " bytes (expected: 1.." + MAX_ALPN_BYTES + ")");
        }
        if (alpn.equals(H2Options.ALPN_H2) || alpn.equals(H2Options.ALPN_HTTP11)) {
            throw new IllegalArgumentException("alpn: " + alpn + " (expected: an id other than h2 and http/1.1)");
        }
    }

    /**
     * A custom protocol named {@code alpn} whose connections each get a codec from {@code codecs}.
     *
     * @param alpn the ALPN protocol id, 1–255 bytes
     * @param codecs the per-connection codec factory
     * @return the protocol
     */
    public static CustomProtocol of(String alpn, Supplier<? extends CustomCodec> codecs) {
        return new CustomProtocol(alpn, codecs);
    }

    /** A new codec for one connection; a factory returning null is a programming error. */
    CustomCodec newCodec() {
        return Objects.requireNonNull(codecs.get(), () -> "custom protocol " + alpn + ": the codec factory gave null");
    }
}
