package net.proxy.http;

import java.nio.charset.StandardCharsets;

/** Test helpers for wire bytes. */
final class Wire {
    private Wire() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static RequestHeader request(String s) {
        byte[] b = bytes(s);
        Http1RequestParser parser = Http1RequestParser.create();
        RequestHeader req = parser.parse(b, 0, b.length);
        if (req == null) {
            throw new AssertionError("incomplete head: " + s);
        }
        return req;
    }
}
