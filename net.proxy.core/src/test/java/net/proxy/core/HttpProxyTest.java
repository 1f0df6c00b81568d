package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The engine's HTTP/1.1 behaviour end to end: curl and raw sockets in front, in-process origins behind. */
@ExtendWith(LeakDetection.class)
class HttpProxyTest {

    @Test
    void proxiesGetAndReusesUpstreamConnection() throws Exception {
        try (Origin origin = Origin.answering("hello");
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            ProxyFixture.Curl c = ProxyFixture.curl("-w", "%{num_connects}", f.url("/a"), f.url("/b"), f.url("/c"));
            assertEquals(0, c.exit(), c.err());
            assertEquals("hello1hello0hello0", c.out(), "one downstream connection, kept alive");
            assertEquals(3, origin.requests.size());
            assertEquals("/b", origin.requests.get(1).target());
            assertEquals(1, origin.connections.get(), "one pooled upstream connection");
            assertTrue(f.proxy.reuseRatio() > 0.6, "reuse ratio " + f.proxy.reuseRatio());
        }
    }

    @Test
    void streamsLargeUploadAndDownloadBothFramings(@TempDir Path dir) throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >> 9));
        }
        Path file = Files.write(dir.resolve("up.bin"), data);
        try (Origin origin = new Origin(r -> {
                    byte[] body = r.body();
                    byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1);
                    byte[] all = Arrays.copyOf(head, head.length + body.length);
                    System.arraycopy(body, 0, all, head.length, body.length);
                    return all;
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            Path out1 = dir.resolve("out1.bin");
            ProxyFixture.Curl c = ProxyFixture.curl("--data-binary", "@" + file, "-o", out1.toString(), f.url("/echo"));
            assertEquals(0, c.exit(), c.err());
            assertTrue(Arrays.equals(data, Files.readAllBytes(out1)), "Content-Length upload echoed intact");
            Path out2 = dir.resolve("out2.bin");
            c = ProxyFixture.curl(
                    "-H",
                    "Transfer-Encoding: chunked",
                    "--data-binary",
                    "@" + file,
                    "-o",
                    out2.toString(),
                    f.url("/echo"));
            assertEquals(0, c.exit(), c.err());
            assertTrue(Arrays.equals(data, Files.readAllBytes(out2)), "chunked upload echoed intact");
            assertEquals("chunked", origin.requests.get(1).header("Transfer-Encoding"));
        }
    }

    @Test
    void chunkedRequestTrailersAreForwarded() throws Exception {
        try (Origin origin = Origin.answering("ok");
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            String resp = f.raw(
                    "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                            + "3\r\nabc\r\n0\r\nX-Checksum: 900150983cd24fb0\r\n\r\n",
                    5000);
            assertTrue(resp.endsWith("ok"), resp);
            assertEquals("abc", new String(origin.requests.get(0).body(), StandardCharsets.US_ASCII));
            assertEquals(
                    List.of("X-Checksum: 900150983cd24fb0"),
                    origin.requests.get(0).trailers());
        }
    }

    @Test
    void chunkedAndCloseDelimitedResponsesReachTheClientChunked() throws Exception {
        try (Origin origin = new Origin(r -> r.target().equals("/chunked")
                        ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1)
                        : null);
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            String resp = f.raw("GET /chunked HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
            assertTrue(resp.startsWith("HTTP/1.1 200 OK\r\n"), resp);
            assertTrue(resp.contains("Transfer-Encoding: chunked"), resp);
            assertTrue(resp.endsWith("5\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n"), resp);
        }
        try (Origin origin = new Origin(r -> "HTTP/1.1 200 OK\r\n\r\nuntil close".getBytes(StandardCharsets.US_ASCII));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            String resp = f.raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
            assertTrue(resp.contains("Transfer-Encoding: chunked"), resp);
            assertTrue(resp.endsWith("b\r\nuntil close\r\n0\r\n\r\n"), resp);
        }
    }

    @Test
    void headNoContentAndNotModifiedHaveNoBodyAndKeepTheConnection() throws Exception {
        try (Origin origin = new Origin(r -> switch (r.target()) {
                    case "/204" -> "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                    case "/304" ->
                        "HTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                    default -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            String resp = f.raw(
                    "HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /204 HTTP/1.1\r\nHost: x\r\n\r\n"
                            + "GET /304 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    5000);
            String[] parts = resp.split("HTTP/1.1 ");
            assertEquals(4, parts.length, resp);
            assertTrue(
                    parts[1].startsWith("200 OK\r\n")
                            && parts[1].contains("Content-Length: 5")
                            && parts[1].endsWith("\r\n\r\n"),
                    parts[1]);
            assertTrue(parts[2].startsWith("204"), parts[2]);
            assertTrue(parts[3].startsWith("304") && parts[3].contains("Connection: close"), parts[3]);
            assertFalse(resp.contains("<timeout>"), "the proxy closed after Connection: close");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Origin origin = new Origin(r -> Origin.ok("r" + r.target()));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            StringBuilder req = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                req.append("GET /")
                        .append(i)
                        .append(" HTTP/1.1\r\nHost: x\r\n")
                        .append(i == 9 ? "Connection: close\r\n" : "")
                        .append("\r\n");
            }
            String resp = f.raw(req.toString(), 5000);
            int from = 0;
            for (int i = 0; i < 10; i++) {
                int at = resp.indexOf("r/" + i, from);
                assertTrue(at > from, "response " + i + " in order: " + resp);
                from = at;
            }
        }
    }

    @Test
    void hopByHopHeadersAreRemovedBothWays() throws Exception {
        try (Origin origin = new Origin(r -> Origin.response(
                        200, "x", "Connection: X-Secret\r\nX-Secret: s\r\nKeep-Alive: timeout=5\r\nX-Kept: k\r\n"));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            String resp = f.raw(
                    "GET / HTTP/1.1\r\nHost: x\r\nConnection: close, X-Private\r\nX-Private: p\r\n"
                            + "TE: trailers\r\nX-Public: q\r\n\r\n",
                    5000);
            Origin.Request seen = origin.requests.get(0);
            assertNull(seen.header("X-Private"));
            assertNull(seen.header("TE"));
            assertNull(seen.header("Connection"));
            assertEquals("q", seen.header("X-Public"));
            assertFalse(resp.contains("X-Secret"), resp);
            assertFalse(resp.contains("Keep-Alive"), resp);
            assertTrue(resp.contains("X-Kept: k"), resp);
        }
    }

    @Test
    void expectContinueIsRelayed() throws Exception {
        try (Origin origin = new Origin(r -> Origin.ok("got " + r.body().length));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            ProxyFixture.Curl c = ProxyFixture.curl(
                    "-v",
                    "-H",
                    "Expect: 100-continue",
                    "--expect100-timeout",
                    "15",
                    "--data-binary",
                    "0123456789",
                    f.url("/up"));
            assertEquals(0, c.exit(), c.err());
            assertEquals("got 10", c.out());
            assertTrue(c.err().contains("HTTP/1.1 100 Continue"), c.err());
        }
    }

    @Test
    void http10ClientGetsKeepAliveOnlyWhenAsked() throws Exception {
        try (Origin origin = Origin.answering("ten");
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            String resp = f.raw("GET / HTTP/1.0\r\n\r\n", 5000);
            assertTrue(
                    resp.startsWith("HTTP/1.1 200") && resp.contains("Connection: close") && resp.endsWith("ten"),
                    resp);
        }
    }
}
