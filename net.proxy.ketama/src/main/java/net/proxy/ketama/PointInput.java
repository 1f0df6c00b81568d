package net.proxy.ketama;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a server's points are hashed from: {@code IP text, NUL, decimal port, previous hash (4 bytes
 * little-endian)}. The IP text is what nginx reads from {@code server 10.0.0.1:443} and what Rust prints
 * for an {@code IpAddr}: dotted decimal for IPv4; for IPv6 the RFC 5952 form, without brackets and
 * without a {@code %scope} ({@code ::1}, {@code 2001:db8::1}, never Java's {@code 0:0:0:0:0:0:0:1}).
 */
final class PointInput {

    private PointInput() {}

    /**
     * A fresh buffer holding {@code IP text, NUL, port text} followed by 4 zero bytes, where the caller
     * writes each point's previous hash with {@link #setPrevious}.
     */
    static byte[] buffer(InetSocketAddress address) {
        byte[] text = (ipText(address.getAddress()) + '\0' + address.getPort()).getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[text.length + Integer.BYTES];
        System.arraycopy(text, 0, buffer, 0, text.length);
        return buffer;
    }

    /** Writes {@code previous} into the last 4 bytes of {@code buffer}, least significant byte first. */
    static void setPrevious(byte[] buffer, int previous) {
        int at = buffer.length - Integer.BYTES;
        buffer[at] = (byte) previous;
        buffer[at + 1] = (byte) (previous >>> 8);
        buffer[at + 2] = (byte) (previous >>> 16);
        buffer[at + 3] = (byte) (previous >>> 24);
    }

    /** The IP's text: dotted decimal, or RFC 5952 IPv6 (no brackets, no scope). */
    static String ipText(InetAddress ip) {
        return ip instanceof Inet4Address ? ip.getHostAddress() : ipv6Text(ip.getAddress());
    }

    /**
     * RFC 5952 section 4: lower-case hex, no leading zeros in a group, the longest run of two or more
     * zero groups (the first one on a tie) replaced by {@code ::}. Java never hands us an IPv4-mapped
     * IPv6 address (it turns {@code ::ffff:a.b.c.d} into an {@code Inet4Address}), so the mixed
     * notation of section 5 does not arise.
     */
    static String ipv6Text(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
