package net.proxy.http;

/** Pieces shared by the request line and the status line (RFC 9112 §2.3 HTTP-version). */
final class StartLines {
    private StartLines() {
    }

    /**
     * Parses {@code a[start, end)} as exactly {@code HTTP/1.0} or {@code HTTP/1.1}; {@code HTTP/d.d} otherwise
     * gives {@link UnsupportedVersionException}, anything else a malformed-line exception.
     */
    static HttpVersion version(byte[] a, int start, int end, boolean request) {
        if (end - start == 8 && regionIs(a, start, "HTTP/") && isDigit(a[start + 5]) && a[start + 6] == '.'
                && isDigit(a[start + 7])) {
            if (a[start + 5] == '1' && a[start + 7] == '1') {
                return HttpVersion.HTTP_1_1;
            }
            if (a[start + 5] == '1' && a[start + 7] == '0') {
                return HttpVersion.HTTP_1_0;
            }
            throw new UnsupportedVersionException("HTTP/" + (char) a[start + 5] + "." + (char) a[start + 7]);
        }
        for (int i = start; i < end; i++) {
            if (a[i] == '\r') {
                throw new InvalidLineTerminatorException("bare CR in the start line");
            }
        }
        if (request) {
            throw new MalformedRequestLineException("malformed HTTP-version");
        }
        throw new MalformedStatusLineException("malformed HTTP-version");
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean regionIs(byte[] a, int off, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (a[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
