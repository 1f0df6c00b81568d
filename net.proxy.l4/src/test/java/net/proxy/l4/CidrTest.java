package net.proxy.l4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void matchesIpv4PrefixesAndMasksTheNetwork() throws Exception {
        Cidr c = Cidr.parse("10.1.2.3/8");
        assertEquals("10.0.0.0/8", c.toString());
        assertTrue(c.contains(ip("10.255.0.1")));
        assertFalse(c.contains(ip("11.0.0.1")));
        Cidr odd = Cidr.parse("192.168.1.0/23");
        assertTrue(odd.contains(ip("192.168.0.7")));
        assertFalse(odd.contains(ip("192.168.2.7")));
    }

    @Test
    void matchesIpv6AndIpv4MappedAddresses() throws Exception {
        assertTrue(Cidr.parse("2001:db8::/32").contains(ip("2001:db8:1::5")));
        assertFalse(Cidr.parse("2001:db8::/32").contains(ip("2001:db9::5")));
        assertTrue(Cidr.parse("::1").contains(ip("::1")));
        assertTrue(Cidr.parse("127.0.0.0/8")
                .contains(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1})));
        assertFalse(Cidr.parse("127.0.0.0/8").contains(ip("::1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8")));
    }

    @Test
    void rejectsMalformedInput() {
        assertEquals(
                "cidr: example.com/8 (expected: IP[/PREFIX])",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/8"))
                        .getMessage());
        assertEquals(
                "prefixLength: 33 (expected: 0..32)",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/x"));
    }
}
