package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import net.proxy.http.HttpVersion;
import net.proxy.http.ResponseHeader;
import org.junit.jupiter.api.Test;

/** The gRPC protocol pieces without sockets: content types, {@code grpc-timeout}, statuses and their encoding. */
class GrpcStatusTest {

    @Test
    void tellsGrpcContentTypesFromGrpcWebAndOthers() {
        for (String yes : new String[] {
            "application/grpc",
            "application/grpc+proto",
            "application/grpc+json",
            "Application/GRPC",
            "application/grpc;x=1"
        }) {
            assertTrue(Grpc.isGrpcContentType(yes), yes);
        }
        for (String no : new String[] {
            "application/grpc-web",
            "application/grpc-web+proto",
            "application/grpc-web-text",
            "application/grpcx",
            "application/json",
            "application/grp",
            ""
        }) {
            assertFalse(Grpc.isGrpcContentType(no), no);
        }
        assertFalse(Grpc.isGrpcContentType(null));
    }

    @Test
    void parsesGrpcTimeoutPerTheGrammar() {
        assertEquals(TimeUnit.HOURS.toNanos(2), Grpc.parseTimeout("2H"));
        assertEquals(TimeUnit.MINUTES.toNanos(3), Grpc.parseTimeout("3M"));
        assertEquals(TimeUnit.SECONDS.toNanos(99999999), Grpc.parseTimeout("99999999S"));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(300), Grpc.parseTimeout("300m"));
        assertEquals(7_000, Grpc.parseTimeout("7u"));
        assertEquals(5, Grpc.parseTimeout("5n"));
        assertEquals(0, Grpc.parseTimeout("0m"));
        assertEquals(Long.MAX_VALUE, Grpc.parseTimeout("99999999H"), "beyond a long of nanoseconds: no deadline");
        assertEquals(Grpc.NO_TIMEOUT, Grpc.parseTimeout(null));
        for (String bad : new String[] {"", "S", "1", "123456789S", "1s", "1x", "-1S", " 1S", "1 S", "1.5S", "1Sm"}) {
            assertEquals(Grpc.MALFORMED, Grpc.parseTimeout(bad), bad);
        }
    }

    @Test
    void formatsTheRemainingTimeInTheFinestUnitThatFits() {
        assertEquals("1n", Grpc.formatTimeout(1));
        assertEquals("99999999n", Grpc.formatTimeout(99_999_999));
        assertEquals("100000u", Grpc.formatTimeout(100_000_000));
        assertEquals("100001u", Grpc.formatTimeout(100_000_001), "rounded up");
        assertEquals("3600000m", Grpc.formatTimeout(TimeUnit.HOURS.toNanos(1)));
        assertEquals("360000S", Grpc.formatTimeout(TimeUnit.HOURS.toNanos(100)));
        for (long n : new long[] {1, 999, 123_456_789, 987_654_321_012L, TimeUnit.DAYS.toNanos(400)}) {
            long back = Grpc.parseTimeout(Grpc.formatTimeout(n));
            assertTrue(back >= n, n + " -> " + back);
        }
    }

    @Test
    void percentEncodesTheMessage() {
        assertEquals(
                "plain text: ok",
                GrpcStatus.of(GrpcCode.INTERNAL, "plain text: ok").encodedMessage());
        assertEquals(
                "100%25 sure%0A%C3%A9",
                GrpcStatus.of(GrpcCode.INTERNAL, "100% sure\né").encodedMessage());
        assertEquals("%E2%9C%93~", GrpcStatus.of(GrpcCode.INTERNAL, "✓~").encodedMessage());
    }

    @Test
    void mapsProxyErrorsToCodes() {
        assertEquals(GrpcCode.UNAVAILABLE, code(ErrorKind.CONNECT_REFUSED, ErrorSource.UPSTREAM));
        assertEquals(GrpcCode.UNAVAILABLE, code(ErrorKind.CONNECT_ERROR, ErrorSource.UPSTREAM));
        assertEquals(GrpcCode.UNAVAILABLE, code(ErrorKind.TLS_HANDSHAKE_FAILURE, ErrorSource.UPSTREAM));
        assertEquals(GrpcCode.UNAVAILABLE, code(ErrorKind.CONNECTION_CLOSED, ErrorSource.UPSTREAM));
        assertEquals(GrpcCode.UNAVAILABLE, code(ErrorKind.READ_ERROR, ErrorSource.UPSTREAM));
        assertEquals(GrpcCode.UNAVAILABLE, code(ErrorKind.NO_UPSTREAM, ErrorSource.UPSTREAM));
        assertEquals(GrpcCode.DEADLINE_EXCEEDED, code(ErrorKind.CONNECT_TIMEOUT, ErrorSource.UPSTREAM));
        assertEquals(GrpcCode.DEADLINE_EXCEEDED, code(ErrorKind.READ_TIMEOUT, ErrorSource.UPSTREAM));
        assertEquals(GrpcCode.DEADLINE_EXCEEDED, code(ErrorKind.WRITE_TIMEOUT, ErrorSource.UPSTREAM));
        assertEquals(GrpcCode.DEADLINE_EXCEEDED, code(ErrorKind.TOTAL_TIMEOUT, ErrorSource.UPSTREAM));
        assertEquals(GrpcCode.INTERNAL, code(ErrorKind.INVALID_HTTP_HEADER, ErrorSource.UPSTREAM));
        assertEquals(GrpcCode.INTERNAL, code(ErrorKind.INVALID_BODY, ErrorSource.DOWNSTREAM));
        assertEquals(GrpcCode.INTERNAL, code(ErrorKind.INTERNAL_ERROR, ErrorSource.INTERNAL));
        assertEquals(
                GrpcStatus.of(GrpcCode.RESOURCE_EXHAUSTED, "proxy: HTTP 429"),
                GrpcStatus.fromError(ProxyError.status(429, "limited")));
        assertEquals(
                GrpcStatus.of(GrpcCode.INTERNAL, "proxy: HTTP 400: bad"),
                GrpcStatus.fromError(ProxyError.status(400, ErrorSource.DOWNSTREAM, "bad")),
                "the client's own fault is explained");
        assertEquals(
                GrpcStatus.of(GrpcCode.UNAVAILABLE, "proxy: the upstream refused the connection"),
                GrpcStatus.fromError(ProxyError.of(ErrorKind.CONNECT_REFUSED, ErrorSource.UPSTREAM, "10.0.0.7:443")),
                "an upstream's address is not told");
    }

    @Test
    void parsesGrpcStatusValues() {
        assertEquals(GrpcCode.OK, GrpcCode.parse("0"));
        assertEquals(GrpcCode.UNAVAILABLE, GrpcCode.parse("14"));
        assertEquals(GrpcCode.UNAUTHENTICATED, GrpcCode.parse("16"));
        assertEquals(GrpcCode.UNKNOWN, GrpcCode.parse("17"), "statuscodes.md: unknown codes are UNKNOWN");
        assertNull(GrpcCode.parse("x"));
        assertNull(GrpcCode.parse(""));
        assertNull(GrpcCode.parse(null));
        for (GrpcCode c : GrpcCode.values()) {
            assertEquals(c, GrpcCode.of(c.value()));
        }
        assertEquals(14, GrpcCode.UNAVAILABLE.value());
    }

    @Test
    void trailersOnlyHeadCarriesStatusAndMessage() {
        ResponseHeader h = Grpc.trailersOnly(GrpcStatus.of(GrpcCode.NOT_FOUND, "no 100%"), HttpVersion.HTTP_2);
        assertEquals(200, h.status());
        assertEquals("application/grpc", h.headers().get("content-type"));
        assertEquals("5", h.headers().get("grpc-status"));
        assertEquals("no 100%25", h.headers().get("grpc-message"));
        assertNull(h.headers().get("content-length"), "HTTP/2 ends the stream on the HEADERS frame");
        assertEquals(
                "0",
                Grpc.trailersOnly(GrpcStatus.of(GrpcCode.OK, ""), HttpVersion.HTTP_1_1)
                        .headers()
                        .get("content-length"));
    }

    @Test
    void followsMessageBoundariesAcrossChunks() {
        GrpcFraming f = new GrpcFraming();
        assertTrue(f.atBoundary());
        byte[] two = {0, 0, 0, 0, 3, 1, 2, 3, 1, 0, 0, 1, 0}; // a message of 3, then the prefix of one of 256
        for (int cut = 0; cut <= two.length; cut++) {
            GrpcFraming g = new GrpcFraming();
            g.advance(io.netty.buffer.Unpooled.wrappedBuffer(two, 0, cut));
            assertEquals(cut == 0 || cut == 8, g.atBoundary(), "after " + cut + " bytes");
            g.advance(io.netty.buffer.Unpooled.wrappedBuffer(two, cut, two.length - cut));
            assertFalse(g.atBoundary(), "256 bytes still to come");
            g.advance(io.netty.buffer.Unpooled.wrappedBuffer(new byte[255]));
            assertFalse(g.atBoundary());
            g.advance(io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {9, 0, 0, 0, 0, 0}));
            assertTrue(g.atBoundary(), "the 256-byte message and an empty one");
        }
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 1, 5});
        f.advance(b);
        assertEquals(0, b.readerIndex(), "nothing consumed");
        assertTrue(f.atBoundary());
    }

    private static GrpcCode code(ErrorKind kind, ErrorSource source) {
        return GrpcStatus.fromError(ProxyError.of(kind, source, null)).code();
    }
}
