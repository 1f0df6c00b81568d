package net.proxy.http;

/**
 * Parses one field line ({@code name ":" OWS value OWS}, RFC 9112 §5) of a head or a trailer section.
 *
 * <p>[1] RFC 9112 §5.1 (no whitespace before the colon), §5.2 (obs-fold), https://www.rfc-editor.org/rfc/rfc9112
 */
final class FieldLines {
    private FieldLines() {}

    /** Validates the field line {@code a[start, end)} (its CRLF excluded); returns the index of its colon. */
    static int check(byte[] a, int start, int end) {
        byte first = a[start];
        if (first == ' ' || first == '\t') {
            throw new ObsFoldException("field line starts with whitespace (obs-fold)");
        }
        int i = start;
        while (i < end && HttpChars.isToken(a[i])) {
            i++;
        }
        if (i == end || a[i] != ':') {
            throw badName(a, i, end);
        }
        if (i == start) {
            throw new InvalidHeaderNameException("empty field name");
        }
        int colon = i++;
        while (i < end && HttpChars.isOws(a[i])) {
            i++;
        }
        int valueEnd = end;
        while (valueEnd > i && HttpChars.isOws(a[valueEnd - 1])) {
            valueEnd--;
        }
        int bad = HttpChars.firstInvalidValueByte(a, i, valueEnd);
        if (bad >= 0) {
            if (a[bad] == '\r') {
                throw new InvalidLineTerminatorException("bare CR in a field value");
            }
            throw new InvalidHeaderValueException("field value contains 0x" + Integer.toHexString(a[bad] & 0xff));
        }
        return colon;
    }

    /**
     * The fast path for the common case: if {@code a[start, limit)} begins with a complete field line made of a
     * token, a colon and value bytes without controls other than HTAB, ended by CRLF, returns
     * {@code colon << 32 | lf}; otherwise (incomplete, bare LF, or anything invalid) returns -1 and the line is
     * left to {@link #check}, which names the exact problem.
     */
    static long scanClean(byte[] a, int start, int limit) {
        int i = start;
        while (i < limit && HttpChars.isToken(a[i])) {
            i++;
        }
        if (i == start || i >= limit || a[i] != ':') {
            return -1;
        }
        int colon = i;
        int p = HttpChars.firstControl(a, i + 1, limit);
        while (p >= 0 && a[p] == '\t') {
            p = HttpChars.firstControl(a, p + 1, limit);
        }
        if (p < 0 || a[p] != '\r' || p + 1 >= limit || a[p + 1] != '\n') {
            return -1;
        }
        return (long) colon << 32 | (p + 1);
    }

    private static HttpParseException badName(byte[] a, int i, int end) {
        if (i == end) {
            return new InvalidHeaderNameException("field line without colon");
        }
        if (HttpChars.isOws(a[i])) {
            int j = i;
            while (j < end && HttpChars.isOws(a[j])) {
                j++;
            }
            if (j < end && a[j] == ':') {
                return new WhitespaceBeforeColonException("whitespace between field name and colon");
            }
        }
        if (a[i] == '\r') {
            return new InvalidLineTerminatorException("bare CR in a field name");
        }
        return new InvalidHeaderNameException("field name contains 0x" + Integer.toHexString(a[i] & 0xff));
    }
}
