package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.StreamDigest;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom protocols end to end: curl → proxy A (HTTP/1.1) → {@link FrameCodec} hop → proxy B (custom listener,
 * forced on clear text) → HTTP/1.1 origin.
 */
@ExtendWith(LeakDetection.class)
class CustomProtocolTest {

    /** Proxy B's logic: forwards to the origin and records every phase it runs. */
    static final class Recording extends ProxyFixture.ToPeer {
        final List<String> phases = new CopyOnWriteArrayList<>();
        final BlockingQueue<String> logged = new LinkedBlockingQueue<>();

        Recording(HttpPeer peer) {
            super(peer);
        }

        @Override
        public void earlyRequestFilter(Session session, Void ctx) {
            phases.add("earlyRequestFilter");
        }

        @Override
        public boolean requestFilter(Session session, Void ctx) {
            phases.add("requestFilter");
            return false;
        }

        @Override
        public HttpPeer upstreamPeer(Session session, Void ctx) {
            phases.add("upstreamPeer");
            return super.upstreamPeer(session, ctx);
        }

        @Override
        public void connectedToUpstream(Session session, boolean reused, HttpPeer peer, StreamDigest d, Void ctx) {
            phases.add("connectedToUpstream");
        }

        @Override
        public void upstreamRequestFilter(Session session, RequestHeader upstreamRequest, Void ctx) {
            phases.add("upstreamRequestFilter");
            upstreamRequest.headers().set("X-Via-Custom", "b");
        }

        @Override
        public ByteBuf requestBodyFilter(Session session, ByteBuf chunk, boolean end, Void ctx) {
            if (end) {
                phases.add("requestBodyFilter");
            }
            return chunk;
        }

        @Override
        public void upstreamResponseFilter(Session session, ResponseHeader response, Void ctx) {
            phases.add("upstreamResponseFilter");
        }

        @Override
        public void responseFilter(Session session, ResponseHeader response, Void ctx) {
            phases.add("responseFilter");
            response.headers().set("X-Phase", "responseFilter");
        }

        @Override
        public ByteBuf upstreamResponseBodyFilter(Session session, ByteBuf chunk, boolean end, Void ctx) {
            if (end) {
                phases.add("upstreamResponseBodyFilter");
            }
            return chunk;
        }

        @Override
        public ByteBuf responseBodyFilter(Session session, ByteBuf chunk, boolean end, Void ctx) {
            if (end) {
                phases.add("responseBodyFilter");
            }
            return chunk;
        }

        @Override
        public void logging(Session session, ProxyError error, Void ctx) {
            phases.add("logging");
            logged.add(session.request().method() + " " + session.request().target() + " "
                    + (error == null ? "ok" : error.kind()));
        }
    }

    /** Origin ← B (custom, forced) ← A (HTTP/1.1 listener, custom peer). */
    static final class Chain implements AutoCloseable {
        final Recording app;
        final ProxyFixture b;
        final ProxyFixture a;

        Chain(Origin origin) {
            this(origin, b -> b);
        }

        Chain(Origin origin, java.util.function.UnaryOperator<HttpProxyBuilder<Void>> configB) {
            app = new Recording(HttpPeer.of(origin.address()));
            b = new ProxyFixture(
                    app,
                    x -> configB.apply(x.customProtocol(FrameCodec.PROTOCOL).forceCustomProtocol(true)));
            HttpPeer toB = HttpPeer.builder(b.address)
                    .customProtocol(FrameCodec.PROTOCOL)
                    .build();
            a = new ProxyFixture(ProxyFixture.to(toB));
        }

        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    @Test
    void getsThroughTheCustomHopOnOneReusedConnectionWithEveryPhase() throws Exception {
        try (Origin origin = Origin.answering("hello");
                Chain c = new Chain(origin)) {
            ProxyFixture.Curl r = ProxyFixture.curl("-i", c.a.url("/a"), c.a.url("/b"), c.a.url("/c"));
            assertEquals(0, r.exit(), r.err());
            assertEquals(3, r.out().split("hello", -1).length - 1, r.out());
            assertTrue(r.out().contains("X-Phase: responseFilter"), r.out());
            assertEquals(3, origin.requests.size());
            assertEquals("b", origin.requests.get(0).header("X-Via-Custom"));
            for (int i = 0; i < 3; i++) {
                assertEquals("GET", c.app.logged.poll(10, TimeUnit.SECONDS).split(" ")[0]);
            }
            assertEquals(1, c.b.proxy.acceptStats().accepted(), "one custom connection, reused");
            assertEquals(2, c.a.proxy.upstreamStats().reused(), "the pooled custom session served /b and /c");
            assertEquals(
                    List.of(
                            "earlyRequestFilter",
                            "requestFilter",
                            "upstreamPeer",
                            "connectedToUpstream",
                            "upstreamRequestFilter",
                            "upstreamResponseFilter",
                            "responseFilter",
                            "upstreamResponseBodyFilter",
                            "responseBodyFilter",
                            "logging"),
                    c.app.phases.subList(0, 10));
        }
    }

