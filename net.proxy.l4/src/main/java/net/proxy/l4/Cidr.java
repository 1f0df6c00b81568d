package net.proxy.l4;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address block such as {@code 10.0.0.0/8} or {@code ::1/128}. IPv4-mapped IPv6 addresses
 * ({@code ::ffff:10.1.2.3}) are matched against IPv4 blocks.
 *
 * @param network the block's address with host bits cleared
 * @param prefixLength the number of leading bits that must match
 */
public record Cidr(InetAddress network, int prefixLength) {

    /**
     * Validates and masks the network address.
     *
     * @param network the address
     * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
     */
    public Cidr {
        if (network == null) {
            throw new NullPointerException("network");
        }
        int max = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefixLength: " + prefixLength + " (expected: 0.." + max + ")");
        }
        network = mask(network, prefixLength);
    }

    /**
     * Parses {@code ADDRESS/PREFIX} or a single address (a full-length prefix). No DNS lookups.
     *
     * @param text e.g. {@code "192.168.0.0/16"}, {@code "2001:db8::/32"}, {@code "127.0.0.1"}
     * @return the block
     * @throws IllegalArgumentException if the text is not an IP literal with an optional prefix
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String ip = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
        if (bytes == null) {
            throw new IllegalArgumentException("cidr: " + text + " (expected: IP[/PREFIX])");
        }
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cidr: " + text + " (expected: IP[/PREFIX])", e);
        }
        try {
            return new Cidr(InetAddress.getByAddress(bytes), prefix);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cidr: " + text, e);
        }
    }

    /**
     * Tells whether an address lies in this block.
     *
     * @param address the address
     * @return {@code true} if its first {@link #prefixLength()} bits equal the network's
     */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length == 16 && n.length == 4 && isV4Mapped(a)) {
            byte[] v4 = new byte[4];
            System.arraycopy(a, 12, v4, 0, 4);
            a = v4;
        }
        if (a.length != n.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != n[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int m = 0xff << (8 - rest) & 0xff;
        return (a[full] & m) == (n[full] & m);
    }

    @Override
    public String toString() {
        return NetUtil.toAddressString(network) + "/" + prefixLength;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static InetAddress mask(InetAddress address, int prefix) {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xff << (8 - bits));
        }
        try {
            return address instanceof Inet6Address || address instanceof Inet4Address
                    ? InetAddress.getByAddress(b)
                    : address;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
