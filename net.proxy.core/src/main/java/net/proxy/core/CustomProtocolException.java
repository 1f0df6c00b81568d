package net.proxy.core;

/**
 * Bytes of a {@link CustomProtocol} connection that its {@link CustomCodec} cannot decode, or message parts in an
 * order the protocol does not allow (a body before a head, a second request head while a body is open...). The
 * connection is closed; a request still waiting for its response is answered 400 (on a listener) or fails as an
 * invalid response (towards an origin).
 */
public final class CustomProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception naming what is wrong with the input.
     *
     * @param message what was malformed, e.g. {@code "frame type 9 (expected: 1..4)"}
     */
    public CustomProtocolException(String message) {
        super(message, null, false, false);
    }
}
