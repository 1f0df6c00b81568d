package net.proxy.http;

/**
 * A bit set of the fields that decide framing, collected by the parser while it validates each field name, with
 * the index of the first field of each kind, so the framing rules go straight to the fields that are present and
 * search for more only when there are.
 */
final class FramingFields {
    static final int HOST = 1;
    static final int MANY_HOSTS = 2;
    static final int CONTENT_LENGTH = 4;
    static final int TRANSFER_ENCODING = 8;
    static final int MANY_LENGTHS = 16;
    static final int MANY_CODINGS = 32;
    /** Added by the parser when the Host value repeats one it already validated on this connection. */
    static final int HOST_CHECKED = 64;
    /** Slots of the first-index array: the first Host, Content-Length and Transfer-Encoding field. */
    static final int HOST_SLOT = 0;

    static final int LENGTH_SLOT = 1;
    static final int CODING_SLOT = 2;
    /** For heads built in code: every field may be present. */
    static final int UNKNOWN = -1;

    private static final byte[] HOST_NAME = {'h', 'o', 's', 't'};
    private static final byte[] CONTENT_LENGTH_NAME =
            "content-length".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING_NAME =
            "transfer-encoding".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private FramingFields() {}

    /**
     * Returns {@code seen} with field number {@code index}, named {@code a[off, off + len)}, added; the first
     * field of a kind has its index stored in {@code first}.
     */
    static int add(int seen, byte[] a, int off, int len, int[] first, int index) {
        switch (len) {
            case 4 -> {
                if (HttpChars.equalsLower(a, off, len, HOST_NAME)) {
                    return record(seen, HOST, MANY_HOSTS, first, HOST_SLOT, index);
                }
            }
            case 14 -> {
                if (HttpChars.equalsLower(a, off, len, CONTENT_LENGTH_NAME)) {
                    return record(seen, CONTENT_LENGTH, MANY_LENGTHS, first, LENGTH_SLOT, index);
                }
            }
            case 17 -> {
                if (HttpChars.equalsLower(a, off, len, TRANSFER_ENCODING_NAME)) {
                    return record(seen, TRANSFER_ENCODING, MANY_CODINGS, first, CODING_SLOT, index);
                }
            }
            default -> {
                return seen;
            }
        }
        return seen;
    }

    private static int record(int seen, int once, int many, int[] first, int slot, int index) {
        if ((seen & once) != 0) {
            return seen | many;
        }
        first[slot] = index;
        return seen | once;
    }
}
