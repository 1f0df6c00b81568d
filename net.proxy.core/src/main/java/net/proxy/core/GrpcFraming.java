package net.proxy.core;

import io.netty.buffer.ByteBuf;

/**
 * Follows the length-prefixed messages of a gRPC response body as it passes, without copying or consuming a byte,
 * to tell whether what went out so far ends on a message boundary. A call that fails after its response started can
 * then be ended with trailers carrying a {@code grpc-status} (the client gets a status it understands, such as
 * {@code UNAVAILABLE} or {@code DEADLINE_EXCEEDED}) where a cut inside a message can only be a reset.
 *
 * <p>Each message is a 1-byte compressed flag, a 4-byte big-endian length and that many bytes (PROTOCOL-HTTP2.md,
 * "Length-Prefixed-Message"); the scan skips payloads whole, so it costs a few steps per message, not per byte.
 *
 * <p>[1] gRPC over HTTP2, https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
 */
final class GrpcFraming {
    /** Prefix bytes of the current message seen so far (0 between messages). */
    private int prefixSeen;
    /** The length read from the prefix so far. */
    private long length;
    /** Payload bytes of the current message still to come. */
    private long payloadLeft;

    /** Accounts for {@code data}'s readable bytes, which go out next. */
    void advance(ByteBuf data) {
        int i = data.readerIndex();
        int end = data.writerIndex();
        while (i < end) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, end - i);
                payloadLeft -= skip;
                i += skip;
                continue;
            }
            int b = data.getByte(i++) & 0xff;
            if (prefixSeen > 0) {
                length = length << 8 | b;
            }
            if (++prefixSeen == 5) {
                payloadLeft = length;
                prefixSeen = 0;
                length = 0;
            }
        }
    }

    /** Whether everything passed so far is whole messages. */
    boolean atBoundary() {
        return prefixSeen == 0 && payloadLeft == 0;
    }
}
