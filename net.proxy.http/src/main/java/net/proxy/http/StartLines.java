package net.proxy.http;

import java.nio.charset.StandardCharsets;

/** Pieces shared by the request line and the status line (RFC 9112 §2.3 HTTP-version). */
final class StartLines {
    private static final java.lang.invoke.VarHandle WORDS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    /** {@code "HTTP/1.1"} and {@code "HTTP/1.0"} read as little-endian words: one comparison each. */
    private static final long HTTP_1_1 = (long) WORDS.get("HTTP/1.1".getBytes(StandardCharsets.US_ASCII), 0);

    private static final long HTTP_1_0 = (long) WORDS.get("HTTP/1.0".getBytes(StandardCharsets.US_ASCII), 0);

    private StartLines() {}

    /**
     * Parses {@code a[start, end)} as exactly {@code HTTP/1.0} or {@code HTTP/1.1}; {@code HTTP/d.d} otherwise
     * gives {@link UnsupportedVersionException}, anything else a malformed-line exception.
     */
    static HttpVersion version(byte[] a, int start, int end, boolean request) {
        if (end - start == 8) {
            long word = (long) WORDS.get(a, start);
            if (word == HTTP_1_1) {
                return HttpVersion.HTTP_1_1;
            }
            if (word == HTTP_1_0) {
                return HttpVersion.HTTP_1_0;
            }
        }
        if (end - start == 8
                && regionIs(a, start, "HTTP/")
                && isDigit(a[start + 5])
                && a[start + 6] == '.'
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
