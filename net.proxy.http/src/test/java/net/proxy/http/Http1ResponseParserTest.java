package net.proxy.http;

import static net.proxy.http.Wire.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class Http1ResponseParserTest {

    private static ResponseHeader parse(String method, String wire) {
        byte[] b = bytes(wire);
        return Http1ResponseParser.create().requestMethod(method).parse(b, 0, b.length);
    }

    @Test
    void parsesStatusReasonAndFields() {
        ResponseHeader res =
                parse("GET", "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n" + "Content-Length: 9\r\n\r\n");
        assertEquals(404, res.status());
        assertEquals("Not Found", res.reason());
        assertEquals(HttpVersion.HTTP_1_1, res.version());
        assertEquals("text/plain", res.headers().get("content-type"));
        assertEquals(BodyFraming.contentLength(9), res.framing());
    }

    @Test
    void acceptsAnEmptyOrMissingReason() {
        assertEquals(
                "", parse("GET", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").reason());
        assertEquals(
                "", parse("GET", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").reason());
    }

    @Test
    void framesBodiesAsRfc9112Section63Says() {
        assertEquals(
                BodyFraming.NONE,
                parse("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n").framing());
        assertEquals(
                BodyFraming.NONE,
                parse("GET", "HTTP/1.1 204 No Content\r\n\r\n").framing());
        assertEquals(
                BodyFraming.NONE,
                parse("GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n")
                        .framing());
        assertEquals(
                BodyFraming.NONE,
                parse("GET", "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n").framing());
        assertEquals(
                BodyFraming.TUNNEL,
                parse("CONNECT", "HTTP/1.1 200 Connection Established\r\n\r\n").framing());
        assertEquals(
                BodyFraming.CLOSE_DELIMITED,
                parse("CONNECT", "HTTP/1.1 407 Auth\r\n\r\n").framing());
        assertEquals(
                BodyFraming.CLOSE_DELIMITED,
                parse("GET", "HTTP/1.1 200 OK\r\n\r\n").framing());
        assertEquals(
                BodyFraming.CHUNKED,
                parse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .framing());
        assertEquals(
                BodyFraming.CLOSE_DELIMITED,
                parse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")
                        .framing());
    }

    @Test
    void dropsContentLengthWhenTransferEncodingIsPresent() {
        ResponseHeader res = parse("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertEquals(BodyFraming.CHUNKED, res.framing());
        assertFalse(res.headers().contains("content-length"));
    }

    @Test
    void recognisesUpgradesOnlyInHttp11() {
        assertTrue(parse("GET", "HTTP/1.1 101 Switching Protocols\r\n\r\n").isUpgrade());
        assertFalse(parse("GET", "HTTP/1.0 101 Switching Protocols\r\n\r\n").isUpgrade());
        assertTrue(parse("GET", "HTTP/1.1 100 Continue\r\n\r\n").isInformational());
    }

    @Test
    void parsesAnInformationalThenTheFinalResponseFromOneBuffer() {
        ByteBuffer buf = ByteBuffer.wrap(
                bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n" + "Content-Length: 2\r\n\r\nok"));
        Http1ResponseParser parser = Http1ResponseParser.create().requestMethod("POST");
        assertEquals(100, parser.parse(buf).status());
        assertEquals(201, parser.parse(buf).status());
        assertEquals(2, buf.remaining());
        assertNull(parser.parse(buf.limit(buf.position())));
    }

    @Test
    void rejectsMalformedStatusLines() {
        assertThrows(MalformedStatusLineException.class, () -> parse("GET", "HTTP/1.1 2000 OK\r\n\r\n"));
        assertThrows(MalformedStatusLineException.class, () -> parse("GET", "HTTP/1.1 20 OK\r\n\r\n"));
        assertThrows(MalformedStatusLineException.class, () -> parse("GET", "HTTP/1.1 099 OK\r\n\r\n"));
        assertThrows(MalformedStatusLineException.class, () -> parse("GET", "HTTP/1.1  200 OK\r\n\r\n"));
        assertThrows(MalformedStatusLineException.class, () -> parse("GET", "ICY 200 OK\r\n\r\n"));
        assertThrows(MalformedStatusLineException.class, () -> parse("GET", "HTTP/1.1 200 O\u0001K\r\n\r\n"));
        assertThrows(UnsupportedVersionException.class, () -> parse("GET", "HTTP/3.0 200 OK\r\n\r\n"));
    }

    @Test
    void rejectsAmbiguousResponseFraming() {
        assertThrows(
                InvalidContentLengthException.class,
                () -> parse("GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"));
        assertThrows(
                InvalidTransferEncodingException.class,
                () -> parse("GET", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertThrows(
                InvalidTransferEncodingException.class,
                () -> parse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"));
    }

    @Test
    void keepsAliveByVersionAndConnectionField() {
        assertTrue(parse("GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive());
        assertFalse(parse("GET", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                .keepAlive());
        assertFalse(parse("GET", "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive());
        assertTrue(parse("GET", "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n")
                .keepAlive());
    }
}
