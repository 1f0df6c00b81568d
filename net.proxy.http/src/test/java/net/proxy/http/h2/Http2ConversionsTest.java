package net.proxy.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.proxy.http.Http1RequestParser;
import net.proxy.http.HttpVersion;
import net.proxy.http.InvalidPseudoHeaderException;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import org.junit.jupiter.api.Test;

class Http2ConversionsTest {

    private static RequestHeader parse(String wire) {
        byte[] b = wire.getBytes(StandardCharsets.ISO_8859_1);
        return Http1RequestParser.create().parse(b, 0, b.length);
    }

    private static List<String> names(Http2Headers h) {
        List<String> out = new ArrayList<>();
        h.forEach(e -> out.add(e.getKey().toString()));
        return out;
    }

    @Test
    void mapsTheRequestLineToPseudoHeadersAndDropsConnectionSpecificFields() {
        RequestHeader req = parse("GET /p?q=1 HTTP/1.1\r\nHost: example.com\r\nConnection: keep-alive, X-Hop\r\n"
                + "Keep-Alive: 5\r\nX-Hop: 1\r\nProxy-Connection: x\r\nUpgrade: h2c\r\nTE: trailers, deflate\r\n"
                + "Accept: */*\r\n\r\n");
        Http2Headers h2 = Http2Conversions.toHttp2(req, "https");
        assertEquals("GET", h2.method().toString());
        assertEquals("https", h2.scheme().toString());
        assertEquals("example.com", h2.authority().toString());
        assertEquals("/p?q=1", h2.path().toString());
        assertEquals(List.of(":method", ":scheme", ":authority", ":path", "te", "accept"), names(h2));
        assertEquals("trailers", h2.get("te").toString());
    }

    @Test
    void dropsTeUnlessItAsksForTrailers() {
        Http2Headers h2 = Http2Conversions.toHttp2(parse("GET / HTTP/1.1\r\nHost: a\r\nTE: gzip\r\n\r\n"), "http");
        assertFalse(h2.contains("te"));
    }

    @Test
    void crumblesCookiesAndJoinsThemBack() {
        RequestHeader req = parse("GET / HTTP/1.1\r\nHost: a\r\nCookie: a=1; b=2;c=3\r\n\r\n");
        Http2Headers h2 = Http2Conversions.toHttp2(req, "https");
        assertEquals(
                List.of("a=1", "b=2", "c=3"),
                h2.getAll("cookie").stream().map(CharSequence::toString).toList());
        RequestHeader back = Http2Conversions.toRequestHeader(h2);
        assertEquals("a=1; b=2; c=3", back.headers().get("cookie"));
        assertEquals(HttpVersion.HTTP_2, back.version());
        assertEquals("a", back.headers().get("host"));
        assertEquals("/", back.target());
    }

    @Test
    void convertsConnectAndAbsoluteFormTargets() {
        Http2Headers connect =
                Http2Conversions.toHttp2(parse("CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n"), "https");
        assertEquals(List.of(":method", ":authority"), names(connect));
        assertEquals("h:443", Http2Conversions.toRequestHeader(connect).target());
        Http2Headers absolute =
                Http2Conversions.toHttp2(parse("GET http://o:8/x HTTP/1.1\r\nHost: o:8\r\n\r\n"), "https");
        assertEquals("http", absolute.scheme().toString());
        assertEquals("o:8", absolute.authority().toString());
    }

    @Test
    void rejectsMissingRepeatedOrMisplacedPseudoHeaders() {
        assertThrows(
                InvalidPseudoHeaderException.class,
                () -> Http2Conversions.toRequestHeader(
                        new DefaultHttp2Headers().method("GET").scheme("https")));
        Http2Headers twice =
                new DefaultHttp2Headers(false).method("GET").scheme("https").path("/");
        twice.add(":path", "/again");
        assertThrows(InvalidPseudoHeaderException.class, () -> Http2Conversions.toRequestHeader(twice));
        assertThrows(
                InvalidPseudoHeaderException.class,
                () -> Http2Conversions.toRequestHeader(
                        new DefaultHttp2Headers().method("CONNECT").path("/")));
        assertThrows(
                InvalidPseudoHeaderException.class,
                () -> Http2Conversions.toRequestHeader(new DefaultHttp2Headers()
                        .method("GET")
                        .scheme("https")
                        .path("/")
                        .status("200")));
        assertThrows(
                InvalidPseudoHeaderException.class,
                () -> Http2Conversions.toResponseHeader(new DefaultHttp2Headers().status("20")));
        assertThrows(
                InvalidPseudoHeaderException.class,
                () -> Http2Conversions.toResponseHeader(
                        new DefaultHttp2Headers().status("200").path("/")));
    }

    @Test
    void convertsResponsesBothWays() {
        ResponseHeader res = ResponseHeader.of(404);
        res.headers()
                .add("Content-Type", "text/plain")
                .add("Transfer-Encoding", "chunked")
                .add("Set-Cookie", "a=1");
        Http2Headers h2 = Http2Conversions.toHttp2(res);
        assertEquals(List.of(":status", "content-type", "set-cookie"), names(h2));
        ResponseHeader back = Http2Conversions.toResponseHeader(h2);
        assertEquals(404, back.status());
        assertEquals("Not Found", back.reason());
        assertEquals("text/plain", back.headers().get("Content-Type"));
        assertNull(back.headers().get("transfer-encoding"));
    }
}
