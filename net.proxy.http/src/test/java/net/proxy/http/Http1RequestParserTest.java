package net.proxy.http;

import static net.proxy.http.Wire.bytes;
import static net.proxy.http.Wire.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class Http1RequestParserTest {
    private static final String BROWSER_GET = "GET /search?q=proxy&lang=en HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Cookie: session=abc123; theme=dark; _ga=GA1.2.3.4\r\n"
            + "x-lower: kept\r\n"
            + "Connection: keep-alive\r\n\r\n";

    @Test
    void parsesTheMinimalRequestAndConsumesAllOfIt() {
        byte[] b = bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Http1RequestParser parser = Http1RequestParser.create();
        RequestHeader req = parser.parse(b, 0, b.length);
        assertEquals("GET", req.method());
        assertEquals("/", req.target());
        assertEquals(HttpVersion.HTTP_1_1, req.version());
        assertEquals(b.length, parser.consumed());
        assertEquals(b.length, parser.headLength());
        assertEquals(BodyFraming.NONE, req.framing());
    }

    @Test
    void sharesConstantsForWellKnownMethods() {
        assertSame(
                "POST",
                request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
                        .method());
        assertEquals("PURGE", request("PURGE /x HTTP/1.1\r\nHost: a\r\n\r\n").method());
    }

    @Test
    void keepsNameCaseAndOrderAndLooksUpIgnoringCase() {
        RequestHeader req = request(BROWSER_GET);
        HttpHeaders h = req.headers();
        assertEquals(8, h.size());
        assertEquals("User-Agent", h.name(1));
        assertEquals("x-lower", h.name(6));
        assertEquals("kept", h.get("X-LOWER"));
        assertEquals("gzip, deflate, br", h.get("accept-encoding"));
        assertEquals("/search", req.path());
        assertEquals("q=proxy&lang=en", req.query());
        assertEquals("www.example.com", req.host());
        assertTrue(req.keepAlive());
    }

    @Test
    void parsesAHeadFedOneByteAtATimeAndReportsWhereTheBodyStarts() {
        byte[] b = bytes("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
        Http1RequestParser parser = Http1RequestParser.create();
        RequestHeader req = null;
        int i = 0;
        while (req == null) {
            req = parser.parse(b, i, 1);
            i += parser.consumed();
        }
        assertEquals(b.length - 5, i);
        assertEquals(BodyFraming.contentLength(5), req.framing());
        assertEquals("a", req.headers().get("Host"));
    }

    @Test
    void parsesTheSameHeadAtEverySplitPoint() {
        byte[] b = bytes(BROWSER_GET + "GET /next");
        for (int split = 0; split <= b.length; split++) {
            Http1RequestParser parser = Http1RequestParser.create();
            RequestHeader req = parser.parse(b, 0, split);
            int used = parser.consumed();
            if (req == null) {
                req = parser.parse(b, split, b.length - split);
                used += parser.consumed();
            }
            assertNotNull(req, "split " + split);
            assertEquals(BROWSER_GET.length(), used, "split " + split);
            assertEquals("dark", req.headers().get("cookie").split("theme=")[1].substring(0, 4));
        }
    }

    @Test
    void parsesPipelinedRequestsFromOneBuffer() {
        ByteBuffer buf = ByteBuffer.wrap(bytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"));
        Http1RequestParser parser = Http1RequestParser.create();
        assertEquals("/1", parser.parse(buf).target());
        assertEquals("/2", parser.parse(buf).target());
        assertEquals(0, buf.remaining());
    }

    @Test
    void parsesFromADirectBufferInPieces() {
        byte[] b = bytes(BROWSER_GET + "tail");
        ByteBuffer direct = ByteBuffer.allocateDirect(b.length);
        direct.put(b).flip();
        Http1RequestParser parser = Http1RequestParser.create();
        RequestHeader req = null;
        for (int end = 7; req == null; end = Math.min(end + 7, b.length)) {
            direct.limit(end);
            req = parser.parse(direct);
        }
        direct.limit(b.length);
        assertEquals(BROWSER_GET.length(), direct.position());
        assertEquals("keep-alive", req.headers().get("connection"));
    }

    @Test
    void directHeadsOfAnySizeFollowedByABodyAndInterleavedPartialHeadsOnOneThreadStayApart() {
        String longHead = "GET /long HTTP/1.1\r\nHost: a\r\nX-Pad: " + "p".repeat(5000) + "\r\n\r\n";
        for (String head : List.of(BROWSER_GET, longHead)) {
            ByteBuffer direct = directOf(head + "b".repeat(70_000));
            RequestHeader req = Http1RequestParser.create().parse(direct);
            assertEquals(head.length(), direct.position(), "the body bytes are left unconsumed");
            assertEquals(head.equals(longHead) ? "a" : "www.example.com", req.host());
        }
        // two connections served by one thread, each with half a head: neither sees the other's bytes
        Http1RequestParser first = Http1RequestParser.create();
        Http1RequestParser second = Http1RequestParser.create();
        ByteBuffer a = directOf("GET /first HTTP/1.1\r\nHost: one\r\n\r\n");
        ByteBuffer b = directOf("GET /second HTTP/1.1\r\nHost: two\r\nX-Other: y\r\n\r\n");
        a.limit(20);
        b.limit(25);
        assertNull(first.parse(a));
        assertNull(second.parse(b));
        a.limit(a.capacity());
        b.limit(b.capacity());
        RequestHeader one = first.parse(a);
        RequestHeader two = second.parse(b);
        assertEquals("/first one", one.target() + " " + one.host());
        assertEquals(
                "/second two y",
                two.target() + " " + two.host() + " " + two.headers().get("x-other"));
        assertEquals(
                5000,
                Http1RequestParser.create()
                        .parse(directOf(longHead))
                        .headers()
                        .get("x-pad")
                        .length());
    }

    private static ByteBuffer directOf(String s) {
        byte[] b = bytes(s);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    @Test
    void skipsEmptyLinesBeforeTheRequestLine() {
        assertEquals("/x", request("\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n").target());
    }

    @Test
    void recognisesTheFourTargetForms() {
        RequestHeader absolute = request("GET http://h.example:8080/p/q?x=1 HTTP/1.1\r\nHost: other\r\n\r\n");
        assertEquals("http", absolute.scheme());
        assertEquals("h.example:8080", absolute.authority());
        assertEquals("/p/q", absolute.path());
        assertEquals("x=1", absolute.query());
        assertEquals("h.example:8080", absolute.host());
        RequestHeader connect = request("CONNECT h.example:443 HTTP/1.1\r\nHost: h.example:443\r\n\r\n");
        assertTrue(connect.isConnect());
        assertEquals("h.example:443", connect.authority());
        assertEquals("", connect.path());
        assertEquals("*", request("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").path());
        assertNull(request("GET /only HTTP/1.1\r\nHost: a\r\n\r\n").query());
    }

    @Test
    void rejectsTargetFormsThatDoNotFitTheMethod() {
        assertThrows(MalformedRequestLineException.class, () -> request("GET * HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertThrows(MalformedRequestLineException.class, () -> request("CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertThrows(MalformedRequestLineException.class, () -> request("GET foo HTTP/1.1\r\nHost: a\r\n\r\n"));
    }

    @Test
    void recognisesExpectContinueUpgradeAndKeepAlive() {
        RequestHeader put = request("PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 9\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(put.expectsContinue());
        assertEquals(false, put.keepAlive());
        RequestHeader ws = request("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        assertTrue(ws.isUpgrade());
        RequestHeader old = request("GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n\r\n");
        assertEquals(false, old.isUpgrade());
        assertTrue(old.keepAlive());
        assertEquals(false, request("GET / HTTP/1.0\r\n\r\n").keepAlive());
    }

    @Test
    void enforcesTheRequestLineLimitWith414EvenBeforeTheLineEnds() {
        HttpLimits limits = HttpLimits.builder().maxRequestLineLength(32).build();
        byte[] b = bytes("GET /" + "a".repeat(40));
        RequestLineTooLongException e = assertThrows(
                RequestLineTooLongException.class,
                () -> Http1RequestParser.create(limits).parse(b, 0, b.length));
        assertEquals(414, e.status());
    }

    @Test
    void enforcesTheHeadSizeLimitWith431() {
        HttpLimits limits = HttpLimits.builder().maxHeadSize(64).build();
        byte[] b = bytes("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(60) + "\r\n\r\n");
        Http1RequestParser parser = Http1RequestParser.create(limits);
        assertEquals(
                431,
                assertThrows(HeaderTooLargeException.class, () -> parser.parse(b, 0, b.length))
                        .status());
        byte[] partial = bytes("GET / HTTP/1.1\r\nX: " + "b".repeat(80));
        assertThrows(HeaderTooLargeException.class, () -> parser.parse(partial, 0, partial.length));
    }

    @Test
    void enforcesTheHeaderCountLimitWith431() {
        HttpLimits limits = HttpLimits.builder().maxHeaderCount(3).build();
        byte[] b = bytes("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n");
        assertThrows(
                TooManyHeadersException.class,
                () -> Http1RequestParser.create(limits).parse(b, 0, b.length));
    }

    @Test
    void isReadyForTheNextRequestAfterARejection() {
        Http1RequestParser parser = Http1RequestParser.create();
        byte[] bad = bytes("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n");
        assertThrows(InvalidHeaderNameException.class, () -> parser.parse(bad, 0, bad.length));
        byte[] good = bytes("GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("/ok", parser.parse(good, 0, good.length).target());
    }

    @Test
    void acceptsBareLfOnlyWhenAllowed() {
        byte[] b = bytes("GET / HTTP/1.1\nHost: a\n\n");
        assertThrows(
                InvalidLineTerminatorException.class,
                () -> Http1RequestParser.create().parse(b, 0, b.length));
        Http1RequestParser lenient =
                Http1RequestParser.create(HttpLimits.builder().allowBareLf(true).build());
        RequestHeader req = lenient.parse(b, 0, b.length);
        assertEquals("a", req.headers().get("host"));
        assertEquals(
                "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                new String(Http1Serializer.toBytes(req), java.nio.charset.StandardCharsets.ISO_8859_1),
                "forwarded with CRLF line ends");
    }

    @Test
    void keepsObsTextInValuesAsLatin1() {
        RequestHeader req = request("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u00e9\r\n\r\n");
        assertEquals("caf\u00e9", req.headers().get("x-name"));
        assertEquals(List.of("a"), req.headers().getAll("HOST"));
    }

    @Test
    void framingDoesNotFollowLaterEditsOfTheFields() {
        RequestHeader req = request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n");
        req.headers().remove("content-length");
        assertEquals(BodyFraming.contentLength(3), req.framing());
        RequestHeader built = RequestHeader.of("POST", "/");
        built.headers().add("Transfer-Encoding", "chunked");
        assertEquals(BodyFraming.CHUNKED, built.framing());
    }

    @Test
    void sharesARepeatedHostValueAndStillChecksEveryHost() {
        Http1RequestParser parser = Http1RequestParser.create();
        byte[] b = bytes("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n");
        RequestHeader first = parser.parse(b, 0, b.length);
        RequestHeader second = parser.parse(b, 0, b.length);
        assertEquals("a.example", first.headers().get("host"));
        assertSame(first.headers().get("host"), second.headers().get("Host"));
        byte[] bad = bytes("GET / HTTP/1.1\r\nHost: a.example/x\r\n\r\n");
        assertThrows(InvalidHeaderValueException.class, () -> parser.parse(bad, 0, bad.length));
        assertThrows(InvalidHeaderValueException.class, () -> parser.parse(bad, 0, bad.length));
        byte[] twice = bytes("GET / HTTP/1.1\r\nHost: a.example\r\nHost: a.example\r\n\r\n");
        assertThrows(DuplicateHostException.class, () -> parser.parse(twice, 0, twice.length));
        byte[] other = bytes("GET / HTTP/1.1\r\nHost: b.example\r\n\r\n");
        assertEquals("b.example", parser.parse(other, 0, other.length).headers().get("host"));
        second.headers().set("Host", "c.example");
        assertEquals("c.example", second.headers().get("host"));
        assertEquals("a.example", first.headers().get("host"));
    }
}
