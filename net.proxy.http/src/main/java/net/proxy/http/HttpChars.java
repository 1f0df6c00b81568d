package net.proxy.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte classes of RFC 9110/9112 and word-at-a-time scans over {@code byte[]}.
 *
 * <p>How: the classes are 256-entry lookup tables. The scans read eight bytes at a time through a
 * byte-array view {@link VarHandle} and use the SWAR tests of [1]: a word {@code x} holds a byte below
 * {@code n} (for {@code n <= 128}) iff {@code (x - n*0x0101..) & ~x & 0x8080.. != 0}, and a byte equal to
 * {@code v} iff the word {@code x ^ v*0x0101..} holds a zero byte. Only a word that may hold an interesting
 * byte is examined byte by byte, so a clean field value costs one test per eight bytes. (Field names are short,
 * and a table lookup per byte measured faster for them than any word test.)
 *
 * <p>[1] Sean Eron Anderson, Bit Twiddling Hacks, "Determine if a word has a byte less than n",
 * https://graphics.stanford.edu/~seander/bithacks.html#HasLessInWord
 * <br>[2] RFC 9110 §5.1 (token), §5.5 (field values), https://www.rfc-editor.org/rfc/rfc9110
 */
final class HttpChars {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** Hexadecimal digit values, -1 for other bytes. */
    private static final byte[] HEX = new byte[256];
    /** tchar: {@code !#$%&'*+-.^_`|~}, digits and letters. */
    private static final boolean[] TOKEN = new boolean[256];
    /** Bytes allowed in a field value: HTAB, SP, VCHAR, obs-text. */
    private static final boolean[] VALUE = new boolean[256];
    /** Bytes allowed in a request-target: visible US-ASCII. */
    private static final boolean[] TARGET = new boolean[256];
    /** Bytes allowed in a request-target received on the wire, which ends at a fragment: TARGET less '#'. */
    private static final boolean[] TARGET_BEFORE_FRAGMENT = new boolean[256];
    /** Bytes allowed in a Host value: unreserved, sub-delims, '%', ':', '[', ']'. */
    private static final boolean[] HOST = new boolean[256];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = 0; c < 16; c++) {
            HEX[Character.forDigit(c, 16)] = (byte) c;
            HEX[Character.toUpperCase(Character.forDigit(c, 16))] = (byte) c;
        }
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
            HOST[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
            HOST[c] = true;
            HOST[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
        for (char c : "-._~!$&'()*+,;=%:[]".toCharArray()) {
            HOST[c] = true;
        }
        for (int c = 0x21; c <= 0x7e; c++) {
            VALUE[c] = true;
            TARGET[c] = true;
            TARGET_BEFORE_FRAGMENT[c] = c != '#';
        }
        for (int c = 0x80; c <= 0xff; c++) {
            VALUE[c] = true;
        }
        VALUE[' '] = true;
        VALUE['\t'] = true;
    }

    private HttpChars() {}

    static int hexValue(int b) {
        return HEX[b & 0xff];
    }

    static boolean isToken(int b) {
        return TOKEN[b & 0xff];
    }

    static boolean isValue(int b) {
        return VALUE[b & 0xff];
    }

    static boolean isTarget(int b) {
        return TARGET[b & 0xff];
    }

    /** Whether {@code b} may appear in a received request-target before any fragment ({@code #} ends it). */
    static boolean isTargetBeforeFragment(int b) {
        return TARGET_BEFORE_FRAGMENT[b & 0xff];
    }

    static boolean isHost(int b) {
        return HOST[b & 0xff];
    }

    static boolean isSchemeStart(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    static boolean isOws(int b) {
        return b == ' ' || b == '\t';
    }

    static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /** Returns the index of the first LF in {@code a[from, to)}, or -1. */
    static int indexOfLf(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(a, i) ^ (ONES * '\n');
            long hit = (x - ONES) & ~x & HIGHS;
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Returns the index of the first byte in {@code a[from, to)} that may not appear in a field value, or -1. */
    static int firstInvalidValueByte(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            if (mayHoldInvalidValueByte((long) LONGS.get(a, i))) {
                int bad = firstInvalidByte(a, i, i + 8);
                if (bad >= 0) {
                    return bad;
                }
            }
        }
        if (i < to && to - from >= 8) {
            // the last, partial word: test the 8 bytes that end at `to` (some already passed) at once
            return mayHoldInvalidValueByte((long) LONGS.get(a, to - 8)) ? firstInvalidByte(a, i, to) : -1;
        }
        return firstInvalidByte(a, i, to);
    }

    /** Returns the index of the first byte below 0x20 or equal to 0x7f in {@code a[from, to)}, or -1. */
    static int firstControl(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(a, i);
            long del = x ^ (ONES * 0x7f);
            long hit = (((x - ONES * 0x20) & ~x) | ((del - ONES) & ~del)) & HIGHS;
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            int b = a[i] & 0xff;
            if (b < 0x20 || b == 0x7f) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a word holds a byte below 0x20 (HTAB included, which is valid) or equal to 0x7f. */
    private static boolean mayHoldInvalidValueByte(long x) {
        long del = x ^ (ONES * 0x7f);
        return ((((x - ONES * 0x20) & ~x) | ((del - ONES) & ~del)) & HIGHS) != 0;
    }

    private static int firstInvalidByte(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!VALUE[a[i] & 0xff]) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the token bytes {@code a[off, off + len)} equal {@code lowerName} (lowercase letters, digits and
     * {@code '-'}) ignoring ASCII case. Setting bit 0x20 of a byte lowercases a letter and keeps a digit or
     * {@code '-'}; the only other bytes it maps onto those are controls, which no token holds, so whole words are
     * compared at once.
     */
    static boolean equalsLower(byte[] a, int off, int len, byte[] lowerName) {
        if (len != lowerName.length) {
            return false;
        }
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            if (((long) LONGS.get(a, off + i) | ONES * 0x20) != (long) LONGS.get(lowerName, i)) {
                return false;
            }
        }
        for (; i < len; i++) {
            if ((a[off + i] | 0x20) != lowerName[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code a[off, off + len)} equals {@code s} ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] a, int off, int len, String s) {
        if (len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int b = a[off + i] & 0xff;
            int c = s.charAt(i);
            if (b != c && lower(b) != lower(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks that {@code name} is a non-empty token and {@code value} holds only field-value characters.
     *
     * @throws IllegalArgumentException naming the problem
     */
    static void checkField(String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: \"\" (expected: a token)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0xff || !TOKEN[c]) {
                throw new IllegalArgumentException("name: \"" + name + "\" (expected: a token)");
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || !VALUE[c]) {
                throw new IllegalArgumentException("value of " + name + ": contains 0x" + Integer.toHexString(c)
                        + " (expected: no NUL, CR, LF or other control characters)");
            }
        }
    }

    /**
     * Whether the comma-separated list {@code v} (RFC 9110 §5.6.1) has the element {@code token}, ignoring case and
     * the whitespace around elements.
     */
    static boolean listHas(String v, String token) {
        int start = 0;
        while (start <= v.length()) {
            int comma = v.indexOf(',', start);
            int end = comma < 0 ? v.length() : comma;
            int s = start;
            int e = end;
            while (s < e && isOws(v.charAt(s))) {
                s++;
            }
            while (e > s && isOws(v.charAt(e - 1))) {
                e--;
            }
            if (e - s == token.length() && v.regionMatches(true, s, token, 0, e - s)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** Writes {@code s} (ISO-8859-1 characters) into {@code dst} at {@code pos}; returns the new position. */
    static int writeAscii(String s, byte[] dst, int pos) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            dst[pos + i] = (byte) s.charAt(i);
        }
        return pos + n;
    }
}
