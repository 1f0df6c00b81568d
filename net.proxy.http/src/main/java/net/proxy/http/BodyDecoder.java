package net.proxy.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads one message body framed as a {@link BodyFraming} says, from bytes that arrive in pieces of any size,
 * without copying the body: each {@link #decode(ByteBuffer)} call skips framing bytes (chunk-size lines, CRLFs,
 * trailers) and returns how many body bytes it passed over, which lie right before the buffer's new position.
 *
 * <pre>{@code
 * BodyDecoder body = BodyDecoder.of(request.framing(), HttpLimits.defaults());
 * while (buf.hasRemaining() && !body.isComplete()) {
 *     int n = body.decode(buf);
 *     if (n > 0) forward(buf.slice(buf.position() - n, n));   // the body bytes, in place
 * }
 * // later bytes in buf belong to the next (pipelined) message
 * body.reset(next.framing());                                    // reuse it for the next message
 * }</pre>
 *
 * <p>How (chunked, RFC 9112 §7.1): a small state machine reads {@code chunk-size [BWS ";" ext] CRLF},
 * then skips {@code chunk-size} data bytes at once, then requires CRLF; a size of 0 starts the trailer
 * section, which is buffered (at most {@link HttpLimits#maxTrailerSize()} bytes) and parsed with the head's
 * field rules when its empty line arrives. The size line, hex digits and extensions included, is bounded by
 * {@link HttpLimits#maxChunkHeadSize()}; a size that would overflow 63 bits is refused before it does. A body
 * over {@link HttpLimits#maxBodySize()} gives {@link ContentTooLargeException}. {@link #reset} readies the
 * decoder for the next message of a connection and keeps its trailer buffer, so a connection's bodies allocate
 * nothing but their trailer fields. Not thread-safe.
 *
 * <p>[1] RFC 9112 §7.1 Chunked Transfer Coding, https://www.rfc-editor.org/rfc/rfc9112#section-7.1
 * <br>[2] RFC 9112 §6.3 Message Body Length, https://www.rfc-editor.org/rfc/rfc9112#section-6.3
 */
public final class BodyDecoder {
    private static final int SIZE = 0;
    private static final int SIZE_WS = 1;
    private static final int EXT = 2;
    private static final int SIZE_LF = 3;
    private static final int DATA = 4;
    private static final int DATA_CR = 5;
    private static final int DATA_LF = 6;
    private static final int TRAILER = 7;
    private static final int DONE = 8;
    private static final int RAW = 9;

    private final HttpLimits limits;
    private BodyFraming.Kind kind;
    private int state;
    private long remaining;
    private long total;
    private long bodyBytes;
    private int digits;
    private int headLength;
    private byte[] trailerBytes;
    private int trailerLength;
    /** Where the trailer line being received starts in {@link #trailerBytes}, which is kept for reuse. */
    private int trailerLineStart;

    private HttpHeaders trailers;

    private BodyDecoder(HttpLimits limits) {
        this.limits = limits;
    }

    /**
     * Creates a decoder for one body.
     *
     * @param framing how the body is delimited, e.g. {@link RequestHeader#framing()}
     * @param limits the chunk-head, trailer and body limits
     * @return a new decoder
     * @throws ContentTooLargeException if a Content-Length exceeds {@link HttpLimits#maxBodySize()}
     */
    public static BodyDecoder of(BodyFraming framing, HttpLimits limits) {
        return new BodyDecoder(Objects.requireNonNull(limits, "limits")).reset(framing);
    }

    /**
     * Starts reading a new body with this decoder, dropping whatever state the previous body left (complete or
     * not); the trailers of an earlier body stay valid.
     *
     * @param framing how the new body is delimited
     * @return this decoder
     * @throws ContentTooLargeException if a Content-Length exceeds {@link HttpLimits#maxBodySize()}
     */
    public BodyDecoder reset(BodyFraming framing) {
        kind = framing.kind();
        remaining = 0;
        total = 0;
        bodyBytes = 0;
        digits = 0;
        headLength = 0;
        trailerLength = 0;
        trailerLineStart = 0;
        trailers = null;
        switch (kind) {
            case NONE -> state = DONE;
            case CONTENT_LENGTH -> {
                if (framing.contentLength() > limits.maxBodySize()) {
                    throw new ContentTooLargeException(
                            "Content-Length " + framing.contentLength() + " exceeds " + limits.maxBodySize());
                }
                remaining = framing.contentLength();
                state = remaining == 0 ? DONE : DATA;
            }
            case CHUNKED -> state = SIZE;
            case CLOSE_DELIMITED, TUNNEL -> state = RAW;
            default -> throw new IllegalStateException("unknown framing " + kind);
        }
        return this;
    }

    /**
     * Consumes framing and body bytes from {@code src}, stopping after one contiguous run of body bytes, at the
     * end of the body, or at the end of {@code src}.
     *
     * @param src the input; its position advances past everything consumed
     * @return how many body bytes were consumed: they end at {@code src.position()}; 0 if none (then either
     *     {@code src} is exhausted or the body is complete)
     * @throws HttpParseException for malformed chunked framing or an exceeded limit
     */
    public int decode(ByteBuffer src) {
        int pos = src.position();
        int limit = src.limit();
        while (pos < limit) {
            switch (state) {
                case DATA, RAW -> {
                    int n = skipData(limit - pos);
                    src.position(pos + n);
                    return n;
                }
                case DONE -> {
                    src.position(pos);
                    return 0;
                }
                default -> {
                    int next = framingFast(src, pos, limit);
                    if (next >= 0) {
                        pos = next;
                    } else {
                        framingByte(src.get(pos++));
                    }
                }
            }
        }
        src.position(pos);
        return 0;
    }

    /**
     * Consumes up to {@code available} body bytes without reading them, when the next input bytes are body bytes
     * (of a Content-Length body, inside a chunk, of a close-delimited body or a tunnel): what {@link #decode}
     * would consume from them, for a caller that need not hand the bytes over to have them counted.
     *
     * @param available how many input bytes there are, at least 1
     * @return how many of them are body bytes, consumed now; 0 if the body is complete; -1 if the next bytes are
     *     chunk framing, which only {@link #decode} reads
     * @throws ContentTooLargeException if a close-delimited body exceeds its limit
     */
    public int skipData(int available) {
        switch (state) {
            case DATA -> {
                int n = (int) Math.min(remaining, available);
                remaining -= n;
                if (remaining == 0) {
                    state = kind == BodyFraming.Kind.CHUNKED ? DATA_CR : DONE;
                }
                bodyBytes += n;
                return n;
            }
            case RAW -> {
                if (kind == BodyFraming.Kind.CLOSE_DELIMITED) {
                    addToTotal(available);
                }
                bodyBytes += available;
                return available;
            }
            case DONE -> {
                return 0;
            }
            default -> {
                return -1;
            }
        }
    }

    /**
     * Tells the decoder the connection has ended: completes a close-delimited body or a tunnel.
     *
     * @throws PrematureEndOfBodyException if a Content-Length or chunked body was not complete
     */
    public void endOfInput() {
        if (state == RAW) {
            state = DONE;
        } else if (state != DONE) {
            throw new PrematureEndOfBodyException("connection closed inside a " + kind + " body");
        }
    }

    /**
     * Returns whether the whole body, trailers included, has been consumed.
     *
     * @return {@code true} when complete
     */
    public boolean isComplete() {
        return state == DONE;
    }

    /**
     * Returns the trailer fields of a complete chunked body (empty for other framings or before completion).
     *
     * @return the trailers
     */
    public HttpHeaders trailers() {
        return trailers != null ? trailers : HttpHeaders.create();
    }

    /**
     * Returns the body bytes consumed so far (chunk data only, without framing).
     *
     * @return the count
     */
    public long bodyBytes() {
        return bodyBytes;
    }

    /**
     * The fast path for framing that lies whole in {@code src[pos, limit)} in its plain form: a chunk-size line of
     * hex digits and CRLF, the CRLF after chunk data, or a trailer section of CRLF-ended lines. Returns the
     * position after it, or -1 to leave it to {@link #framingByte}, which also names every error.
     */
    private int framingFast(ByteBuffer src, int pos, int limit) {
        if (state == DATA_CR) {
            if (limit - pos < 2 || src.get(pos) != '\r' || src.get(pos + 1) != '\n') {
                return -1;
            }
            state = SIZE;
            return pos + 2;
        }
        if (state == SIZE && headLength == 0) {
            long size = 0;
            int i = pos;
            int end = Math.min(limit, pos + 15);
            int d;
            while (i < end && (d = HttpChars.hexValue(src.get(i))) >= 0) {
                size = size << 4 | d;
                i++;
            }
            if (i == pos
                    || i + 1 >= limit
                    || i - pos + 1 > limits.maxChunkHeadSize()
                    || src.get(i) != '\r'
                    || src.get(i + 1) != '\n') {
                return -1;
            }
            remaining = size;
            endOfSizeLine();
            return i + 2;
        }
        if (state == TRAILER && trailerLength == 0) {
            return trailersFast(src, pos, Math.min(limit, pos + limits.maxTrailerSize()));
        }
        return -1;
    }

    /** Reads a whole trailer section of CRLF-ended lines from {@code src[pos, end)}; -1 if not there. */
    private int trailersFast(ByteBuffer src, int pos, int end) {
        int lines = 0;
        for (int i = pos; ; ) {
            int lf = indexOfLf(src, i, end);
            if (lf < 0 || lf == i || src.get(lf - 1) != '\r') {
                return -1;
            }
            if (lf - i == 1) {
                byte[] a = new byte[i - pos];
                src.get(pos, a);
                trailers = lines == 0 ? null : TrailerSection.parse(a, a.length, lines, limits);
                state = DONE;
                return lf + 1;
            }
            lines++;
            i = lf + 1;
        }
    }

    /** Returns the index of the first LF in {@code src[from, to)}, or -1; a word at a time when it has an array. */
    private static int indexOfLf(ByteBuffer src, int from, int to) {
        if (src.hasArray()) {
            int off = src.arrayOffset();
            int lf = HttpChars.indexOfLf(src.array(), off + from, off + to);
            return lf < 0 ? -1 : lf - off;
        }
        for (int i = from; i < to; i++) {
            if (src.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void framingByte(byte b) {
        switch (state) {
            case SIZE -> sizeByte(b);
            case SIZE_WS -> {
                countHead();
                if (b == ';') {
                    state = EXT;
                } else if (!HttpChars.isOws(b)) {
                    throw new InvalidChunkException("whitespace after chunk size not followed by ';'");
                }
            }
            case EXT -> {
                countHead();
                if (b == '\r') {
                    state = SIZE_LF;
                } else if (b == '\n') {
                    bareLf("chunk-size line");
                    endOfSizeLine();
                } else if (!HttpChars.isValue(b)) {
                    throw new InvalidChunkException("chunk extension contains 0x" + Integer.toHexString(b & 0xff));
                }
            }
            case SIZE_LF -> {
                if (b != '\n') {
                    throw new InvalidChunkException("chunk-size line: CR not followed by LF");
                }
                endOfSizeLine();
            }
            case DATA_CR -> {
                if (b == '\r') {
                    state = DATA_LF;
                } else if (b == '\n') {
                    bareLf("chunk data");
                    state = SIZE;
                } else {
                    throw new InvalidChunkException("chunk data not followed by CRLF");
                }
            }
            case DATA_LF -> {
                if (b != '\n') {
                    throw new InvalidChunkException("chunk data not followed by CRLF");
                }
                state = SIZE;
            }
            case TRAILER -> trailerByte(b);
            default -> throw new IllegalStateException("state " + state);
        }
    }

    private void sizeByte(byte b) {
        countHead();
        int d = HttpChars.hexValue(b);
        if (d >= 0) {
            if (remaining > (Long.MAX_VALUE >>> 4)) {
                throw new ChunkSizeOverflowException("chunk size overflows 63 bits");
            }
            remaining = (remaining << 4) | d;
            digits++;
            return;
        }
        if (digits == 0) {
            throw new InvalidChunkException("chunk size is not hexadecimal");
        }
        if (b == '\r') {
            state = SIZE_LF;
        } else if (b == '\n') {
            bareLf("chunk-size line");
            endOfSizeLine();
        } else if (b == ';') {
            state = EXT;
        } else if (HttpChars.isOws(b)) {
            state = SIZE_WS;
        } else {
            throw new InvalidChunkException("chunk size is not hexadecimal");
        }
    }

    private void countHead() {
        if (++headLength > limits.maxChunkHeadSize()) {
            throw new ChunkHeadTooLargeException("chunk-size line exceeds " + limits.maxChunkHeadSize() + " bytes");
        }
    }

    private void bareLf(String where) {
        if (!limits.allowBareLf()) {
            throw new InvalidLineTerminatorException("bare LF after " + where);
        }
    }

    private void endOfSizeLine() {
        digits = 0;
        headLength = 0;
        if (remaining == 0) {
            state = TRAILER;
        } else {
            addToTotal(remaining);
            state = DATA;
        }
    }

    private void addToTotal(long n) {
        total += n;
        if (total > limits.maxBodySize() || total < 0) {
            throw new ContentTooLargeException("body exceeds " + limits.maxBodySize() + " bytes");
        }
    }

    private void trailerByte(byte b) {
        if (trailerBytes == null) {
            trailerBytes = new byte[64];
        }
        if (trailerLength == limits.maxTrailerSize()) {
            throw new TrailersTooLargeException("trailer section exceeds " + limits.maxTrailerSize() + " bytes");
        }
        if (trailerLength == trailerBytes.length) {
            trailerBytes = Arrays.copyOf(trailerBytes, Math.min(trailerLength * 2, limits.maxTrailerSize()));
        }
        trailerBytes[trailerLength++] = b;
        if (b == '\n') {
            int lineStart = trailerLineStart;
            int lineEnd = trailerLength - 1;
            boolean cr = lineEnd > lineStart && trailerBytes[lineEnd - 1] == '\r';
            if (!cr) {
                bareLf("trailer line");
            }
            trailerLineStart = trailerLength;
            if (lineEnd - (cr ? 1 : 0) == lineStart) {
                trailers = lineStart == 0
                        ? null
                        : TrailerSection.parse(Arrays.copyOf(trailerBytes, lineStart), lineStart, limits);
                state = DONE;
            }
        }
    }
}
