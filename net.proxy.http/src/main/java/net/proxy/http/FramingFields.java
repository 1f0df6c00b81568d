package net.proxy.http;

/**
 * A bit set of the fields that decide framing, collected by the parser while it validates each field name, so
 * the framing rules look up only fields that are present.
 */
final class FramingFields {
    static final int HOST = 1;
    static final int MANY_HOSTS = 2;
    static final int CONTENT_LENGTH = 4;
    static final int TRANSFER_ENCODING = 8;
    /** For heads built in code: every field may be present. */
    static final int UNKNOWN = -1;

    private static final byte[] HOST_NAME = {'h', 'o', 's', 't'};
    private static final byte[] CONTENT_LENGTH_NAME = "content-length".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING_NAME =
            "transfer-encoding".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private FramingFields() {
    }

    /** Returns {@code seen} with the field named {@code a[off, off + len)} added. */
    static int add(int seen, byte[] a, int off, int len) {
        switch (len) {
            case 4 -> {
                if (HttpChars.equalsLower(a, off, len, HOST_NAME)) {
                    return seen | ((seen & HOST) != 0 ? MANY_HOSTS : HOST);
                }
            }
            case 14 -> {
                if (HttpChars.equalsLower(a, off, len, CONTENT_LENGTH_NAME)) {
                    return seen | CONTENT_LENGTH;
                }
            }
            case 17 -> {
                if (HttpChars.equalsLower(a, off, len, TRANSFER_ENCODING_NAME)) {
                    return seen | TRANSFER_ENCODING;
                }
            }
            default -> {
                return seen;
            }
        }
        return seen;
    }
}
