package net.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the README's net.proxy.http example and checks what it prints. */
class ReadmeExampleTest {

    @Test
    void readmeExampleParsesReadsAndSerializes() {
        byte[] wire = "GET /search?q=proxy HTTP/1.1\r\nHost: example.com\r\nX-Trace: 1\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        Http1RequestParser parser = Http1RequestParser.create();
        RequestHeader req = parser.parse(wire, 0, wire.length);
        assertEquals("/search example.com", req.path() + " " + req.headers().get("host"));
        req.headers().add("Via", "1.1 net.proxy");
        assertEquals(
                "GET /search?q=proxy HTTP/1.1\r\nHost: example.com\r\nX-Trace: 1\r\nVia: 1.1 net.proxy\r\n\r\n",
                new String(Http1Serializer.toBytes(req), StandardCharsets.US_ASCII));
    }
}
