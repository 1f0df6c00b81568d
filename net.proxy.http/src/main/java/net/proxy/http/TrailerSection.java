package net.proxy.http;

import java.util.Arrays;

/** Parses a chunked body's trailer section (RFC 9112 §7.1.2) with the field rules of a head. */
final class TrailerSection {
    private TrailerSection() {
    }

    /** Parses the field lines in {@code a[0, end)}, each ending in LF (CRLF unless bare LF is allowed). */
    static HttpHeaders parse(byte[] a, int end, HttpLimits limits) {
        int[] spans = new int[16];
        int count = 0;
        int start = 0;
        while (start < end) {
            int lf = HttpChars.indexOfLf(a, start, end);
            int lineEnd = lf > start && a[lf - 1] == '\r' ? lf - 1 : lf;
            if (count == limits.maxHeaderCount()) {
                throw new TooManyHeadersException("more than " + limits.maxHeaderCount() + " trailer fields");
            }
            if ((count << 2) == spans.length) {
                spans = Arrays.copyOf(spans, spans.length * 2);
            }
            FieldLines.parse(a, 0, start, lineEnd, spans, count << 2);
            count++;
            start = lf + 1;
        }
        return new HttpHeaders(a, Arrays.copyOf(spans, count << 2), count);
    }
}
