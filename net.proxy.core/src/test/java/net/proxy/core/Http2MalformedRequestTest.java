package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import net.proxy.core.Http2Client.Report;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed HTTP/2 requests (RFC 9113 §8.2–8.3), sent frame by frame ({@code src/test/python/h2_requests.py}): each is
 * answered 400 or reset with {@code PROTOCOL_ERROR}, no complete request of it reaches the origin, and the
 * connection goes on serving (a GET /after on stream 3 follows each).
 */
@ExtendWith(LeakDetection.class)
class Http2MalformedRequestTest {
    private static final long PROTOCOL_ERROR = 0x1;

    private static Report send(RecordingOrigin origin, String name) throws Exception {
        try (ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            return Http2Client.run(f.address, "h2_requests.py", "malformed", name);
        }
    }

    /** Stream 1 refused, the connection still serving, and the origin saw only GET /after. */
    private static void assertRefused(RecordingOrigin origin, Report r) {
        assertTrue(r.status(1) == 400 || r.rst(1) == PROTOCOL_ERROR, "400 or RST_STREAM(PROTOCOL_ERROR): " + r);
        assertEquals(-1, r.goaway(), "the connection survives a malformed request: " + r);
        assertEquals(200, r.status(3), r.toString());
        assertEquals(
                List.of("/after"),
                origin.seen.stream().map(RecordingOrigin.Seen::target).toList(),
                "what the origin received");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "connection",
                "keep-alive",
                "proxy-connection",
                "transfer-encoding",
                "upgrade",
                "te-gzip",
                "uppercase-name",
                "cr-in-value",
                "lf-in-value",
                "nul-in-value",
                "nul-in-name",
                "no-method",
                "no-path",
                "no-scheme",
                "repeated-path",
                "repeated-method",
                "unknown-pseudo",
                "pseudo-after-field",
                "host-mismatch"
            })
    void malformedHeadersAreRefusedAndNothingReachesTheOrigin(String name) throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            assertRefused(origin, send(origin, name));
        }
    }

    /**
     * Regression: a request whose HEADERS the codec refuses was reset before the codec created its stream, so its
     * DATA, already on the way, arrived on a stream that "never existed": GOAWAY(PROTOCOL_ERROR) ended the connection
     * and every other stream on it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"uppercase-name-with-body", "transfer-encoding"})
    void aRefusedRequestWithABodyResetsOnlyItsStream(String name) throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            assertRefused(origin, send(origin, name));
        }
    }

    @Test
    void hostDisagreeingWithAuthorityIsAnswered400() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            Report r = send(origin, "host-mismatch");
            assertEquals(400, r.status(1), r.toString());
            assertRefused(origin, r);
        }
    }

    /**
     * Trailers come after the body went upstream: the request is reset when they arrive, and the origin never gets
     * its end (RFC 9113 §8.1: a malformed message must not be forwarded).
     */
    @ParameterizedTest
    @ValueSource(strings = {"pseudo-in-trailers", "connection-in-trailers", "transfer-encoding-in-trailers"})
    void malformedTrailersResetTheStreamAndTheOriginNeverGetsACompleteRequest(String name) throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            Report r = send(origin, name);
            assertTrue(r.status(1) == 400 || r.rst(1) == PROTOCOL_ERROR, r.toString());
            assertEquals(200, r.status(3), r.toString());
            assertOnlyAfterCompleted(origin);
        }
    }

    /**
     * H2.CL desync: {@code content-length: 100}, 10 bytes, END_STREAM. An HTTP/1 origin that got the 10 bytes would
     * take the next request on that connection as the other 90; so the stream is reset, the origin never sees the
     * request complete, and the connection that carried its start is closed, not reused.
     */
    @Test
    void contentLengthLargerThanTheDataIsResetAndItsUpstreamConnectionNotReused() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            Report r = send(origin, "content-length-short");
            assertEquals(PROTOCOL_ERROR, r.rst(1), r.toString());
            assertEquals(200, r.status(3), r.toString());
            assertOnlyAfterCompleted(origin);
            for (RecordingOrigin.Seen s : origin.seen) {
                if (s.target().equals("/m")) {
                    assertEquals("100", s.header("Content-Length"), s.toString());
                    assertTrue(s.body().length <= 10, "at most the 10 bytes sent: " + s);
                }
            }
        }
    }

    /**
     * H2.CL desync once the origin holds the start of the request: its head and 10 of the 100 bytes announced are
     * at the origin when END_STREAM comes. The proxy closes that upstream connection (were it pooled, the next
     * request would complete the body) and GET /after goes on a new one.
     */
    @Test
    void contentLengthLargerThanTheDataClosesTheUpstreamConnectionHoldingItsStart() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok");
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())));
                Http2Client c = Http2Client.start(f.address, "h2_flow.py", "cl-desync")) {
            c.awaitEvent("partial-sent");
            ProxyFixture.eventually(() -> origin.bodyBytesRead.get() == 10, "the head and 10 bytes at the origin");
            c.send("go");
            Report r = c.finish();
            assertEquals(PROTOCOL_ERROR, r.rst(1), r.toString());
            assertEquals(200, r.status(3), r.toString());
            assertOnlyAfterCompleted(origin);
            RecordingOrigin.Seen partial = origin.seen.get(0);
            assertEquals("/m", partial.target());
            assertEquals("0123456789", new String(partial.body(), java.nio.charset.StandardCharsets.US_ASCII));
            assertFalse(partial.complete());
            assertEquals(2, origin.complete().get(0).connection(), "GET /after on a new connection");
            assertEquals(2, origin.connections.get());
        }
    }

    /** DATA beyond content-length: the stream is reset and no byte past the announced length reaches the origin. */
    @Test
    void dataBeyondContentLengthIsResetAndNeverReachesTheOrigin() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            Report r = send(origin, "content-length-excess");
            assertEquals(PROTOCOL_ERROR, r.rst(1), r.toString());
            assertEquals(200, r.status(3), r.toString());
            for (RecordingOrigin.Seen s : origin.seen) {
                assertFalse(
                        new String(s.body(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("EXTRA"),
                        s.toString());
                assertTrue(s.body().length <= 10, s.toString());
            }
        }
    }

    @Test
    void teTrailersPasses() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            Report r = send(origin, "te-trailers");
            assertEquals(200, r.status(1), r.toString());
            assertEquals("ok", r.body(1));
            assertEquals(2, origin.complete().size());
        }
    }

    /** The contrast to the malformed trailers: a body without content-length and valid trailers pass whole. */
    @Test
    void aBodyWithValidTrailersReachesTheOriginChunkedWithItsTrailers() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            Report r = send(origin, "valid-trailers");
            assertEquals(200, r.status(1), r.toString());
            RecordingOrigin.Seen m = origin.complete().get(0);
            assertEquals("abcdef", new String(m.body(), java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals("chunked", m.header("Transfer-Encoding"));
            assertEquals(List.of("x-checksum: 42"), m.trailers());
        }
    }

    @Test
    void authorityWithoutHostReachesTheOriginAsHost() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            Report r = send(origin, "authority-only");
            assertEquals(200, r.status(1), r.toString());
            RecordingOrigin.Seen m = origin.complete().get(0);
            assertEquals("/m", m.target());
            assertEquals("proxy.test", m.header("Host"), m.toString());
            assertNull(m.header(":authority"));
        }
    }

    /**
     * The origin completed only GET /after, and a connection that carried the start of a refused request carried
     * nothing more: the proxy closed it rather than pool it.
     */
    private static void assertOnlyAfterCompleted(RecordingOrigin origin) {
        assertEquals(
                List.of("/after"),
                origin.complete().stream().map(RecordingOrigin.Seen::target).collect(Collectors.toList()),
                "complete requests at the origin; all it saw: " + origin.seen);
        int after = origin.complete().get(0).connection();
        for (RecordingOrigin.Seen s : origin.seen) {
            if (!s.complete()) {
                assertNotEquals(after, s.connection(), "GET /after on the connection of " + s);
            }
        }
    }
}
