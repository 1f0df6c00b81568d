package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 on both sides: nghttp, curl and h2load clients through the proxy to an in-process HTTP/2 origin. Bodies
 * both ways, trailers both ways, an interim response, a client's reset reaching the origin as
 * {@code RST_STREAM(CANCEL)}, and an origin's reset reaching the client as a reset of that stream only.
 */
@ExtendWith(LeakDetection.class)
class Http2EndToEndTest {

    private static HttpPeer h2(H2Origin origin) {
        return HttpPeer.builder(origin.address()).protocol(UpstreamProtocol.H2).build();
    }

    @Test
    void bodiesAndTrailersBothWays(@TempDir Path dir) throws Exception {
        Peers.require("nghttp");
        byte[] data = new byte[1024 * 1024 + 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Path file = Files.write(dir.resolve("up.bin"), data);
        try (H2Origin origin = new H2Origin(c -> {
                    DefaultHttp2Headers trailers = new DefaultHttp2Headers();
                    trailers.add("x-origin-sum", Integer.toString(c.request.body().length));
                    c.informational(103);
                    c.respond(200, c.request.body(), false, trailers);
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin)))) {
            String out = run("nghttp", "-v", "-d", file.toString(), "--trailer", "x-client-sum: 42", f.url("/echo"));
            H2Origin.Request seen = origin.requests.poll(10, TimeUnit.SECONDS);
            assertArrayEquals(data, seen.body(), "the request body reached the origin intact");
            assertEquals("42", String.valueOf(seen.trailers().get("x-client-sum")), "request trailers as HEADERS");
            assertTrue(out.contains(":status: 103"), "the interim response passed: " + out);
            assertTrue(out.contains("x-origin-sum: " + data.length), "response trailers passed: " + out);
            assertTrue(out.contains("recv DATA frame") && out.contains(":status: 200"), out);

            // the whole response body, checked byte for byte with curl
            Path got = dir.resolve("got.bin");
            ProxyFixture.Curl c = ProxyFixture.curl(
                    "--http2-prior-knowledge", "--data-binary", "@" + file, "-o", got.toString(), f.url("/echo"));
            assertEquals(0, c.exit(), c.err());
            assertArrayEquals(data, Files.readAllBytes(got));
        }
    }

    @Test
    void manyClientStreamsShareFewUpstreamConnections() throws Exception {
        Peers.require("h2load");
        try (H2Origin origin = new H2Origin(c -> c.ok("s" + c.request.path()));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin)))) {
            String out = run("h2load", "-n", "3000", "-c", "4", "-m", "20", f.url("/x"));
            assertTrue(out.contains("3000 succeeded, 0 failed") && out.contains("3000 2xx"), out);
            assertTrue(
                    origin.connections.get() <= 2,
                    "80 concurrent client streams went over " + origin.connections.get() + " upstream connections");
            UpstreamStats stats = f.proxy.upstreamStats();
            assertEquals(3000, stats.h2Streams());
            assertTrue(stats.streamsPerH2Connection() >= 1500, stats.toString());
        }
    }

    @Test
    void anOriginResetReachesTheClientAsAResetOfThatStreamOnly() throws Exception {
        Peers.require("nghttp");
        try (H2Origin origin = new H2Origin(c -> {
                    if (c.request.path().equals("/reset")) {
                        c.head(new DefaultHttp2Headers().status("200"), false);
                        c.data("part".getBytes(StandardCharsets.US_ASCII), false);
                        c.reset(Http2Error.INTERNAL_ERROR);
                    } else {
                        c.ok("fine");
                    }
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin)))) {
            String out = run("nghttp", "-v", f.url("/reset"), f.url("/ok"));
            assertTrue(out.contains("recv RST_STREAM frame <length=4, flags=0x00, stream_id=13>"), out);
            assertTrue(out.contains("fine"), "the other stream completed: " + out);
        }
    }

    @Test
    void aClientResetCancelsTheUpstreamStream() throws Exception {
        Peers.require("nghttp");
        try (H2Origin origin = new H2Origin(c -> {
                    // answers the head and then nothing: the client gives up and resets
                    c.head(new DefaultHttp2Headers().status("200"), false);
                    c.data("start".getBytes(StandardCharsets.US_ASCII), false);
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin)))) {
            // nghttp resets the stream when its timeout passes (-t), then exits
            run("nghttp", "-t", "1", f.url("/slow"));
            Long code = origin.resets.poll(10, TimeUnit.SECONDS);
            assertEquals(Http2Error.CANCEL.code(), code, "the origin's stream was cancelled");
            // the upstream connection still serves
            origin.handler = c -> c.ok("again");
            ProxyFixture.Curl c = ProxyFixture.curl("--http2-prior-knowledge", f.url("/next"));
            assertEquals("again", c.out(), c.err());
            assertEquals(1, origin.connections.get(), "the same upstream connection carried the next request");
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish: " + out);
        }
        return out;
    }
}
