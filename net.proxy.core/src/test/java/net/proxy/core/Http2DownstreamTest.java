package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.TlsServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 clients (curl, nghttp, h2load) through the proxy to HTTP/1.1 origins: h2c by prior knowledge on the same
 * clear-text port as HTTP/1.1, h2 by ALPN on TLS, bodies both ways with and without a length, trailers both ways,
 * interim responses, responses without bodies, and an origin that breaks off mid-body.
 */
@ExtendWith(LeakDetection.class)
class Http2DownstreamTest {

    private static byte[] pattern(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * 31 + (i >> 9));
        }
        return data;
    }

    /** An origin response echoing the request body with a Content-Length. */
    private static byte[] echo(Origin.Request r) {
        byte[] body = r.body();
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nX-Seen-TE: "
                        + r.header("Transfer-Encoding") + "\r\nX-Seen-CL: " + r.header("Content-Length") + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    @Test
    void priorKnowledgeAndHttp11ShareTheClearTextPort() throws Exception {
        Peers.require("curl");
        try (Origin origin = new Origin(r -> Origin.ok("hi " + r.header("Host") + " " + r.target()));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            ProxyFixture.Curl h2 =
                    ProxyFixture.curl("--http2-prior-knowledge", "-w", " %{http_version}", f.url("/a?b=1"));
            assertEquals(0, h2.exit(), h2.err());
            assertEquals("hi 127.0.0.1:" + f.address.getPort() + " /a?b=1 2", h2.out());
            ProxyFixture.Curl h1 = ProxyFixture.curl("--http1.1", "-w", " %{http_version}", f.url("/c"));
            assertEquals("hi 127.0.0.1:" + f.address.getPort() + " /c 1.1", h1.out());
            // an HTTP/1.1 "Upgrade: h2c" request is served as plain HTTP/1.1 (RFC 9113 deprecates the upgrade)
            ProxyFixture.Curl up = ProxyFixture.curl("--http2", "-w", " %{http_version}", f.url("/d"));
            assertEquals("hi 127.0.0.1:" + f.address.getPort() + " /d 1.1", up.out());
            assertNull(origin.requests.get(2).header("Upgrade"), "Upgrade is hop-by-hop");
        }
    }

    @Test
    void tlsOffersH2AndHttp11ByAlpn(@TempDir Path dir) throws Exception {
        Peers.require("curl");
        Peers.require("openssl");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TlsProxyTest.selfSigned("/CN=localhost", "DNS:localhost,IP:127.0.0.1", key, cert);
        TlsServerSettings tls = TlsServerSettings.builder()
                .certificate(CertificateKey.fromPem(cert, key))
                .build();
        try (Origin origin = Origin.answering("over tls");
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())), b -> b.tls(tls))) {
            String url = "https://127.0.0.1:" + f.address.getPort() + "/";
            ProxyFixture.Curl h2 = ProxyFixture.curl("-k", "--http2", "-w", " %{http_version}", url);
            assertEquals("over tls 2", h2.out(), h2.err());
            ProxyFixture.Curl h1 = ProxyFixture.curl("-k", "--http1.1", "-w", " %{http_version}", url);
            assertEquals("over tls 1.1", h1.out(), h1.err());
        }
        TlsServerSettings h1Only = TlsServerSettings.builder()
                .certificate(CertificateKey.fromPem(cert, key))
                .build();
        try (Origin origin = Origin.answering("h1 only");
                ProxyFixture f = new ProxyFixture(
                        ProxyFixture.to(HttpPeer.of(origin.address())),
                        b -> b.tls(h1Only)
                                .http2(Http2Options.builder().enabled(false).build()))) {
            String url = "https://127.0.0.1:" + f.address.getPort() + "/";
            ProxyFixture.Curl c = ProxyFixture.curl("-k", "--http2", "-w", " %{http_version}", url);
            assertEquals("h1 only 1.1", c.out(), "HTTP/2 off: ALPN does not offer h2");
        }
    }

    @Test
    void bodiesBothWaysWithAndWithoutLength(@TempDir Path dir) throws Exception {
        Peers.require("curl");
        byte[] data = pattern(3 * 1024 * 1024 + 17);
        Path file = Files.write(dir.resolve("up.bin"), data);
        try (Origin origin = new Origin(Http2DownstreamTest::echo);
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            Path out = dir.resolve("out.bin");
            ProxyFixture.Curl c = ProxyFixture.curl(
                    "--http2-prior-knowledge", "--data-binary", "@" + file, "-o", out.toString(), f.url("/echo"));
            assertEquals(0, c.exit(), c.err());
            assertArrayEquals(data, Files.readAllBytes(out), "a sized upload and download pass intact");
            assertEquals(String.valueOf(data.length), origin.requests.get(0).header("Content-Length"));
            assertNull(origin.requests.get(0).header("Transfer-Encoding"));

            // from a pipe curl knows no length: the h2 request has no content-length and goes upstream chunked
            Path out2 = dir.resolve("out2.bin");
            Process p = new ProcessBuilder(
                            "curl",
                            "-sS",
                            "--max-time",
                            "20",
                            "--http2-prior-knowledge",
                            "-T",
                            "-",
                            "-o",
                            out2.toString(),
                            f.url("/piped"))
                    .redirectInput(file.toFile())
                    .redirectErrorStream(true)
                    .start();
            String err = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), err);
            assertArrayEquals(data, Files.readAllBytes(out2), "an upload of unknown length passes intact");
            assertEquals("chunked", origin.requests.get(1).header("Transfer-Encoding"));
        }
    }

    @Test
    void trailersBothWaysAndInterimResponses(@TempDir Path dir) throws Exception {
        Peers.require("nghttp");
        Path file = Files.write(dir.resolve("up.txt"), "hello".getBytes(StandardCharsets.US_ASCII));
        try (Origin origin = new Origin(r -> r.target().equals("/chunked")
                        ? ("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
                                        + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                        + "5\r\nhello\r\n0\r\nX-Checksum: 5d41402a\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1)
                        : Origin.ok("got " + r.body().length));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            String down = run("nghttp", "-v", f.url("/chunked"));
            assertTrue(down.contains(":status: 103") && down.contains("link: </s.css>; rel=preload"), down);
            assertTrue(down.contains(":status: 200"), down);
            assertTrue(
                    down.contains("x-checksum: 5d41402a"), "the origin's chunked trailers arrive as HEADERS: " + down);
            assertTrue(down.contains("hello"), down);

            String up = run("nghttp", "-v", "-d", file.toString(), "--trailer", "x-sum: 42", f.url("/up"));
            assertTrue(up.contains("got 5"), up);
            Origin.Request seen = origin.requests.get(1);
            assertEquals("hello", new String(seen.body(), StandardCharsets.US_ASCII));
            assertEquals(
                    List.of("x-sum: 42"), seen.trailers(), "request trailers go upstream in the last chunk: " + seen);
            assertEquals("chunked", seen.header("Transfer-Encoding"), "trailers need chunked framing upstream");
        }
    }

    @Test
    void headNoContentAndNotModifiedEndInTheHeaders() throws Exception {
        Peers.require("nghttp");
        try (Origin origin = new Origin(r -> switch (r.target()) {
                    case "/204" -> "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                    case "/304" ->
                        "HTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                    default -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            for (String[] c : new String[][] {{"/204", "-m", "1"}, {"/304", "-m", "1"}}) {
                String out = run("nghttp", "-v", f.url(c[0]));
                assertTrue(out.contains("flags=0x05"), "HEADERS with END_STREAM for " + c[0] + ": " + out);
                assertTrue(!out.contains("recv DATA"), out);
            }
            String head = run("nghttp", "-v", "-H", ":method: HEAD", f.url("/h"));
            assertTrue(head.contains("content-length: 5") && head.contains("flags=0x05"), head);
            assertTrue(!head.contains("recv DATA"), head);
        }
    }

    @Test
    void originBreakingOffMidBodyResetsOnlyThatStream() throws Exception {
        Peers.require("curl");
        Peers.require("nghttp");
        // lower-case "content-length": the test origin then closes after writing, 91 bytes short
        try (Origin origin = new Origin(r -> r.target().equals("/broken")
                        ? "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part".getBytes(StandardCharsets.US_ASCII)
                        : Origin.ok("fine"));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            ProxyFixture.Curl c = ProxyFixture.curl("--http2-prior-knowledge", f.url("/broken"));
            assertNotEquals(0, c.exit(), "the client sees the stream reset, not a short body as complete");
            assertTrue(c.err().contains("INTERNAL_ERROR"), c.err());
            // one connection, two streams: the second is unaffected by the first's reset
            String two = run("nghttp", "-v", f.url("/broken"), f.url("/ok"));
            assertTrue(two.contains("recv RST_STREAM frame <length=4, flags=0x00, stream_id=13>"), two);
            assertTrue(two.contains("fine"), two);
        }
    }

    @Test
    void keepAliveFalseInAPhaseSendsGoAwayAndTheStreamStillCompletes() throws Exception {
        Peers.require("nghttp");
        try (Origin origin = Origin.answering("bye");
                ProxyFixture f = new ProxyFixture(new ProxyFixture.ToPeer(HttpPeer.of(origin.address())) {
                    @Override
                    public void responseFilter(Session session, net.proxy.http.ResponseHeader upstream, Void ctx) {
                        session.keepAlive(false);
                    }
                })) {
            String out = run("nghttp", "-v", f.url("/bye"));
            assertTrue(out.contains("recv GOAWAY frame") && out.contains("error_code=NO_ERROR"), out);
            assertTrue(out.contains("bye"), "the stream in flight completes: " + out);
            ProxyFixture.eventually(() -> f.proxy.openConnections() == 0, "the connection closes after its stream");
        }
    }

    @Test
    void theLastRequestAConnectionMayCarrySendsGoAway() throws Exception {
        Peers.require("nghttp");
        try (Origin origin = new Origin(r -> Origin.ok("r" + r.target()));
                ProxyFixture f = new ProxyFixture(
                        ProxyFixture.to(HttpPeer.of(origin.address())), b -> b.maxRequestsPerConnection(3))) {
            String out = run("nghttp", "-v", f.url("/1"), f.url("/2"), f.url("/3"));
            assertTrue(out.contains("r/1") && out.contains("r/2") && out.contains("r/3"), out);
            assertTrue(out.contains("recv GOAWAY frame") && out.contains("error_code=NO_ERROR"), out);
            ProxyFixture.eventually(() -> f.proxy.openConnections() == 0, "the connection closes after its streams");
        }
    }

    @Test
    void manyConcurrentStreamsOnFewConnections() throws Exception {
        Peers.require("h2load");
        try (Origin origin = new Origin(r -> Origin.ok("r" + r.target()));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            String out = run("h2load", "-n", "2000", "-c", "2", "-m", "20", f.url("/x"));
            assertTrue(out.contains("2000 succeeded, 0 failed"), out);
            assertTrue(out.contains("status codes: 2000 2xx"), out);
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(cmd));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish: " + out);
        }
        return out;
    }
}
