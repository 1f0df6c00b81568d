package net.proxy.http;

/** Parses a chunked body's trailer section (RFC 9112 §7.1.2) with the field rules of a head. */
final class TrailerSection {
    private TrailerSection() {}

    /**
     * Parses the field lines in {@code a[0, end)}, each ending in LF (CRLF unless bare LF is allowed); the result
     * keeps {@code a}.
     */
    static HttpHeaders parse(byte[] a, int end, HttpLimits limits) {
        int count = 0;
        for (int lf = HttpChars.indexOfLf(a, 0, end); lf >= 0; lf = HttpChars.indexOfLf(a, lf + 1, end)) {
            count++;
        }
        return parse(a, end, count, limits);
    }

    /** Parses the {@code count} field lines in {@code a[0, end)}, as {@link #parse(byte[], int, HttpLimits)}. */
    static HttpHeaders parse(byte[] a, int end, int count, HttpLimits limits) {
        if (count > limits.maxHeaderCount()) {
            throw new TooManyHeadersException("more than " + limits.maxHeaderCount() + " trailer fields");
        }
        int[] lines = new int[count];
        int start = 0;
        for (int i = 0; i < count; i++) {
            long clean = FieldLines.scanClean(a, start, end);
            int lf;
            if (clean >= 0) {
                lf = (int) clean;
            } else {
                lf = HttpChars.indexOfLf(a, start, end);
                FieldLines.check(a, start, lf > start && a[lf - 1] == '\r' ? lf - 1 : lf);
            }
            lines[i] = start;
            start = lf + 1;
        }
        return new HttpHeaders(a, lines, count);
    }
}