    @Test
    void http2ClientsHeadAnd204CrossTheHop() throws Exception {
        try (Origin origin = new Origin(r -> r.target().equals("/empty")
                        ? Origin.response(204, "", "")
                        : Origin.ok("body of " + r.target()));
                Chain c = new Chain(origin)) {
            ProxyFixture.Curl h2 =
                    ProxyFixture.curl("--http2-prior-knowledge", "-w", " %{http_version}", c.a.url("/h2"));
            assertEquals("body of /h2 2", h2.out(), h2.err());
            ProxyFixture.Curl head = ProxyFixture.curl("-I", c.a.url("/head"));
            assertTrue(head.out().startsWith("HTTP/1.1 200") && head.out().contains("Content-Length: 13"), head.out());
            ProxyFixture.Curl empty =
                    ProxyFixture.curl("-s", "-w", "%{http_code}", c.a.url("/empty"), c.a.url("/after"));
            assertEquals("204body of /after200", empty.out(), empty.err());
            assertEquals(1, c.b.proxy.acceptStats().accepted(), "one custom connection for all four");
        }
    }

    @Test
    void crossesAVirtualTransportBridgedOnBothSides() throws Exception {
        try (Origin origin = Origin.answering("over a pipe");
                net.proxy.l4.PipeTransport pipe = net.proxy.l4.PipeTransport.create()) {
            java.net.SocketAddress front = net.proxy.l4.PipeTransport.address("custom-protocol-" + System.nanoTime());
            Recording app = new Recording(HttpPeer.of(origin.address()));
            try (ProxyFixture b = new ProxyFixture(
                            app,
                            x -> x.listen(pipe, front)
                                    .customProtocol(FrameCodec.PROTOCOL)
                                    .forceCustomProtocol(true));
                    ProxyFixture a = new ProxyFixture(ProxyFixture.to(HttpPeer.builder(front)
                            .transport(pipe)
                            .customProtocol(FrameCodec.PROTOCOL)
                            .build()))) {
                ProxyFixture.Curl r = ProxyFixture.curl(a.url("/1"), a.url("/2"));
                assertEquals("over a pipeover a pipe", r.out(), r.err());
                assertEquals(1, a.proxy.upstreamStats().reused(), "the bridged custom connection was pooled");
                assertEquals("GET /1 ok", app.logged.poll(10, TimeUnit.SECONDS));
                assertEquals(1, b.proxy.openConnections(), "one custom connection over the pipe");
            }
        }
    }

