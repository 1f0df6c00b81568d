package net.proxy.core.grpcweb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Base64 (RFC 4648 §4, standard alphabet) for {@code application/grpc-web-text} bodies, chunk by chunk.
 *
 * <p>Encoding: each response chunk is encoded on its own, padded, so every message leaves as soon as it arrives;
 * PROTOCOL-WEB.md allows padding wherever the sender flushes. Decoding: the request body is read in 4-character
 * quanta, each decoded on its own, so padding may end any quantum (a concatenation of padded pieces, as clients
 * send); a quantum split across chunks waits in {@link Decoder} for the rest. CR, LF, space and tab are skipped.
 *
 * <p>References: [1] gRPC-Web protocol, text-encoded streams,
 * https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-WEB.md [2] RFC 4648 §4,
 * https://www.rfc-editor.org/rfc/rfc4648#section-4
 */
final class Base64Chunks {
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    /** Character to 6-bit value; -1 invalid, -2 padding, -3 skipped white space. */
    private static final byte[] VALUES = new byte[256];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
        }
        VALUES['='] = -2;
        VALUES['\r'] = -3;
        VALUES['\n'] = -3;
        VALUES[' '] = -3;
        VALUES['\t'] = -3;
    }

    private Base64Chunks() {}

    /** Encodes {@code in}'s readable bytes, padded, into a new buffer; {@code in} is not released. */
    static ByteBuf encode(ByteBuf in, ByteBufAllocator alloc) {
        int n = in.readableBytes();
        ByteBuf out = alloc.buffer((n + 2) / 3 * 4);
        int i = in.readerIndex();
        int end = i + n;
        for (; end - i >= 3; i += 3) {
            int v = (in.getUnsignedByte(i) << 16) | (in.getUnsignedByte(i + 1) << 8) | in.getUnsignedByte(i + 2);
            out.writeByte(ALPHABET[v >>> 18 & 63])
                    .writeByte(ALPHABET[v >>> 12 & 63])
                    .writeByte(ALPHABET[v >>> 6 & 63])
                    .writeByte(ALPHABET[v & 63]);
        }
        if (end - i == 1) {
            int v = in.getUnsignedByte(i) << 16;
            out.writeByte(ALPHABET[v >>> 18 & 63])
                    .writeByte(ALPHABET[v >>> 12 & 63])
                    .writeByte('=')
                    .writeByte('=');
        } else if (end - i == 2) {
            int v = (in.getUnsignedByte(i) << 16) | (in.getUnsignedByte(i + 1) << 8);
            out.writeByte(ALPHABET[v >>> 18 & 63])
                    .writeByte(ALPHABET[v >>> 12 & 63])
                    .writeByte(ALPHABET[v >>> 6 & 63])
                    .writeByte('=');
        }
        return out;
    }

    /** Malformed base64 in a request body. */
    static final class MalformedBase64Exception extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedBase64Exception(String message) {
            super(message, null);
        }
    }

    /** Decodes one body, chunk after chunk; at most 3 characters of a split quantum are held between chunks. */
    static final class Decoder {
        private final int[] quantum = new int[4];
        private int held;
        private long offset;

        /**
         * Decodes the characters of {@code in} (not released) into a new buffer, keeping an incomplete last quantum.
         *
         * @throws MalformedBase64Exception at a character outside the alphabet or misplaced padding
         */
        ByteBuf decode(ByteBuf in, ByteBufAllocator alloc) {
            ByteBuf out = alloc.buffer((held + in.readableBytes()) / 4 * 3 + 3);
            try {
                for (int i = in.readerIndex(), end = in.writerIndex(); i < end; i++, offset++) {
                    int c = in.getUnsignedByte(i);
                    int v = VALUES[c];
                    if (v == -3) {
                        continue;
                    }
                    if (v == -1) {
                        throw new MalformedBase64Exception(
                                "invalid base64 character 0x" + Integer.toHexString(c) + " at offset " + offset);
                    }
                    quantum[held++] = v;
                    if (held == 4) {
                        held = 0;
                        flush(out);
                    }
                }
                return out;
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
        }

        private void flush(ByteBuf out) {
            int a = quantum[0];
            int b = quantum[1];
            int c = quantum[2];
            int d = quantum[3];
            if (a < 0 || b < 0 || c < 0 && d >= 0) {
                throw new MalformedBase64Exception("misplaced base64 padding in the group ending at offset " + offset);
            }
            out.writeByte(a << 2 | b >>> 4);
            if (c >= 0) {
                out.writeByte((b << 4 | c >>> 2) & 0xff);
                if (d >= 0) {
                    out.writeByte((c << 6 | d) & 0xff);
                }
            }
        }

        /**
         * Checks that the body ended on a quantum boundary.
         *
         * @throws MalformedBase64Exception if characters of an incomplete quantum are left
         */
        void finish() {
            if (held != 0) {
                throw new MalformedBase64Exception(
                        "base64 body ends inside a 4-character group (" + held + " characters left)");
            }
        }
    }
}
