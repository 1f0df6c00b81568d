package net.proxy.http;

import static net.proxy.http.Wire.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {
    private static final HttpLimits LIMITS = HttpLimits.defaults();

    /** Decodes {@code wire} in pieces of {@code piece} bytes; returns the body; leaves {@code rest} unread. */
    private static String decode(BodyDecoder d, String wire, int piece, StringBuilder rest) {
        byte[] b = bytes(wire);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (at < b.length && !d.isComplete()) {
            ByteBuffer buf = ByteBuffer.wrap(b, at, Math.min(piece, b.length - at));
            while (buf.hasRemaining() && !d.isComplete()) {
                int n = d.decode(buf);
                body.write(b, buf.position() - n, n);
            }
            at = buf.position();
        }
        if (rest != null) {
            rest.append(Wire.text(b).substring(at));
        }
        return Wire.text(body.toByteArray());
    }

    private static String chunked(String wire) {
        return decode(BodyDecoder.of(BodyFraming.CHUNKED, LIMITS), wire, Integer.MAX_VALUE, null);
    }

    @Test
    void readsAContentLengthBodyAndLeavesTheNextMessage() {
        BodyDecoder d = BodyDecoder.of(BodyFraming.contentLength(5), LIMITS);
        StringBuilder rest = new StringBuilder();
        assertEquals("hello", decode(d, "helloGET /", 2, rest));
        assertTrue(d.isComplete());
        assertEquals("GET /", rest.toString());
        assertEquals(5, d.bodyBytes());
    }

    @Test
    void decodesChunksWithExtensionsAndTrailersAtEverySplitSize() {
        String wire = "5;name=\"v\"\r\nhello\r\n1A\r\n" + "x".repeat(26) + "\r\n0\r\nX-Sum: 42\r\nX-B: 1\r\n\r\nNEXT";
        for (int piece = 1; piece <= wire.length(); piece++) {
            BodyDecoder d = BodyDecoder.of(BodyFraming.CHUNKED, LIMITS);
            StringBuilder rest = new StringBuilder();
            assertEquals("hello" + "x".repeat(26), decode(d, wire, piece, rest), "piece " + piece);
            assertTrue(d.isComplete());
            assertEquals("NEXT", rest.toString(), "piece " + piece);
            assertEquals("42", d.trailers().get("x-sum"));
            assertEquals(2, d.trailers().size());
        }
    }

    @Test
    void keepsBytesAfterTheLastChunkForTheNextMessage() {
        BodyDecoder d = BodyDecoder.of(BodyFraming.CHUNKED, LIMITS);
        StringBuilder rest = new StringBuilder();
        assertEquals("", decode(d, "0\r\n\r\nabc", 100, rest));
        assertEquals("abc", rest.toString());
    }

    @Test
    void rejectsMalformedChunkFraming() {
        assertThrows(InvalidChunkException.class, () -> chunked("1\r\na\rn"));
        assertThrows(InvalidChunkException.class, () -> chunked("x\r\n"));
        assertThrows(InvalidChunkException.class, () -> chunked("0x5\r\nhello\r\n"));
        assertThrows(InvalidChunkException.class, () -> chunked("-1\r\n"));
        assertThrows(InvalidChunkException.class, () -> chunked("5 \r\nhello\r\n0\r\n\r\n"));
        assertThrows(InvalidChunkException.class, () -> chunked("5\r\nhelloXX0\r\n\r\n"));
        assertThrows(InvalidChunkException.class, () -> chunked("5;a\u0000b\r\nhello\r\n"));
        assertThrows(InvalidChunkException.class, () -> chunked("\r\n"));
        assertThrows(InvalidLineTerminatorException.class, () -> chunked("5\nhello\r\n"));
        assertThrows(InvalidLineTerminatorException.class, () -> chunked("0\r\nr\n"));
    }

    @Test
    void acceptsWhitespaceBeforeAnExtension() {
        assertEquals("hello", chunked("5 ;x=1\r\nhello\r\n0\r\n\r\n"));
        assertEquals("hello", chunked("0005\r\nhello\r\n0\r\n\r\n"));
    }

    @Test
    void rejectsChunkSizesThatOverflow() {
        assertThrows(ChunkSizeOverflowException.class, () -> chunked("10000000000000000\r\n"));
        assertThrows(ChunkSizeOverflowException.class, () -> chunked("8000000000000000\r\n"));
    }

    @Test
    void boundsTheChunkHeadIncludingExtensionsAndLeadingZeros() {
        assertThrows(
                ChunkHeadTooLargeException.class, () -> chunked("0;" + "a".repeat(5 * 1024) + "b".repeat(3 * 1024)));
        assertThrows(ChunkHeadTooLargeException.class, () -> chunked("0".repeat(9000)));
    }

    @Test
    void boundsTheTrailerSection() {
        assertThrows(TrailersTooLargeException.class, () -> chunked("0\r\nX: " + "v".repeat(70_000) + "\r\n\r\n"));
        HttpLimits few = HttpLimits.builder().maxHeaderCount(1).build();
        BodyDecoder d = BodyDecoder.of(BodyFraming.CHUNKED, few);
        assertThrows(TooManyHeadersException.class, () -> decode(d, "0\r\nA: 1\r\nB: 2\r\n\r\n", 100, null));
        assertThrows(InvalidHeaderNameException.class, () -> chunked("0\r\nA B: 1\r\n\r\n"));
    }

    @Test
    void enforcesTheBodyLimitWith413() {
        HttpLimits small = HttpLimits.builder().maxBodySize(4).build();
        assertEquals(
                413,
                assertThrows(ContentTooLargeException.class, () -> BodyDecoder.of(BodyFraming.contentLength(5), small))
                        .status());
        BodyDecoder d = BodyDecoder.of(BodyFraming.CHUNKED, small);
        assertThrows(ContentTooLargeException.class, () -> decode(d, "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", 100, null));
    }

    @Test
    void endsCloseDelimitedBodiesAtEndOfInputOnly() {
        BodyDecoder d = BodyDecoder.of(BodyFraming.CLOSE_DELIMITED, LIMITS);
        assertEquals("all of it", decode(d, "all of it", 3, null));
        assertFalse(d.isComplete());
        d.endOfInput();
        assertTrue(d.isComplete());
    }

    @Test
    void reportsAPrematureEndOfAFramedBody() {
        BodyDecoder chunkedBody = BodyDecoder.of(BodyFraming.CHUNKED, LIMITS);
        decode(chunkedBody, "0\r\n", 100, null);
        assertThrows(PrematureEndOfBodyException.class, chunkedBody::endOfInput);
        BodyDecoder fixed = BodyDecoder.of(BodyFraming.contentLength(3), LIMITS);
        decode(fixed, "ab", 100, null);
        assertThrows(PrematureEndOfBodyException.class, fixed::endOfInput);
        BodyDecoder none = BodyDecoder.of(BodyFraming.NONE, LIMITS);
        assertTrue(none.isComplete());
        none.endOfInput();
    }

    @Test
    void acceptsBareLfInChunkedFramingOnlyWhenAllowed() {
        HttpLimits lenient = HttpLimits.builder().allowBareLf(true).build();
        BodyDecoder d = BodyDecoder.of(BodyFraming.CHUNKED, lenient);
        assertEquals("hi", decode(d, "2\nhi\n0\nT: 1\n\n", 100, null));
        assertEquals("1", d.trailers().get("t"));
    }

    @Test
    void resetReusesTheDecoderAndKeepsEarlierTrailers() {
        BodyDecoder d = BodyDecoder.of(BodyFraming.CHUNKED, LIMITS);
        assertEquals("abc", decode(d, "3\r\nabc\r\n0\r\nX-A: 1\r\n\r\n", 100, null));
        HttpHeaders first = d.trailers();
        assertEquals("hello", decode(d.reset(BodyFraming.contentLength(5)), "hello", 100, null));
        assertTrue(d.isComplete());
        assertEquals(5, d.bodyBytes());
        assertTrue(d.trailers().isEmpty());
        assertEquals("xy", decode(d.reset(BodyFraming.CHUNKED), "2\r\nxy\r\n0\r\nX-A: 2\r\n\r\n", 1, null));
        assertEquals("2", d.trailers().get("x-a"));
        assertEquals("1", first.get("x-a"));
        assertFalse(d.reset(BodyFraming.CHUNKED).isComplete());
        BodyDecoder small = BodyDecoder.of(
                BodyFraming.NONE, HttpLimits.builder().maxBodySize(4).build());
        assertThrows(ContentTooLargeException.class, () -> small.reset(BodyFraming.contentLength(5)));
    }

    @Test
    void rejectsBareLfsInFramingThatArrivesWhole() {
        assertThrows(InvalidLineTerminatorException.class, () -> chunked("0\r\nA: 1\nB: 2\r\n\r\n"));
        assertThrows(InvalidLineTerminatorException.class, () -> chunked("1\r\na\n0\r\n\r\n"));
        assertThrows(InvalidLineTerminatorException.class, () -> chunked("1\na\r\n0\r\n\r\n"));
    }

    @Test
    void skipDataCountsBodyBytesWithoutReadingThemAndLeavesChunkFramingToDecode() {
        BodyDecoder length = BodyDecoder.of(BodyFraming.contentLength(5), LIMITS);
        assertEquals(3, length.skipData(3));
        assertEquals(2, length.skipData(10), "only what the body still needs");
        assertTrue(length.isComplete());
        assertEquals(0, length.skipData(4));
        assertEquals(5, length.bodyBytes());

        BodyDecoder chunked = BodyDecoder.of(BodyFraming.CHUNKED, LIMITS);
        assertEquals(-1, chunked.skipData(8), "a chunk size line comes first");
        assertEquals(3, chunked.decode(ByteBuffer.wrap(bytes("5\r\nhel"))));
        assertEquals(2, chunked.skipData(9), "the rest of the chunk's data");
        assertEquals(-1, chunked.skipData(9), "then the CRLF after it");

        BodyDecoder close = BodyDecoder.of(
                BodyFraming.CLOSE_DELIMITED, HttpLimits.builder().maxBodySize(4).build());
        assertEquals(4, close.skipData(4));
        assertThrows(ContentTooLargeException.class, () -> close.skipData(1));
    }
}
