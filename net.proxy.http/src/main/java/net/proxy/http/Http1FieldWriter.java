package net.proxy.http;

import java.nio.charset.StandardCharsets;

/**
 * Writes the fields of an {@link HttpHeaders} as an HTTP/1 field section (RFC 9112 §5), for {@link Http1Serializer}
 * and {@link ChunkedEncoder}, and hands out a value's bytes as they are on the wire, for {@link MessageRules}.
 *
 * <p>A received field that was not changed is copied as its line arrived (spacing around the value kept, always
 * ended by CRLF); any other is written as {@code name: value\r\n}.
 */
final class Http1FieldWriter {
    private Http1FieldWriter() {}

    /** Returns how many bytes {@link #write} produces for {@code h}. */
    static int wireLength(HttpHeaders h) {
        byte[] block = h.block();
        int n = 0;
        for (int i = 0, size = h.size(); i < size; i++) {
            int line = h.line(i);
            n += line < 0
                    ? h.storedName(i).length() + h.storedValue(i).length() + 4
                    : ReceivedLines.lineEnd(block, line) - line + 2;
        }
        return n;
    }

    /** Writes every field of {@code h} at {@code dst[pos]} and returns the new position. */
    static int write(HttpHeaders h, byte[] dst, int pos) {
        byte[] block = h.block();
        for (int i = 0, size = h.size(); i < size; i++) {
            int line = h.line(i);
            if (line < 0) {
                pos = HttpChars.writeAscii(h.storedName(i), dst, pos);
                dst[pos++] = ':';
                dst[pos++] = ' ';
                pos = HttpChars.writeAscii(h.storedValue(i), dst, pos);
            } else {
                int length = ReceivedLines.lineEnd(block, line) - line;
                System.arraycopy(block, line, dst, pos, length);
                pos += length;
            }
            dst[pos++] = '\r';
            dst[pos++] = '\n';
        }
        return pos;
    }

    /** Returns the array that holds the value at {@code index}: the received block, or the value's bytes. */
    static byte[] valueArray(HttpHeaders h, int index) {
        return h.line(index) < 0 ? h.storedValue(index).getBytes(StandardCharsets.ISO_8859_1) : h.block();
    }

    /** Returns {@code start << 32 | end} of the value at {@code index} in {@link #valueArray}. */
    static long valueBounds(HttpHeaders h, int index) {
        int line = h.line(index);
        if (line < 0) {
            return h.storedValue(index).length();
        }
        byte[] block = h.block();
        int start = ReceivedLines.valueStart(block, line);
        return (long) start << 32 | ReceivedLines.valueEnd(block, start);
    }
}
