package net.proxy.core;

/**
 * The HTTP version an {@link HttpPeer} is spoken to in (Pingora's {@code ALPN} choice of a peer).
 *
 * <p>On a plain-text peer {@link #H2} means HTTP/2 with prior knowledge (RFC 9113 §3.3, "h2c"); on a TLS peer it
 * means ALPN {@code h2} only, and the connection fails if the origin does not select it (an origin with ALPN but
 * without {@code h2} refuses the handshake; one without ALPN gets a connect error). {@link #H2_OR_H1} offers
 * ALPN {@code h2} and {@code http/1.1} and speaks whichever the origin selects (HTTP/1.1 when it selects none); it
 * needs TLS, since plain text has no negotiation.
 *
 * <p>[1] RFC 9113 §3 Starting HTTP/2, https://www.rfc-editor.org/rfc/rfc9113; RFC 7301 (ALPN).
 */
public enum UpstreamProtocol {
    /** HTTP/1.1, one request at a time per connection (the default). */
    H1,
    /** HTTP/2: prior knowledge on plain text, ALPN {@code h2} on TLS; many requests share a connection. */
    H2,
    /** TLS with ALPN {@code h2, http/1.1}: HTTP/2 when the origin selects it, else HTTP/1.1. */
    H2_OR_H1
}