    @Test
    void postsLargeBodiesWithLengthAndChunked(@TempDir Path dir) throws Exception {
        byte[] data = new byte[1024 * 1024 + 4099];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + (i >> 11));
        }
        Path file = Files.write(dir.resolve("up.bin"), data);
        try (Origin origin = new Origin(CustomProtocolTest::echo);
                Chain c = new Chain(origin)) {
            Path out1 = dir.resolve("out1.bin");
            ProxyFixture.Curl r =
                    ProxyFixture.curl("--data-binary", "@" + file, "-o", out1.toString(), c.a.url("/length"));
            assertEquals(0, r.exit(), r.err());
            assertTrue(Arrays.equals(data, Files.readAllBytes(out1)), "Content-Length upload echoed intact");
            Path out2 = dir.resolve("out2.bin");
            r = ProxyFixture.curl(
                    "-H",
                    "Transfer-Encoding: chunked",
                    "--data-binary",
                    "@" + file,
                    "-o",
                    out2.toString(),
                    c.a.url("/chunked"));
            assertEquals(0, r.exit(), r.err());
            assertTrue(Arrays.equals(data, Files.readAllBytes(out2)), "chunked upload echoed intact");
            assertEquals(data.length, origin.requests.get(1).body().length);
            assertTrue(c.app.phases.contains("requestBodyFilter"), c.app.phases.toString());
        }
    }

    private static byte[] echo(Origin.Request r) {
        byte[] body = r.body();
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    @Test
    void carriesTrailersBothWays() throws Exception {
        try (Origin origin = new Origin(r -> ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                                + "2\r\nok\r\n0\r\nX-Sum: 42\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                Chain c = new Chain(origin)) {
            String response = c.a.raw(
                    "POST /t HTTP/1.1\r\nHost: x\r\nTE: trailers\r\nConnection: close\r\n"
                            + "Transfer-Encoding: chunked\r\nTrailer: X-Check\r\n\r\n"
                            + "5\r\nhello\r\n0\r\nX-Check: 5\r\n\r\n",
                    10_000);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("X-Sum: 42"), "response trailers arrived: " + response);
            assertEquals("hello", new String(origin.requests.get(0).body(), StandardCharsets.UTF_8));
            assertTrue(origin.requests.get(0).trailers().toString().contains("X-Check: 5"), origin.requests.toString());
        }
    }

    @Test
    void concurrentRequestsEachGetACustomConnection() throws Exception {
        try (Origin origin = new Origin(r -> Origin.ok(r.target()));
                Chain c = new Chain(origin)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<ProxyFixture.Curl>> runs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String path = "/p" + i;
                    runs.add(pool.submit(() -> ProxyFixture.curl(c.a.url(path), c.a.url(path + "x"))));
                }
                for (int i = 0; i < 4; i++) {
                    ProxyFixture.Curl r = runs.get(i).get(30, TimeUnit.SECONDS);
                    assertEquals(0, r.exit(), r.err());
                    assertEquals("/p" + i + "/p" + i + "x", r.out());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(8, origin.requests.size());
            long accepted = c.b.proxy.acceptStats().accepted();
            assertTrue(accepted >= 1 && accepted <= 8, "custom connections: " + accepted);
        }
    }

    @Test
    void malformedFrameIsAnswered400AndClosedWithNothingAtTheOrigin() throws Exception {
        try (Origin origin = Origin.answering("never");
                Chain c = new Chain(origin)) {
            byte[] bad = {9, 0, 0, 0, 0, 0};
            byte[] reply = rawExchange(c.b.address, bad);
            assertEquals(FrameCodec.RESPONSE_HEAD, reply[0], "a response head frame");
            assertTrue(new String(reply, StandardCharsets.ISO_8859_1).contains("400"), Arrays.toString(reply));
            // a body piece before any request head: refused the same way
            byte[] orphan = {FrameCodec.DATA, 0, 0, 0, 0, 2, 'h', 'i'};
            assertEquals(FrameCodec.RESPONSE_HEAD, rawExchange(c.b.address, orphan)[0]);
            assertEquals(0, origin.requests.size(), "nothing reached the origin");
            assertEquals(0, origin.connections.get());
        }
    }

    @Test
    void malformedFrameInsideARequestFailsItWith400AndCloses() throws Exception {
        try (Origin origin = Origin.answering("unused");
                Chain c = new Chain(origin)) {
            RequestHeader head = RequestHeader.of("POST", "/upload");
            head.headers().add("Host", "x");
            ByteBuf start =
                    new FrameCodec().encodeRequestHead(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, head, false);
            byte[] bytes = new byte[start.readableBytes() + 6];
            start.readBytes(bytes, 0, start.readableBytes());
            start.release();
            bytes[bytes.length - 6] = 7; // an unknown frame type after the head
            byte[] reply = rawExchange(c.b.address, bytes);
            assertEquals(FrameCodec.RESPONSE_HEAD, reply[0], Arrays.toString(reply));
            assertTrue(new String(reply, StandardCharsets.ISO_8859_1).contains("400"));
            assertTrue(c.app.logged.poll(10, TimeUnit.SECONDS).startsWith("POST /upload"));
        }
    }

    @Test
    void malformedResponseFromACustomOriginIs502() throws Exception {
        try (java.net.ServerSocket fake = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = fake.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    s.getOutputStream().write(new byte[] {FrameCodec.DATA, 0, 0, 0, 0, 1, 'x'}); // body before head
                    s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    // the proxy closed
                }
            });
            t.start();
            HttpPeer peer = HttpPeer.builder((InetSocketAddress) fake.getLocalSocketAddress())
                    .customProtocol(FrameCodec.PROTOCOL)
                    .build();
            try (ProxyFixture a = new ProxyFixture(ProxyFixture.to(peer))) {
                ProxyFixture.Curl r = ProxyFixture.curl("-o", "/dev/null", "-w", "%{http_code}", a.url("/"));
                assertEquals("502", r.out(), r.err());
            }
            t.join(10_000);
        }
    }

    @Test
    void gracefulShutdownClosesIdleCustomConnections() throws Exception {
        try (Origin origin = Origin.answering("hello");
                Chain c = new Chain(origin)) {
            assertEquals("hello", ProxyFixture.curl(c.a.url("/")).out());
            assertEquals(1, c.b.proxy.openConnections());
            c.b.proxy.beginShutdown().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(0, c.b.proxy.openConnections());
        }
    }

    /** Sends {@code bytes} and reads until the peer closes (the test fails if it does not within 10 s). */
    static byte[] rawExchange(InetSocketAddress to, byte[] bytes) throws Exception {
        try (Socket s = new Socket(to.getAddress(), to.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    @Test
    void headerAndKeepAliveTimeoutsCloseCustomConnectionsOnTheTicker() throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (Origin origin = Origin.answering("hello");
                Chain c = new Chain(
                        origin,
                        b -> b.ticker(ticker)
                                .headerTimeout(Duration.ofSeconds(5))
                                .keepAliveTimeout(Duration.ofSeconds(7)))) {
            // a partial frame, then silence: the header timeout closes the connection
            try (Socket s = new Socket(c.b.address.getAddress(), c.b.address.getPort())) {
                s.getOutputStream().write(new byte[] {FrameCodec.REQUEST_HEAD, 1, 0});
                assertEquals(-1, closedAfter(ticker, s), "closed by the header timeout");
            }
            // a whole request answered, then idle: the keep-alive timeout closes it
            try (Socket s = new Socket(c.b.address.getAddress(), c.b.address.getPort())) {
                FrameCodec codec = new FrameCodec();
                RequestHeader head = RequestHeader.of("GET", "/k");
                head.headers().add("Host", "x");
                ByteBuf req = codec.encodeRequestHead(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, head, true);
                byte[] bytes = new byte[req.readableBytes()];
                req.readBytes(bytes);
                req.release();
                s.getOutputStream().write(bytes);
                assertEquals(-1, closedAfter(ticker, s), "closed by the keep-alive timeout");
            }
            assertEquals(1, origin.requests.size());
        }
    }

    @Test
    void totalTimeoutOfACustomRequestIsAnsweredThroughTheCodec() throws Exception {
        ManualTicker ticker = new ManualTicker();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (Origin origin = new Origin(Origin.hanging(release, "late"));
                Chain c = new Chain(origin, b -> b.ticker(ticker).totalTimeout(Duration.ofSeconds(10)))) {
            try (Socket s = new Socket(c.b.address.getAddress(), c.b.address.getPort())) {
                RequestHeader head = RequestHeader.of("GET", "/slow");
                head.headers().add("Host", "x");
                ByteBuf req = new FrameCodec()
                        .encodeRequestHead(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, head, true);
                byte[] bytes = new byte[req.readableBytes()];
                req.readBytes(bytes);
                req.release();
                s.getOutputStream().write(bytes);
                BlockingQueue<String> heads = new LinkedBlockingQueue<>();
                Thread reader = new Thread(() -> {
                    try {
                        java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
                        int type = in.readUnsignedByte();
                        in.readUnsignedByte();
                        byte[] payload = new byte[in.readInt()];
                        in.readFully(payload);
                        heads.add(type + " " + new String(payload, StandardCharsets.UTF_8));
                    } catch (java.io.IOException e) {
                        heads.add("closed: " + e);
                    }
                });
                reader.start();
                String first = ticker.advanceUntil(heads, Duration.ofSeconds(1));
                assertTrue(first.startsWith(FrameCodec.RESPONSE_HEAD + " 504"), first);
                reader.join(5_000);
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void readTimeoutOfACustomUpstreamIs504() throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (java.net.ServerSocket silent =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream()); // never answers
                } catch (java.io.IOException e) {
                    // the proxy closed
                }
            });
            t.start();
            HttpPeer peer = HttpPeer.builder((InetSocketAddress) silent.getLocalSocketAddress())
                    .customProtocol(FrameCodec.PROTOCOL)
                    .readTimeout(Duration.ofSeconds(5))
                    .build();
            try (ProxyFixture a = new ProxyFixture(ProxyFixture.to(peer), b -> b.ticker(ticker))) {
                BlockingQueue<ProxyFixture.Curl> done = new LinkedBlockingQueue<>();
                Thread curl = new Thread(() -> {
                    try {
                        done.add(ProxyFixture.curl("-o", "/dev/null", "-w", "%{http_code}", a.url("/")));
                    } catch (Exception e) {
                        done.add(new ProxyFixture.Curl(-1, "", e.toString()));
                    }
                });
                curl.start();
                ProxyFixture.Curl r = ticker.advanceUntil(done, Duration.ofSeconds(1));
                assertEquals("504", r.out(), r.err());
            }
            t.join(10_000);
        }
    }

    /** Reads {@code s} to its end on another thread while the clock moves; returns the last read (-1 at the end). */
    private static int closedAfter(ManualTicker ticker, Socket s) throws Exception {
        BlockingQueue<Integer> done = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) {
                    // a response, then the close
                }
                done.add(n);
            } catch (java.io.IOException e) {
                done.add(-2);
            }
        });
        reader.start();
        int r = ticker.advanceUntil(done, Duration.ofSeconds(1));
        reader.join(5_000);
        return r;
    }
}
