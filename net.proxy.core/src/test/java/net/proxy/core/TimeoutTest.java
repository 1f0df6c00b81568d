package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every timeout of the engine on a {@link ManualTicker}: the test moves the clock past the deadline and waits for
 * the outcome (the wheel of the event loop fires at its next 10 ms tick); no test waits for a timeout to elapse.
 */
@ExtendWith(LeakDetection.class)
class TimeoutTest {
    private final ManualTicker ticker = new ManualTicker();

    /** Sends every request to one peer and records how each request ended. */
    static final class Logged extends ProxyFixture.ToPeer {
        final BlockingQueue<Optional<ProxyError>> outcomes = new LinkedBlockingQueue<>();

        Logged(HttpPeer peer) {
            super(peer);
        }

        @Override
        public void logging(Session session, ProxyError error, Void ctx) {
            outcomes.add(Optional.ofNullable(error));
        }

        ProxyError nextError() throws InterruptedException {
            Optional<ProxyError> o = outcomes.poll(10, TimeUnit.SECONDS);
            assertTrue(o != null && o.isPresent(), "a failed request was logged: " + o);
            return o.get();
        }
    }

    /** Runs curl on a thread of its own (several may wait on a hanging origin at once). */
    private static CompletableFuture<ProxyFixture.Curl> curlAsync(String... args) {
        CompletableFuture<ProxyFixture.Curl> result = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        result.complete(ProxyFixture.curl(args));
                    } catch (Exception e) {
                        result.completeExceptionally(e);
                    }
                },
                "curl");
        t.setDaemon(true);
        t.start();
        return result;
    }

    @Test
    void slowOriginAnswers504AfterReadTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Origin origin = new Origin(Origin.hanging(release, "late"));
                ProxyFixture f = new ProxyFixture(
                        new Logged(HttpPeer.builder(origin.address())
                                .readTimeout(Duration.ofSeconds(30))
                                .build()),
                        b -> b.ticker(ticker))) {
            CompletableFuture<ProxyFixture.Curl> c = curlAsync("-i", f.url("/slow"));
            ProxyFixture.eventually(() -> origin.requests.size() == 1, "the request reached the origin");
            ticker.advance(Duration.ofSeconds(31));
            ProxyFixture.Curl out = c.get(20, TimeUnit.SECONDS);
            release.countDown();
            assertTrue(out.out().startsWith("HTTP/1.1 504"), out.out());
            assertTrue(out.out().contains("Connection: close"), out.out());
            assertEquals(
                    ErrorKind.READ_TIMEOUT, ((Logged) f.proxy.app()).nextError().kind());
        }
    }

    @Test
    void totalTimeoutAnswers504() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Origin origin = new Origin(Origin.hanging(release, "late"));
                ProxyFixture f = new ProxyFixture(
                        new Logged(HttpPeer.of(origin.address())),
                        b -> b.totalTimeout(Duration.ofSeconds(30)).ticker(ticker))) {
            CompletableFuture<ProxyFixture.Curl> c = curlAsync("-o", "/dev/null", "-w", "%{http_code}", f.url("/slow"));
            ProxyFixture.eventually(() -> origin.requests.size() == 1, "the request reached the origin");
            ticker.advance(Duration.ofSeconds(31));
            assertEquals("504", c.get(20, TimeUnit.SECONDS).out());
            release.countDown();
            assertEquals(
                    ErrorKind.TOTAL_TIMEOUT,
                    ((Logged) f.proxy.app()).nextError().kind());
        }
    }

    @Test
    void peerTotalTimeoutAnswers504() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Origin origin = new Origin(Origin.hanging(release, "late"));
                ProxyFixture f = new ProxyFixture(
                        new Logged(HttpPeer.builder(origin.address())
                                .totalTimeout(Duration.ofSeconds(30))
                                .build()),
                        b -> b.ticker(ticker))) {
            CompletableFuture<ProxyFixture.Curl> c = curlAsync("-o", "/dev/null", "-w", "%{http_code}", f.url("/slow"));
            ProxyFixture.eventually(() -> origin.requests.size() == 1, "the request reached the origin");
            ticker.advance(Duration.ofSeconds(31));
            assertEquals("504", c.get(20, TimeUnit.SECONDS).out());
            release.countDown();
            ProxyError e = ((Logged) f.proxy.app()).nextError();
            assertEquals(ErrorKind.TOTAL_TIMEOUT, e.kind());
            assertEquals(ErrorSource.UPSTREAM, e.source());
        }
    }

    @Test
    void incompleteHeadIsClosedAfterHeaderTimeoutAndIdleKeepAliveToo() throws Exception {
        try (Origin origin = Origin.answering("x");
                ProxyFixture f = new ProxyFixture(
                        ProxyFixture.to(HttpPeer.of(origin.address())),
                        b -> b.headerTimeout(Duration.ofSeconds(20))
                                .keepAliveTimeout(Duration.ofSeconds(40))
                                .ticker(ticker))) {
            try (Socket s = connect(f)) {
                s.getOutputStream().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n"));
                ProxyFixture.eventually(() -> f.proxy.openConnections() == 1, "the proxy holds the connection");
                ticker.advance(Duration.ofSeconds(21));
                assertClosed(s, "closed silently after the header timeout");
            }
            try (Socket s = FailureTest.idleKeepAlive(f)) {
                ticker.advance(Duration.ofSeconds(39));
                s.getOutputStream().write(ascii("GET /again HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertTrue(Origin.readHead(s.getInputStream()).startsWith("HTTP/1.1 200"), "kept before 40 s");
                s.getInputStream().readNBytes(1);
                ticker.advance(Duration.ofSeconds(41));
                assertClosed(s, "closed after the keep-alive timeout");
            }
        }
    }

    @Test
    void aClientThatStopsReadingFailsTheRequestAsADownstreamWriteTimeout() throws Exception {
        byte[] big = new byte[32 << 20];
        try (Origin origin = new Origin(r -> Origin.response(200, new String(big, StandardCharsets.ISO_8859_1), ""));
                ProxyFixture f = new ProxyFixture(
                        new Logged(HttpPeer.builder(origin.address())
                                .readTimeout(Duration.ofHours(1))
                                .build()),
                        b -> b.writeTimeout(Duration.ofSeconds(60))
                                .totalTimeout(Duration.ofHours(1))
                                .ticker(ticker));
                Socket s = connect(f)) {
            s.setReceiveBufferSize(4096);
            s.getOutputStream().write(ascii("GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
            Logged app = (Logged) f.proxy.app();
            Optional<ProxyError> outcome = ticker.advanceUntil(app.outcomes, Duration.ofSeconds(10));
            assertTrue(outcome.isPresent(), "the request failed");
            assertEquals(
                    ErrorKind.WRITE_TIMEOUT, outcome.get().kind(), outcome.get().getMessage());
            assertEquals(ErrorSource.DOWNSTREAM, outcome.get().source());
        }
    }

    @Test
    void anOriginThatStopsReadingTheBodyFailsTheRequestAsAnUpstreamWriteTimeout() throws Exception {
        try (StalledOrigin origin = new StalledOrigin();
                ProxyFixture f = new ProxyFixture(
                        new Logged(HttpPeer.builder(origin.address())
                                .readTimeout(Duration.ofHours(1))
                                .writeTimeout(Duration.ofSeconds(60))
                                .build()),
                        b -> b.totalTimeout(Duration.ofHours(1)).ticker(ticker));
                Socket s = connect(f)) {
            int length = 64 << 20;
            OutputStream out = s.getOutputStream();
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                try {
                    out.write(ascii("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n"));
                    byte[] chunk = new byte[1 << 16];
                    for (int sent = 0; sent < length; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (Exception e) {
                    // the proxy closes the connection once it gave up; the test checks the outcome below
                }
            });
            Logged app = (Logged) f.proxy.app();
            Optional<ProxyError> outcome = ticker.advanceUntil(app.outcomes, Duration.ofSeconds(10));
            assertTrue(outcome.isPresent(), "the request failed");
            assertEquals(
                    ErrorKind.WRITE_TIMEOUT, outcome.get().kind(), outcome.get().getMessage());
            assertEquals(ErrorSource.UPSTREAM, outcome.get().source());
            s.shutdownOutput();
            upload.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPooledConnectionIsClosedAfterThePeersIdleTimeout() throws Exception {
        try (Origin origin = Origin.answering("x");
                ProxyFixture f = new ProxyFixture(
                        ProxyFixture.to(HttpPeer.builder(origin.address())
                                .idleTimeout(Duration.ofSeconds(30))
                                .build()),
                        b -> b.ticker(ticker))) {
            assertEquals("x", ProxyFixture.curl(f.url("/")).out());
            assertEquals(1, origin.connections.get());
            ticker.advance(Duration.ofSeconds(29));
            assertEquals("x", ProxyFixture.curl(f.url("/")).out());
            assertEquals(1, origin.connections.get(), "reused before its idle timeout");
            ticker.advance(Duration.ofSeconds(31));
            ProxyFixture.eventually(() -> origin.closedByPeer.get() == 1, "the idle connection closed");
            assertEquals("x", ProxyFixture.curl(f.url("/")).out());
            assertEquals(2, origin.connections.get(), "a new connection after the idle one closed");
        }
    }

    @Test
    void thePoolKeepsAtMostMaxIdlePerPeerConnections() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Origin origin = new Origin(Origin.hanging(release, "x"));
                ProxyFixture f =
                        new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())), b -> b.maxIdlePerPeer(1))) {
            CompletableFuture<ProxyFixture.Curl> a = curlAsync(f.url("/a"));
            CompletableFuture<ProxyFixture.Curl> b = curlAsync(f.url("/b"));
            ProxyFixture.eventually(() -> origin.requests.size() == 2, "two requests in flight");
            release.countDown();
            assertEquals("x", a.get(20, TimeUnit.SECONDS).out());
            assertEquals("x", b.get(20, TimeUnit.SECONDS).out());
            ProxyFixture.eventually(() -> origin.closedByPeer.get() == 1, "the connection beyond the cap closed");
            assertEquals("x", ProxyFixture.curl(f.url("/c")).out());
            assertEquals(2, origin.connections.get(), "the idle one was reused");
            assertEquals(1, origin.closedByPeer.get());
        }
    }

    /** The proxy closed {@code s} without a byte: an end of stream, or a reset when our bytes were unread. */
    private static void assertClosed(Socket s, String what) throws Exception {
        try {
            assertEquals(-1, s.getInputStream().read(), what);
        } catch (java.net.SocketException e) {
            assertEquals("Connection reset", e.getMessage(), what);
        }
    }

    private static Socket connect(ProxyFixture f) throws Exception {
        Socket s = new Socket(f.address.getAddress(), f.address.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** An origin that accepts connections and never reads from them. */
    static final class StalledOrigin implements AutoCloseable {
        private final java.net.ServerSocket server =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final java.util.List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();

        StalledOrigin() throws java.io.IOException {
            Thread t = new Thread(
                    () -> {
                        try {
                            while (true) {
                                Socket s = server.accept();
                                s.setReceiveBufferSize(4096);
                                accepted.add(s);
                            }
                        } catch (java.io.IOException e) {
                            // closed
                        }
                    },
                    "stalled-origin");
            t.setDaemon(true);
            t.start();
        }

        java.net.InetSocketAddress address() {
            return new java.net.InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
