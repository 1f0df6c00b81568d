package net.proxy.ketama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The text each server's points are hashed from, IPv6 as Rust and RFC 5952 print it. */
class PointInputTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "2001:0db8:0:0:0:0:0:1, 2001:db8::1",
        "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "1:0:0:0:0:0:0:0, 1::",
        "fe80:0:0:0:0:0:0:1, fe80::1",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "0:0:0:0:0:0:102:304, ::102:304",
        "abcd:ef01:2345:6789:abcd:ef01:2345:6789, abcd:ef01:2345:6789:abcd:ef01:2345:6789",
    })
    void printsIpv6InRfc5952Form(String input, String expected) throws UnknownHostException {
        assertEquals(expected, PointInput.ipText(InetAddress.getByName(input)));
    }

    @Test
    void dropsTheScopeOfALinkLocalAddress() throws UnknownHostException {
        byte[] bytes = InetAddress.getByName("fe80::1").getAddress();
        assertEquals("fe80::1", PointInput.ipText(Inet6Address.getByAddress(null, bytes, 7)));
    }

    @Test
    void buildsIpNulPortAndRoomForThePreviousHash() {
        byte[] buffer = PointInput.buffer(new InetSocketAddress("10.0.0.1", 443));
        PointInput.setPrevious(buffer, 0x04030201);
        assertArrayEquals("10.0.0.1\u0000443\u0001\u0002\u0003\u0004".getBytes(StandardCharsets.US_ASCII), buffer);
        byte[] v6 = PointInput.buffer(new InetSocketAddress("::1", 7777));
        assertArrayEquals("::1\u00007777\u0000\u0000\u0000\u0000".getBytes(StandardCharsets.US_ASCII), v6);
    }
}
