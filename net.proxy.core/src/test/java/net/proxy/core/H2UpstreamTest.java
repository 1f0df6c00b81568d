package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP/1.1 clients through the proxy to HTTP/2 origins in cleartext (prior knowledge): bodies and trailers,
 * multiplexing and stream limits, GOAWAY and REFUSED_STREAM retries, resets, cancellation, timeouts on a
 * {@link ManualTicker}, and flow control under a slow client. The origin is {@link H2Origin}.
 */
@ExtendWith(LeakDetection.class)
class H2UpstreamTest {
    private final ManualTicker ticker = new ManualTicker();

    static HttpPeer h2(InetSocketAddress address) {
        return HttpPeer.builder(address).protocol(UpstreamProtocol.H2).build();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends a raw request on a new connection, reads until the proxy closes it. */
    static String exchange(ProxyFixture f, String request) throws IOException {
        return f.raw(request, 10_000);
    }

    static CompletableFuture<String> async(ProxyFixture f, String request) {
        CompletableFuture<String> r = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        r.complete(exchange(f, request));
                    } catch (Exception e) {
                        r.completeExceptionally(e);
                    }
                },
                "client");
        t.setDaemon(true);
        t.start();
        return r;
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: origin.test\r\nConnection: close\r\n\r\n";
    }

    static String post(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: origin.test\r\nConnection: close\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    static String bodyOf(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void carriesBodiesBothWaysAndTrailersOverH2c() throws Exception {
        try (H2Origin origin = new H2Origin(c -> {
                    Http2Headers trailers = new DefaultHttp2Headers().add("x-origin-trailer", "done");
                    if (c.request.trailers() != null) {
                        trailers.add(
                                "x-seen", c.request.trailers().get("x-client").toString());
                    }
                    c.respond(200, ("echo:" + c.request.text()).getBytes(StandardCharsets.UTF_8), false, trailers);
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            String chunked = exchange(
                    f,
                    "POST /echo HTTP/1.1\r\nHost: origin.test\r\nConnection: close\r\nTE: trailers\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-Client: yes\r\n\r\n");
            assertTrue(chunked.startsWith("HTTP/1.1 200"), chunked);
            assertTrue(chunked.contains("Transfer-Encoding: chunked"), chunked);
            assertTrue(chunked.contains("echo:hello world"), chunked);
            assertTrue(chunked.contains("x-origin-trailer: done") && chunked.contains("x-seen: yes"), chunked);
            H2Origin.Request r = origin.requests.poll(5, TimeUnit.SECONDS);
            assertEquals("POST", r.method());
            assertEquals("/echo", r.path());
            assertEquals("origin.test", r.headers().authority().toString());
            assertEquals("http", r.headers().scheme().toString());
            assertEquals("trailers", String.valueOf(r.headers().get("te")));
            assertEquals("yes", String.valueOf(r.trailers().get("x-client")));

            String sized = exchange(f, post("/echo", "0123456789"));
            assertTrue(sized.startsWith("HTTP/1.1 200"), sized);
            assertTrue(sized.endsWith("x-origin-trailer: done\r\n\r\n"), sized);
            assertEquals("0123456789", origin.requests.poll(5, TimeUnit.SECONDS).text());
            assertEquals(1, origin.connections.get(), "both requests on one HTTP/2 connection");
            assertTrue(f.proxy.reuseRatio() >= 0.5, "the second request reused the connection");
        }
    }

    @Test
    void interimResponsesAndBodylessAnswersKeepHttp1Framing() throws Exception {
        try (H2Origin origin = new H2Origin(c -> {
                    switch (c.request.path()) {
                        case "/hints" -> {
                            c.informational(103);
                            c.ok("hinted");
                        }
                        case "/empty" -> c.head(new DefaultHttp2Headers().status("200"), true);
                        default -> c.head(new DefaultHttp2Headers().status("204"), true);
                    }
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            String hints = exchange(f, get("/hints"));
            assertTrue(hints.startsWith("HTTP/1.1 103"), hints);
            assertTrue(hints.contains("HTTP/1.1 200") && hints.endsWith("hinted"), hints);
            String empty = exchange(f, get("/empty"));
            assertTrue(empty.startsWith("HTTP/1.1 200") && empty.contains("Content-Length: 0"), empty);
            String none = exchange(f, get("/none"));
            assertTrue(none.startsWith("HTTP/1.1 204") && !none.contains("Content-Length"), none);
        }
    }

    @Test
    void aContentLengthTheDataDoesNotMatchIsAnUpstreamError() throws Exception {
        try (H2Origin origin = new H2Origin(c -> {
                    Http2Headers head = new DefaultHttp2Headers().status("200");
                    head.setInt("content-length", 10);
                    if (c.request.method().equals("HEAD")) {
                        c.head(head, true); // a HEAD response keeps its length and has no body
                        return;
                    }
                    c.head(head, false);
                    c.data(ascii("short"), true);
                });
                ProxyFixture f = new ProxyFixture(new TimeoutTest.Logged(h2(origin.address())))) {
            String head = exchange(f, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(
                    head.startsWith("HTTP/1.1 200")
                            && head.toLowerCase(java.util.Locale.ROOT).contains("content-length: 10"),
                    head);
            assertTrue(head.endsWith("\r\n\r\n"), "no body: " + head);
            ((TimeoutTest.Logged) f.proxy.app()).outcomes.poll(10, TimeUnit.SECONDS);
            String r = exchange(f, get("/short"));
            assertTrue(r.startsWith("HTTP/1.1 200") && !r.contains("<timeout>"), r);
            assertTrue(bodyOf(r).length() < 10, "the client saw the response cut short: " + r);
            ProxyError e = ((TimeoutTest.Logged) f.proxy.app()).nextError();
            assertEquals(ErrorSource.UPSTREAM, e.source(), e.getMessage());
        }
    }

    @Test
    void concurrentRequestsShareOneConnection() throws Exception {
        int n = 20;
        List<H2Origin.Call> held = new ArrayList<>();
        try (H2Origin origin = new H2Origin(c -> {
                    held.add(c); // on the origin's loop: every request waits until all are in flight
                    if (held.size() == n) {
                        held.forEach(h -> h.ok("r" + h.request.path()));
                    }
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            List<CompletableFuture<String>> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                clients.add(async(f, get("/" + i)));
            }
            for (int i = 0; i < n; i++) {
                assertEquals("r/" + i, bodyOf(clients.get(i).get(20, TimeUnit.SECONDS)));
            }
            assertEquals(1, origin.connections.get());
            assertEquals(n, origin.streamsPerConnection.get(0).get());
            assertEquals(1, f.proxy.h2ConnectionsOpened());
            assertEquals(n, f.proxy.h2StreamsOpened());
            assertTrue(f.proxy.reuseRatio() >= (n - 1.0) / n, "reuse " + f.proxy.reuseRatio());
        }
    }

    /** Requests that arrive while the first connection is still being set up wait for it instead of opening more. */
    @Test
    void requestsArrivingWhileAConnectionOpensWaitForIt() throws Exception {
        int n = 5;
        java.util.concurrent.atomic.AtomicInteger chosen = new java.util.concurrent.atomic.AtomicInteger();
        try (H2Origin origin = new H2Origin(c -> c.ok("shared"));
                ProxyFixture f = new ProxyFixture(new ProxyFixture.ToPeer(h2(origin.address())) {
                    @Override
                    public HttpPeer upstreamPeer(Session session, Void ctx) {
                        chosen.incrementAndGet();
                        return super.upstreamPeer(session, ctx);
                    }
                })) {
            origin.hold = new java.util.concurrent.CountDownLatch(1);
            List<CompletableFuture<String>> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                clients.add(async(f, get("/" + i)));
            }
            ProxyFixture.eventually(() -> chosen.get() == n, "every request is opening or waiting");
            origin.hold.countDown();
            for (CompletableFuture<String> c : clients) {
                assertEquals("shared", bodyOf(c.get(20, TimeUnit.SECONDS)));
            }
            assertEquals(1, origin.connections.get(), "one connection opened for all");
            assertEquals(n, origin.streamsPerConnection.get(0).get());
        }
    }

    @Test
    void theOriginsStreamLimitOpensASecondConnection() throws Exception {
        int n = 4;
        List<H2Origin.Call> held = new CopyOnWriteArrayList<>();
        try (H2Origin origin = new H2Origin(
                        c -> {
                            held.add(c);
                            if (held.size() == n) {
                                held.forEach(h -> h.ok("ok"));
                            }
                        },
                        H2Origin.Options.plain().maxStreams(2));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            List<CompletableFuture<String>> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                clients.add(async(f, get("/" + i)));
            }
            for (CompletableFuture<String> c : clients) {
                assertEquals("ok", bodyOf(c.get(20, TimeUnit.SECONDS)));
            }
            assertEquals(2, origin.connections.get());
            assertEquals(2, origin.streamsPerConnection.get(0).get());
            assertEquals(2, origin.streamsPerConnection.get(1).get());
        }
    }

    @Test
    void aPostAboveTheGoAwaysLastStreamIsRetriedAndOneBelowItIsAnswered() throws Exception {
        List<H2Origin.Call> first = new ArrayList<>();
        try (H2Origin origin = new H2Origin(c -> {
                    if (origin0(c) > 1) {
                        c.ok("again:" + c.request.path());
                        return;
                    }
                    first.add(c);
                    if (first.size() == 2) {
                        H2Origin.Call low = first.get(0).request.stream() < first.get(1).request.stream()
                                ? first.get(0)
                                : first.get(1);
                        low.goAway(low.request.stream());
                        low.ok("first:" + low.request.path());
                    }
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            CompletableFuture<String> a = async(f, post("/a", "pay-a"));
            CompletableFuture<String> b = async(f, post("/b", "pay-b"));
            String ra = bodyOf(a.get(20, TimeUnit.SECONDS));
            String rb = bodyOf(b.get(20, TimeUnit.SECONDS));
            List<String> answers = List.of(ra, rb);
            assertTrue(
                    answers.contains("first:/a") && answers.contains("again:/b")
                            || answers.contains("first:/b") && answers.contains("again:/a"),
                    answers.toString());
            String retried = answers.contains("again:/a") ? "/a" : "/b";
            String answered = retried.equals("/a") ? "/b" : "/a";
            assertEquals(2, count(origin, retried), "the unprocessed POST went out again, on a new connection");
            assertEquals(1, count(origin, answered), "the processed POST was not replayed");
            assertEquals(2, origin.connections.get());
            ProxyFixture.eventually(
                    () -> !origin.channels.get(0).isActive(), "the retired connection closed after its last stream");
        }
    }

    /** The number of the connection {@code c} arrived on (1 for the first). */
    private static int origin0(H2Origin.Call c) {
        return c.connection();
    }

    private static long count(H2Origin origin, String path) {
        return origin.seen.stream().filter(r -> r.path().equals(path)).count();
    }

    @Test
    void aPostBelowTheGoAwaysLastStreamIsNotReplayedWhenTheConnectionThenDies() throws Exception {
        try (H2Origin origin = new H2Origin(c -> {
                    if (c.request.path().equals("/warm")) {
                        c.ok("warm");
                        return;
                    }
                    c.goAway(c.request.stream());
                    c.kill();
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            assertEquals("warm", bodyOf(exchange(f, get("/warm"))));
            String r = exchange(f, post("/pay", "once"));
            assertTrue(r.startsWith("HTTP/1.1 502"), r);
            assertEquals(1, count(origin, "/pay"));
        }
    }

    @Test
    void aRefusedStreamIsRetriedWhateverTheMethod() throws Exception {
        try (H2Origin origin = new H2Origin(c -> {
                    if (count0(c) == 1) {
                        c.reset(Http2Error.REFUSED_STREAM);
                    } else {
                        c.ok("accepted:" + c.request.text());
                    }
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            String r = exchange(f, post("/order", "one order"));
            assertEquals("accepted:one order", bodyOf(r), r);
            assertEquals(2, count(origin, "/order"));
        }
    }

    private static long count0(H2Origin.Call c) {
        return c.origin().seen.size();
    }

    /**
     * Pingora issue #979: a POST on a reused HTTP/2 connection whose response the origin botched (a protocol error)
     * was retried, and the origin saw it twice. Here it fails with 502 and goes out once, for a stream error and for
     * a connection error alike.
     */
    @Test
    void aPostIsNeverReplayedAfterAProtocolErrorOnAReusedConnection_pingora979() throws Exception {
        try (H2Origin origin = new H2Origin(c -> {
                    switch (c.request.path()) {
                        case "/warm" -> c.ok("warm");
                        case "/stream-error" -> {
                            Http2Headers bad = new DefaultHttp2Headers(false).status("200");
                            bad.add("connection", "keep-alive"); // connection-specific: malformed in HTTP/2
                            c.head(bad, true);
                        }
                        default -> c.rawFrame(new byte[] {0, 0, 4, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}); // DATA on stream 0
                    }
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            assertEquals("warm", bodyOf(exchange(f, get("/warm"))));
            String r = exchange(f, post("/stream-error", "charge card"));
            assertTrue(r.startsWith("HTTP/1.1 502"), r);
            assertEquals(1, count(origin, "/stream-error"));
            assertEquals("warm", bodyOf(exchange(f, get("/warm"))), "a stream error leaves the connection usable");
            r = exchange(f, post("/connection-error", "charge card"));
            assertTrue(r.startsWith("HTTP/1.1 502"), r);
            assertEquals(1, count(origin, "/connection-error"));
            assertEquals(1, origin.connections.get(), "nothing was retried on a new connection");
        }
    }

    @Test
    void aClientThatLeavesResetsItsStreamAndTheConnectionStaysInUse() throws Exception {
        try (H2Origin origin = new H2Origin(c -> {
                    if (c.request.path().equals("/slow")) {
                        c.head(new DefaultHttp2Headers().status("200"), false);
                        c.data(ascii("first-part"), false); // and nothing more
                    } else {
                        c.ok("next");
                    }
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            try (Socket s = new Socket(f.address.getAddress(), f.address.getPort())) {
                s.getOutputStream().write(ascii(get("/slow")));
                readUntil(s.getInputStream(), "first-part");
            }
            assertEquals(Http2Error.CANCEL.code(), origin.resets.poll(10, TimeUnit.SECONDS));
            assertEquals("next", bodyOf(exchange(f, get("/next"))));
            assertEquals(1, origin.connections.get());
        }
    }

    static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        while (!sb.toString().contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("closed before " + marker + ": " + sb);
            }
            sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    @Test
    void anOriginResetInsideTheBodyClosesTheClientConnection() throws Exception {
        try (H2Origin origin = new H2Origin(c -> {
                    c.head(new DefaultHttp2Headers().status("200"), false);
                    c.data(ascii("part"), false);
                    c.reset(Http2Error.INTERNAL_ERROR);
                });
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            String r = f.raw("GET /x HTTP/1.1\r\nHost: origin.test\r\n\r\n", 10_000);
            assertTrue(r.startsWith("HTTP/1.1 200") && r.contains("part"), r);
            assertTrue(!r.contains("<timeout>") && !r.endsWith("0\r\n\r\n"), "closed, not ended: " + r);
        }
    }

    @Test
    void aReadTimeoutAnswers504AndCancelsTheStream() throws Exception {
        try (H2Origin origin = new H2Origin(c -> {
                    if (!c.request.path().equals("/stall")) {
                        c.ok("fine");
                    }
                });
                ProxyFixture f = new ProxyFixture(
                        new TimeoutTest.Logged(HttpPeer.builder(origin.address())
                                .protocol(UpstreamProtocol.H2)
                                .readTimeout(Duration.ofSeconds(30))
                                .build()),
                        b -> b.ticker(ticker))) {
            CompletableFuture<String> r = async(f, get("/stall"));
            origin.requests.poll(10, TimeUnit.SECONDS);
            ticker.advance(Duration.ofSeconds(31));
            assertTrue(r.get(20, TimeUnit.SECONDS).startsWith("HTTP/1.1 504"));
            assertEquals(
                    ErrorKind.READ_TIMEOUT,
                    ((TimeoutTest.Logged) f.proxy.app()).nextError().kind());
            assertEquals(Http2Error.CANCEL.code(), origin.resets.poll(10, TimeUnit.SECONDS));
            assertEquals("fine", bodyOf(exchange(f, get("/fine"))));
            assertEquals(1, origin.connections.get());
        }
    }

    @Test
    void theAttemptTimeoutAnswers504() throws Exception {
        try (H2Origin origin = new H2Origin(c -> {});
                ProxyFixture f = new ProxyFixture(
                        new TimeoutTest.Logged(HttpPeer.builder(origin.address())
                                .protocol(UpstreamProtocol.H2)
                                .totalTimeout(Duration.ofSeconds(20))
                                .build()),
                        b -> b.ticker(ticker))) {
            CompletableFuture<String> r = async(f, get("/stall"));
            origin.requests.poll(10, TimeUnit.SECONDS);
            ticker.advance(Duration.ofSeconds(21));
            assertTrue(r.get(20, TimeUnit.SECONDS).startsWith("HTTP/1.1 504"));
            assertEquals(
                    ErrorKind.TOTAL_TIMEOUT,
                    ((TimeoutTest.Logged) f.proxy.app()).nextError().kind());
        }
    }

    /**
     * An origin that never gives window back: the request body stops at the origin's window, the proxy stops
     * reading the client, and the write timeout ends the request.
     */
    @Test
    void anUploadBlockedByFlowControlStopsAtTheWindowAndTimesOut() throws Exception {
        try (H2Origin origin = new H2Origin(
                        c -> c.ok("never"), H2Origin.Options.plain().neverReadsBodies());
                ProxyFixture f = new ProxyFixture(
                        new TimeoutTest.Logged(HttpPeer.builder(origin.address())
                                .protocol(UpstreamProtocol.H2)
                                .writeTimeout(Duration.ofSeconds(30))
                                .build()),
                        b -> b.ticker(ticker));
                Socket s = new Socket(f.address.getAddress(), f.address.getPort())) {
            int length = 8 << 20;
            Thread upload = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(ascii("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n"));
                    byte[] chunk = new byte[64 << 10];
                    for (int sent = 0; sent < length; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the proxy closed the connection: expected once the request failed
                }
            });
            upload.setDaemon(true);
            upload.start();
            ProxyFixture.eventually(() -> origin.bodyBytes.get() >= 65_535, "the origin's window filled");
            ticker.advance(Duration.ofSeconds(31));
            ProxyError e = ((TimeoutTest.Logged) f.proxy.app()).nextError();
            assertEquals(ErrorKind.WRITE_TIMEOUT, e.kind(), e.getMessage());
            assertEquals(ErrorSource.UPSTREAM, e.source());
            assertEquals(65_535, origin.bodyBytes.get(), "not a byte past the origin's window");
            assertTrue(Origin.readHead(s.getInputStream()).startsWith("HTTP/1.1 504"));
        }
    }

    @Test
    void anUnansweredPingClosesTheConnectionAndFailsItsRequests() throws Exception {
        try (H2Origin origin = new H2Origin(c -> {}, H2Origin.Options.plain().silentOnPing());
                ProxyFixture f = new ProxyFixture(
                        new TimeoutTest.Logged(HttpPeer.builder(origin.address())
                                .protocol(UpstreamProtocol.H2)
                                .h2PingInterval(Duration.ofSeconds(10))
                                .build()),
                        b -> b.ticker(ticker))) {
            CompletableFuture<String> r = async(f, get("/stall"));
            origin.requests.poll(10, TimeUnit.SECONDS);
            ticker.advance(Duration.ofSeconds(11));
            ProxyFixture.eventually(() -> origin.pings.get() == 1, "a PING sent after 10 s");
            ticker.advance(Duration.ofSeconds(6));
            assertTrue(r.get(20, TimeUnit.SECONDS).startsWith("HTTP/1.1 504"));
            ProxyError e = ((TimeoutTest.Logged) f.proxy.app()).nextError();
            assertEquals(ErrorKind.READ_TIMEOUT, e.kind());
            assertTrue(e.getMessage().contains("PING unanswered"), e.getMessage());
            ProxyFixture.eventually(() -> !origin.channels.get(0).isActive(), "the connection closed");
        }
    }

    @Test
    void anIdleConnectionClosesAfterTheIdleTimeout() throws Exception {
        try (H2Origin origin = new H2Origin(c -> c.ok("x"));
                ProxyFixture f = new ProxyFixture(
                        ProxyFixture.to(HttpPeer.builder(origin.address())
                                .protocol(UpstreamProtocol.H2)
                                .idleTimeout(Duration.ofSeconds(30))
                                .build()),
                        b -> b.ticker(ticker))) {
            assertEquals("x", bodyOf(exchange(f, get("/"))));
            ticker.advance(Duration.ofSeconds(20));
            assertEquals("x", bodyOf(exchange(f, get("/"))));
            assertEquals(1, origin.connections.get(), "still pooled after 20 s");
            // a second at a time: the connection's idle time starts when the exchange released its stream, which
            // may come a moment after the client read the response
            int seconds = 0;
            while (origin.channels.get(0).isActive() && seconds < 60) {
                ticker.advance(Duration.ofSeconds(1));
                seconds++;
                waitForTick(origin);
            }
            assertTrue(seconds >= 30 && seconds < 60, "closed after " + seconds + " s idle (expected: 30)");
        }
    }

    /**
     * A 64 MiB response to a client that reads slowly: the proxy gives HTTP/2 window back only for what it handed
     * to the client's connection, so the origin is held back by flow control instead of the proxy buffering. Each
     * time the client stops reading, the origin stalls; what it sent beyond what the client read stays under the
     * 1 MiB stream window plus the sockets' buffers (measured: about 5 MiB; a proxy that gives window back on
     * arrival lets the origin send all 64 MiB).
     */
    @Test
    void aSlowClientHoldsTheOriginBackThroughFlowControl() throws Exception {
        long total = 64L << 20;
        try (H2Origin origin = new H2Origin(c -> c.stream(total, 16 << 10));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(h2(origin.address())));
                Socket s = new Socket()) {
            s.setReceiveBufferSize(128 << 10); // smaller makes loopback TCP itself slow (delayed ACKs)
            s.connect(f.address);
            s.getOutputStream().write(ascii(get("/big")));
            InputStream in = s.getInputStream();
            String head = Origin.readHead(in);
            assertTrue(
                    head.startsWith("HTTP/1.1 200")
                            && head.toLowerCase(java.util.Locale.ROOT).contains("content-length: " + total),
                    head);
            long read = 0;
            long worst = 0;
            byte[] buf = new byte[64 << 10];
            while (read < total) {
                awaitOriginStalled(origin, total);
                worst = Math.max(worst, origin.streamed.get() - read);
                long step = Math.min(total - read, 8L << 20);
                for (long got = 0; got < step; ) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, step - got));
                    assertTrue(n > 0, "the response ended early at " + (read + got));
                    got += n;
                }
                read += step;
            }
            assertTrue(origin.blocked.get() > 1, "flow control held the origin back");
            long bound = (1 << 20) + (8L << 20);
            assertTrue(worst <= bound, "origin ahead of the client by " + worst + " bytes (bound " + bound + ")");
        }
    }

    /** Gives the event loop's timer wheel a tick (10 ms) to act on the clock, or less if the connection closed. */
    private static void waitForTick(H2Origin origin) throws InterruptedException {
        origin.channels.get(0).closeFuture().await(50);
    }

    /**
     * Waits until the origin has stopped: its body waits for window and no byte went out for 50 polls in a row (or
     * it sent everything, which a proxy that buffers lets it do).
     */
    private static void awaitOriginStalled(H2Origin origin, long total) {
        long[] last = {-1};
        int[] still = {0};
        ProxyFixture.eventually(
                () -> {
                    long now = origin.streamed.get();
                    still[0] = now == last[0] && origin.waiting ? still[0] + 1 : 0;
                    last[0] = now;
                    return still[0] >= 50 || now == total;
                },
                "the origin stalls on flow control");
    }
}
