package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.proxy.http.HttpHeaders;
import net.proxy.http.ResponseHeader;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ProxyHttp#responseTrailersAsBody}: the end of a response turned into its last body bytes. */
@ExtendWith(LeakDetection.class)
class TrailersAsBodyTest {

    /** Writes the upstream trailers as a body line {@code [name=value;...]} and drops the Content-Length. */
    static final class TrailersInBody extends ProxyFixture.ToPeer {
        final List<String> trailerPhases = new ArrayList<>();

        TrailersInBody(HttpPeer peer) {
            super(peer);
        }

        @Override
        public void responseFilter(Session session, ResponseHeader response, Void ctx) {
            response.headers().remove("Content-Length");
        }

        @Override
        public ByteBuf responseTrailersAsBody(Session session, HttpHeaders trailers, Void ctx) {
            StringBuilder sb = new StringBuilder("[");
            trailers.forEach((n, v) -> sb.append(n).append('=').append(v).append(';'));
            return Unpooled.copiedBuffer(sb.append(']').toString(), StandardCharsets.US_ASCII);
        }

        @Override
        public void responseTrailerFilter(Session session, HttpHeaders trailers, Void ctx) {
            trailerPhases.add(trailers.toString());
        }
    }

    @Test
    void chunkedTrailersBecomeTheLastChunkAndAreNotSentAsTrailers() throws Exception {
        try (Origin origin =
                new Origin(r -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1))) {
            TrailersInBody app = new TrailersInBody(HttpPeer.of(origin.address()));
            try (ProxyFixture f = new ProxyFixture(app)) {
                String resp = f.raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                assertTrue(resp.contains("Transfer-Encoding: chunked"), resp);
                assertTrue(resp.endsWith("5\r\nhello\r\n8\r\n[X-T=1;]\r\n0\r\n\r\n"), resp);
                assertEquals(List.of(), app.trailerPhases, "the trailer phases do not run");
            }
        }
    }

    @Test
    void anEmptyBodyWhoseLengthAFilterRemovedGetsTheBytesToo() throws Exception {
        try (Origin origin =
                new Origin(r -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))) {
            TrailersInBody app = new TrailersInBody(HttpPeer.of(origin.address()));
            try (ProxyFixture f = new ProxyFixture(app)) {
                String resp = f.raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                assertTrue(resp.contains("Transfer-Encoding: chunked"), resp);
                assertFalse(resp.contains("Content-Length"), resp);
                assertTrue(resp.endsWith("\r\n\r\n2\r\n[]\r\n0\r\n\r\n"), resp);
                // HTTP/1.0 cannot take chunks: close-delimited
                String old = f.raw("GET / HTTP/1.0\r\nHost: x\r\n\r\n", 5000);
                assertTrue(old.endsWith("\r\n\r\n[]"), old);
            }
        }
    }

    @Test
    void withoutTheHookNothingChanges() throws Exception {
        try (Origin origin = new Origin(
                        r -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            String resp = f.raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
            assertTrue(resp.contains("Content-Length: 0\r\n"), resp);
            assertFalse(resp.contains("chunked"), resp);
        }
    }
}
