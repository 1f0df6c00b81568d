package net.proxy.http;

import static net.proxy.http.Wire.bytes;
import static net.proxy.http.Wire.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class Http1SerializerTest {

    @Test
    void writesAParsedRequestBackByteForByteWhenUntouched() {
        String wire = "GET /a?b=1 HTTP/1.1\r\nhost: x\r\nX-MiXeD-Case: Value  with  spaces\r\nAccept: */*\r\n\r\n";
        assertEquals(wire, text(Http1Serializer.toBytes(Wire.request(wire))));
    }

    @Test
    void keepsTheSpacingOfUntouchedFieldsAndWritesChangedOnesPlainly() {
        String wire = "GET / HTTP/1.1\r\nHost:   x  \r\nVia:1.0 a\r\n\r\n";
        RequestHeader req = Wire.request(wire);
        assertEquals(wire, text(Http1Serializer.toBytes(req)));
        assertEquals("x", req.headers().get("host"), "the value itself has no surrounding whitespace");
        req.headers().set("Via", req.headers().get("Via"));
        assertEquals("GET / HTTP/1.1\r\nHost:   x  \r\nVia: 1.0 a\r\n\r\n", text(Http1Serializer.toBytes(req)));
    }

    @Test
    void writesEditsInPlace() {
        RequestHeader req = Wire.request("GET /old HTTP/1.1\r\nHost: x\r\nVia: 1.0 a\r\nAccept: */*\r\n\r\n");
        req.target("/new").method("POST").headers().set("via", "1.1 proxy").add("Content-Length", "0");
        assertEquals(
                "POST /new HTTP/1.1\r\nHost: x\r\nvia: 1.1 proxy\r\nAccept: */*\r\nContent-Length: 0\r\n\r\n",
                text(Http1Serializer.toBytes(req)));
    }

    @Test
    void writesResponsesAndHttp2HeadsAsHttp11() {
        ResponseHeader res = ResponseHeader.of(200).version(HttpVersion.HTTP_2);
        res.headers().add("Content-Type", "text/plain");
        ByteBuffer buf = ByteBuffer.allocate(Http1Serializer.encodedLength(res));
        Http1Serializer.encode(res, buf);
        assertEquals(0, buf.remaining());
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", text(buf.array()));
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        Http1Serializer.encode(ResponseHeader.of(599), direct);
        assertEquals("HTTP/1.1 599 \r\n\r\n".length(), direct.position());
    }

    @Test
    void roundTripsAParsedResponse() {
        String wire = "HTTP/1.0 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n";
        byte[] b = bytes(wire);
        ResponseHeader res = Http1ResponseParser.create().parse(b, 0, b.length);
        assertEquals(wire, text(Http1Serializer.toBytes(res)));
    }

    @Test
    void encodesChunksThatTheDecoderReadsBack() {
        ByteBuffer out = ByteBuffer.allocate(128);
        byte[] data = bytes("0123456789abcdefXYZ");
        ChunkedEncoder.writeChunkHead(data.length, out);
        out.put(data);
        ChunkedEncoder.writeChunkEnd(out);
        ChunkedEncoder.writeLastChunk(HttpHeaders.of("X-Checksum", "abc"), out);
        out.flip();
        assertEquals(
                "13\r\n0123456789abcdefXYZ\r\n0\r\nX-Checksum: abc\r\n\r\n",
                text(java.util.Arrays.copyOf(out.array(), out.limit())));
        BodyDecoder d = BodyDecoder.of(BodyFraming.CHUNKED, HttpLimits.defaults());
        assertEquals(19, d.decode(out));
        assertEquals(0, d.decode(out));
        assertEquals("abc", d.trailers().get("x-checksum"));
        assertEquals(16, ChunkedEncoder.chunkHeadLength(Long.MAX_VALUE) - 2);
        assertThrows(IllegalArgumentException.class, () -> ChunkedEncoder.chunkHeadLength(0));
    }

    @Test
    void refusesTargetsAndReasonsThatWouldBreakTheStartLine() {
        assertThrows(IllegalArgumentException.class, () -> RequestHeader.of("GET", "/a b"));
        assertThrows(IllegalArgumentException.class, () -> RequestHeader.of("G T", "/"));
        assertThrows(IllegalArgumentException.class, () -> ResponseHeader.of(200, "OK\r\nX: y"));
        assertThrows(IllegalArgumentException.class, () -> ResponseHeader.of(99));
    }
}
