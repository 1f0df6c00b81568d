package net.proxy.http.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import net.proxy.http.BodyDecoder;
import net.proxy.http.Http1RequestParser;
import net.proxy.http.Http1ResponseParser;
import net.proxy.http.HttpHeaders;
import net.proxy.http.InvalidChunkException;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.http.SmugglingException;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class ByteBufHttp1Test {
    private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;
    private static final String REQUEST = "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";

    private static ByteBuf direct(String s) {
        ByteBuf buf = POOLED.directBuffer();
        buf.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        return buf;
    }

    private static String bodyOf(BodyDecoder decoder, ByteBuf in) {
        StringBuilder body = new StringBuilder();
        while (in.isReadable() && !decoder.isComplete()) {
            ByteBuf data = ByteBufHttp1.decodeBody(decoder, in);
            if (data != null) {
                body.append(data.toString(StandardCharsets.ISO_8859_1));
                data.release();
            }
        }
        return body.toString();
    }

    @Test
    void takeBodyHandsOverTheInputWhenTheBodyRunsToItsEndAndSlicesOtherwise() {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        ByteBuf in = direct(response);
        Http1ResponseParser parser = Http1ResponseParser.create();
        ResponseHeader head = ByteBufHttp1.parse(parser, in);
        BodyDecoder body = BodyDecoder.of(head.framing(), parser.limits());
        ByteBuf taken = ByteBufHttp1.takeBody(body, in);
        assertSame(in, taken);
        assertEquals(2, in.refCnt());
        assertEquals("hello", taken.toString(StandardCharsets.ISO_8859_1));
        assertTrue(body.isComplete());
        in.release();
        taken.release();

        ByteBuf two = direct(response + "HTTP/1.1 204 No Content\r\n\r\n");
        try {
            head = ByteBufHttp1.parse(parser, two);
            body = BodyDecoder.of(head.framing(), parser.limits());
            ByteBuf slice = ByteBufHttp1.takeBody(body, two);
            assertNotSame(two, slice);
            assertEquals("hello", slice.toString(StandardCharsets.ISO_8859_1));
            slice.release();
            assertEquals(204, ByteBufHttp1.parse(parser, two).status(), "the bytes after the body are still there");
        } finally {
            two.release();
        }
    }

    @Test
    void parsesAHeadAndChunkedBodyFromAPooledDirectBuffer() {
        ByteBuf in = direct(REQUEST);
        try {
            Http1RequestParser parser = Http1RequestParser.create();
            RequestHeader req = ByteBufHttp1.parse(parser, in);
            assertEquals("/up", req.target());
            BodyDecoder body = BodyDecoder.of(req.framing(), parser.limits());
            assertEquals("hello world", bodyOf(body, in));
            assertTrue(body.isComplete());
            assertEquals(0, in.readableBytes());
        } finally {
            in.release();
        }
    }

    @Test
    void parsesAHeadSplitAcrossHeapBuffers() {
        Http1RequestParser parser = Http1RequestParser.create();
        ByteBuf first = Unpooled.copiedBuffer(REQUEST.substring(0, 20), StandardCharsets.ISO_8859_1);
        ByteBuf second = Unpooled.copiedBuffer(REQUEST.substring(20), StandardCharsets.ISO_8859_1);
        try {
            assertNull(ByteBufHttp1.parse(parser, first));
            assertEquals(0, first.readableBytes());
            RequestHeader req = ByteBufHttp1.parse(parser, second);
            assertEquals("a", req.headers().get("host"));
            assertTrue(second.toString(StandardCharsets.ISO_8859_1).startsWith("5\r\nhello"));
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void parsesFromACompositeBufferComponentByComponent() {
        CompositeByteBuf in = POOLED.compositeDirectBuffer();
        in.addComponent(true, direct(REQUEST.substring(0, 9)));
        in.addComponent(true, direct(REQUEST.substring(9, 40)));
        in.addComponent(true, direct(REQUEST.substring(40)));
        try {
            Http1RequestParser parser = Http1RequestParser.create();
            RequestHeader req = ByteBufHttp1.parse(parser, in);
            assertEquals("POST", req.method());
            assertEquals("hello world", bodyOf(BodyDecoder.of(req.framing(), parser.limits()), in));
        } finally {
            in.release();
        }
    }

    @Test
    void leavesTheBufferToTheCallerWhenParsingFails() {
        ByteBuf in = direct("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
        try {
            assertThrows(SmugglingException.class, () -> ByteBufHttp1.parse(Http1RequestParser.create(), in));
            assertEquals(1, in.refCnt());
        } finally {
            in.release();
        }
        ByteBuf body = direct("zz\r\n");
        try {
            BodyDecoder decoder = BodyDecoder.of(
                    net.proxy.http.BodyFraming.CHUNKED,
                    Http1RequestParser.create().limits());
            assertThrows(InvalidChunkException.class, () -> ByteBufHttp1.decodeBody(decoder, body));
        } finally {
            body.release();
        }
    }

    @Test
    void writesHeadsAndFramesChunksWithoutCopyingTheData() {
        ByteBuf out = POOLED.directBuffer(8);
        try {
            ResponseHeader res = ResponseHeader.of(200);
            res.headers().add("Transfer-Encoding", "chunked");
            ByteBufHttp1.encode(res, out);
            ByteBuf chunk = ByteBufHttp1.encodeChunk(direct("hello"), POOLED);
            out.writeBytes(chunk);
            chunk.release();
            ByteBufHttp1.writeLastChunk(HttpHeaders.of("X-T", "1"), out);
            assertEquals(
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
                    out.toString(StandardCharsets.ISO_8859_1));
            Http1ResponseParser parser = Http1ResponseParser.create();
            ResponseHeader back = ByteBufHttp1.parse(parser, out);
            BodyDecoder decoder = BodyDecoder.of(back.framing(), parser.limits());
            assertEquals("hello", bodyOf(decoder, out));
            assertEquals("1", decoder.trailers().get("x-t"));
        } finally {
            out.release();
        }
        ByteBuf heap = Unpooled.buffer(4);
        try {
            ByteBufHttp1.encode(RequestHeader.of("GET", "/x"), heap);
            assertEquals("GET /x HTTP/1.1\r\n\r\n", heap.toString(StandardCharsets.ISO_8859_1));
        } finally {
            heap.release();
        }
    }

    @Test
    void releasesTheChunkDataWhenFramingFails() {
        ByteBuf empty = POOLED.directBuffer(4);
        assertThrows(IllegalArgumentException.class, () -> ByteBufHttp1.encodeChunk(empty, POOLED));
        assertEquals(0, empty.refCnt());
    }
}
