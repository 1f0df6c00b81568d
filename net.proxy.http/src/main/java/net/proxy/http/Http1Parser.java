package net.proxy.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An incremental, strict parser of HTTP/1 heads (start line and header fields); the request and response
 * variants differ only in the start line. Feed it bytes in pieces of any size; it returns the head once the
 * empty line that ends it has arrived, and {@link #consumed()} says how many bytes of the last piece belonged
 * to the head, so the body starts right after them. After a head (or an exception) the parser is ready for
 * the next message. Not thread-safe: one parser per connection.
 *
 * <p>How: a field line that is complete in the input is validated and delimited in one pass, its value eight
 * bytes at a time (see {@link HttpChars}); any other line (the start line, a line split between pieces, or one
 * with anything unusual) is found by looking for its LF eight bytes at a time and handled once complete, by the
 * exact checks that pick the exception; a piece that ends inside a line is remembered by its offset, and
 * the search resumes there. A head that arrives in one piece of an array is parsed where it lies (direct bytes
 * are first copied to a per-thread array, up to 1 KiB at a time); a head split over pieces is appended to one
 * growing array and parsed there. Either way the resulting head keeps one exactly sized
 * array: the part of the start line it needs as bytes (the request target or the reason phrase), then the field
 * lines, then a compact index of those lines (2 or 3 bytes each); the rest of the start line lives on as the
 * method (a shared constant when well known), a version constant or the status number. Each field is kept as
 * the offset of its line in that array and turned into strings only on demand.
 *
 * <p>[1] RFC 9112 §2.2 (message parsing), §3 (request line), §4 (status line), §5 (field syntax),
 * https://www.rfc-editor.org/rfc/rfc9112
 *
 * @param <H> {@link RequestHeader} or {@link ResponseHeader}
 */
public abstract sealed class Http1Parser<H> permits Http1RequestParser, Http1ResponseParser {
    /**
     * Per thread, the array that direct bytes are copied to, a piece at a time, to be parsed as an array: a head
     * followed by a long body costs a copy of at most this size and no separate search for the head's end. A
     * head still incomplete at the end of a piece is kept in an array of the parser's own ({@link #append}), so
     * this one holds nothing between calls.
     */
    private static final ThreadLocal<byte[]> COPY_CHUNK = ThreadLocal.withInitial(() -> new byte[1024]);

    final HttpLimits limits;
    /** The partial head received so far, or null. */
    private byte[] acc;

    private int accLen;
    /** Offsets relative to the start of the head. */
    private int lineStart;

    private int scan;
    private boolean inFields;
    /** Start of each field line, relative to the start of the head. */
    private int[] lines = new int[32];

    private int count;
    /** Which framing fields the head has so far ({@link FramingFields}). */
    int fields;
    /**
     * The index of the first Host, Content-Length and Transfer-Encoding field (see {@link FramingFields}), valid
     * for the kinds {@link #fields} has; kept for {@link #complete} after the parser is reset.
     */
    final int[] firstFields = new int[3];

    private int consumed;
    private int headLength;
    /** The start-line bytes the head keeps ({@link #keep}) and the field lines, relative to the head start. */
    private int keptStart;
    /** How many start-line bytes the head keeps; they come first in its array. */
    int keptLength;

    private int fieldsStart;
    private int fieldsEnd;

    Http1Parser(HttpLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Parses bytes from {@code src[off, off + len)}; {@link #consumed()} then says how many were used.
     *
     * @param src the bytes; not retained after the call
     * @param off the first byte
     * @param len how many bytes
     * @return the head, or {@code null} if it is not complete yet (then all bytes were consumed)
     * @throws HttpParseException if the head is malformed, ambiguous or over a limit; the parser is reset
     */
    public final H parse(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        try {
            if (accLen == 0) {
                int end = scanLines(src, off, off + len);
                if (end >= 0) {
                    consumed = end;
                    return finish(src, off, end);
                }
                append(src, off, len);
                consumed = len;
                return null;
            }
            int n = Math.min(len, room());
            append(src, off, n);
            return scanAccumulated(n);
        } catch (HttpParseException e) {
            reset();
            throw e;
        }
    }

    /**
     * Parses the remaining bytes of {@code src} and advances its position past the bytes used.
     *
     * @param src heap or direct bytes; only the consumed part is read
     * @return the head, or {@code null} if it is not complete yet (then {@code src} is fully consumed)
     * @throws HttpParseException if the head is malformed, ambiguous or over a limit; the parser is reset
     */
    public final H parse(ByteBuffer src) {
        if (src.hasArray()) {
            H head = parse(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.position() + consumed);
            return head;
        }
        byte[] chunk = COPY_CHUNK.get();
        int start = src.position();
        int pos = start;
        H head = null;
        while (head == null && pos < src.limit()) {
            int n = Math.min(src.limit() - pos, chunk.length);
            src.get(pos, chunk, 0, n);
            head = parse(chunk, 0, n);
            pos += consumed;
        }
        consumed = pos - start;
        src.position(pos);
        return head;
    }

    /**
     * Returns how many bytes of the last {@code parse} call's input were used.
     *
     * @return the count
     */
    public final int consumed() {
        return consumed;
    }

    /**
     * Returns the size in bytes of the last complete head, from its first byte to the end of its empty line.
     *
     * @return the size
     */
    public final int headLength() {
        return headLength;
    }

    /**
     * Returns the limits this parser enforces.
     *
     * @return the limits
     */
    public final HttpLimits limits() {
        return limits;
    }

    /** Drops a partial head and starts over with the next byte. */
    public void reset() {
        acc = null;
        accLen = 0;
        lineStart = 0;
        scan = 0;
        inFields = false;
        count = 0;
        fields = 0;
    }

    /**
     * Parses the start line {@code a[start, end)} of the head that starts at {@code base}, and says with
     * {@link #keep} which of its bytes the head needs.
     */
    abstract void startLine(byte[] a, int base, int start, int end);

    /** Makes the head keep the start-line bytes {@code a[from, from + length)}, at the start of its array. */
    final void keep(int base, int from, int length) {
        keptStart = from - base;
        keptLength = length;
    }

    /**
     * Builds the head from its fields; {@code seen} says which framing fields they include, and
     * {@link #firstFields} where the first of each is.
     */
    abstract H complete(HttpHeaders headers, int seen);

    private H scanAccumulated(int added) {
        int before = accLen - added;
        int end = scanLines(acc, 0, accLen);
        if (end < 0) {
            consumed = added;
            return null;
        }
        consumed = end - before;
        return finish(acc, 0, end);
    }

    /**
     * Builds the head {@code src[base, base + length)}: copies the kept start-line bytes and the field lines
     * into the head's array and appends the compact line index.
     */
    private H finish(byte[] src, int base, int length) {
        int fieldsLength = fieldsEnd - fieldsStart;
        int content = keptLength + fieldsLength;
        int width = indexWidth(content);
        // one copy (which needs no zeroing) takes the fields with as many bytes before them as are kept, and
        // whatever follows them (padded with zeros if need be) for the index; then the kept bytes are put first
        int from = base + fieldsStart - keptLength;
        byte[] a = Arrays.copyOfRange(src, from, from + content + count * width);
        System.arraycopy(src, base + keptStart, a, 0, keptLength);
        int shift = fieldsStart - keptLength;
        for (int i = 0; i < count; i++) {
            ReceivedLines.writeEntry(a, content + i * width, width == 3, lines[i] - shift);
        }
        HttpHeaders headers = new HttpHeaders(a, content, width == 3, count);
        int seen = fields;
        headLength = length;
        reset();
        return complete(headers, seen);
    }

    /** Bytes per line offset in the compact index: 2 for heads kept in under 64 KiB, else 3. */
    private static int indexWidth(int contentLength) {
        return contentLength <= 0xffff ? 2 : 3;
    }

    private int room() {
        return limits.maxHeadSize() + 1 - accLen;
    }

    private void append(byte[] src, int off, int n) {
        ensureCapacity(accLen + n);
        System.arraycopy(src, off, acc, accLen, n);
        accLen += n;
    }

    private void ensureCapacity(int needed) {
        if (acc == null) {
            acc = new byte[Math.max(needed, 256)];
        } else if (needed > acc.length) {
            acc = Arrays.copyOf(acc, Math.max(needed, acc.length * 2));
        }
    }

    /**
     * Scans complete lines of {@code a[base + scan, limit)}, where the head starts at {@code base}; returns the
     * head length once its empty line is found, else -1.
     */
    private int scanLines(byte[] a, int base, int limit) {
        int from = base + scan;
        while (true) {
            int start = base + lineStart;
            if (inFields && from == start) {
                long clean = FieldLines.scanClean(a, start, limit);
                if (clean >= 0) {
                    int lf = (int) clean;
                    checkHeadSize(lf + 1 - base);
                    addField(a, base, start, (int) (clean >>> 32));
                    lineStart = lf + 1 - base;
                    from = lf + 1;
                    continue;
                }
            }
            int lf = HttpChars.indexOfLf(a, from, limit);
            if (lf < 0) {
                scan = limit - base;
                checkPartial(limit - start, limit - base);
                return -1;
            }
            int end = lf;
            if (lf > start && a[lf - 1] == '\r') {
                end = lf - 1;
            } else if (!limits.allowBareLf()) {
                throw new InvalidLineTerminatorException("line ends in a bare LF");
            }
            int next = lf + 1 - base;
            checkHeadSize(next);
            if (!inFields) {
                if (end > start) {
                    if (end - start > limits.maxRequestLineLength()) {
                        throw new RequestLineTooLongException(
                                "start line exceeds " + limits.maxRequestLineLength() + " bytes");
                    }
                    startLine(a, base, start, end);
                    inFields = true;
                    fieldsStart = next;
                }
            } else if (end == start) {
                fieldsEnd = start - base;
                return next;
            } else {
                addField(a, base, start, FieldLines.check(a, start, end));
            }
            lineStart = next;
            from = lf + 1;
        }
    }

    private void checkPartial(int lineSoFar, int headSoFar) {
        if (!inFields && lineSoFar > limits.maxRequestLineLength() + 1) {
            throw new RequestLineTooLongException("start line exceeds " + limits.maxRequestLineLength() + " bytes");
        }
        if (headSoFar > limits.maxHeadSize()) {
            throw new HeaderTooLargeException("head exceeds " + limits.maxHeadSize() + " bytes");
        }
    }

    private void checkHeadSize(int size) {
        if (size > limits.maxHeadSize()) {
            throw new HeaderTooLargeException("head exceeds " + limits.maxHeadSize() + " bytes");
        }
    }

    /** Records the valid field line starting at {@code start} whose name ends at {@code colon}. */
    private void addField(byte[] a, int base, int start, int colon) {
        if (count == limits.maxHeaderCount()) {
            throw new TooManyHeadersException("more than " + limits.maxHeaderCount() + " header fields");
        }
        fields = FramingFields.add(fields, a, start, colon - start, firstFields, count);
        if (count == lines.length) {
            lines = Arrays.copyOf(lines, count * 2);
        }
        lines[count++] = start - base;
    }
}
