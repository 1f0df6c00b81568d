package net.proxy.http;

/**
 * Reads the field lines of a received head in place: the head's array ({@code block}) holds the field lines as
 * they arrived, validated by the parser, followed by the parser's compact line index, whose entry {@code i} is the
 * offset of field {@code i}'s line, stored little-endian in 2 bytes (3 when {@code wide}).
 *
 * <p>Static methods on the array, so that {@link HttpHeaders} and {@link Http1FieldWriter} read fields without an
 * object between them and the bytes.
 */
final class ReceivedLines {
    private ReceivedLines() {}

    /** Writes {@code line} into the compact index entry at {@code index[at]}. */
    static void writeEntry(byte[] index, int at, boolean wide, int line) {
        index[at] = (byte) line;
        index[at + 1] = (byte) (line >>> 8);
        if (wide) {
            index[at + 2] = (byte) (line >>> 16);
        }
    }

    /** Reads the compact index entry at {@code block[at]}: the offset of a field line. */
    static int entry(byte[] block, int at, boolean wide) {
        int v = (block[at] & 0xff) | (block[at + 1] & 0xff) << 8;
        return wide ? v | (block[at + 2] & 0xff) << 16 : v;
    }

    /** The colon after the name of the line at {@code line} (field lines were validated by the parser). */
    static int nameEnd(byte[] block, int line) {
        int p = line;
        while (block[p] != ':') {
            p++;
        }
        return p;
    }

    /** The first byte of the value of the line at {@code line}, after the colon and any whitespace. */
    static int valueStart(byte[] block, int line) {
        int p = nameEnd(block, line) + 1;
        while (HttpChars.isOws(block[p])) {
            p++;
        }
        return p;
    }

    /** The end of the value starting at {@code valueStart}, before trailing whitespace and the line end. */
    static int valueEnd(byte[] block, int valueStart) {
        int e = HttpChars.indexOfLf(block, valueStart, block.length);
        if (e > valueStart && block[e - 1] == '\r') {
            e--;
        }
        while (e > valueStart && HttpChars.isOws(block[e - 1])) {
            e--;
        }
        return e;
    }

    /** The end of the field line at {@code line}, before its CRLF (or bare LF where limits allow it). */
    static int lineEnd(byte[] block, int line) {
        int lf = HttpChars.indexOfLf(block, line, block.length);
        return block[lf - 1] == '\r' ? lf - 1 : lf;
    }

    /** Whether the field line at {@code line} is named {@code name}, ignoring case. */
    static boolean nameIs(byte[] block, int line, String name) {
        int n = name.length();
        // a name of n characters has its colon at line + n: one byte rules out most names
        return line + n < block.length && block[line + n] == ':' && bytesAre(block, line, name);
    }

    /** Whether the field line at {@code line} is named one of {@code candidates}, ignoring case. */
    static boolean nameIn(byte[] block, int line, String[] candidates) {
        for (String c : candidates) {
            if (nameIs(block, line, c)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the bytes at {@code block[at]} spell {@code s}, ignoring ASCII case. */
    static boolean bytesAre(byte[] block, int at, String s) {
        for (int k = 0, n = s.length(); k < n; k++) {
            int x = block[at + k];
            int c = s.charAt(k);
            if (x != c && HttpChars.lower(x) != HttpChars.lower(c)) {
                return false;
            }
        }
        return true;
    }
}
