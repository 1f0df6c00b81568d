package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import net.proxy.limits.GcraLimiter;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RequestRateLimit} through a real proxy on loopback, on a limiter driven by a {@link ManualTicker}: the test
 * moves the limiter's clock instead of waiting, and counts at the {@link Origin} what got through.
 */
@ExtendWith(LeakDetection.class)
class RequestRateLimitTest {
    private final ManualTicker ticker = new ManualTicker();

    /** Proxies to one peer unless {@code limit} rejects the request; records how each request ended. */
    static final class Limited extends ProxyFixture.ToPeer {
        final RequestRateLimit limit;
        final BlockingQueue<Optional<ProxyError>> outcomes = new LinkedBlockingQueue<>();

        Limited(HttpPeer peer, RequestRateLimit limit) {
            super(peer);
            this.limit = limit;
        }

        @Override
        public boolean requestFilter(Session session, Void ctx) {
            return limit.reject(session);
        }

        @Override
        public void logging(Session session, ProxyError error, Void ctx) {
            outcomes.add(Optional.ofNullable(error));
        }
    }

    /** A response as the client read it. */
    record Response(String head, String body) {
        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
                    return line.substring(c + 1).trim();
                }
            }
            return null;
        }
    }

    /** A limiter of {@code permits} per {@code period} plus {@code burst}, on the test's clock. */
    private GcraLimiter limiter(long permits, Duration period, long burst) {
        return GcraLimiter.builder()
                .rate(permits, period)
                .burst(burst)
                .ticker(ticker)
                .build();
    }

    private static Function<Session, Object> apiKey() {
        return s -> s.request().headers().get("X-Api-Key");
    }

    /** Sends one request on {@code s} and reads its response (framed by Content-Length, as every one here is). */
    private static Response exchange(Socket s, String path, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: x\r\n");
        for (String h : headers) {
            request.append(h).append("\r\n");
        }
        s.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        String head = Origin.readHead(s.getInputStream());
        assertNotNull(head, "a response to " + path);
        Response r = new Response(head, "");
        String length = r.header("Content-Length");
        assertNotNull(length, head);
        byte[] body = s.getInputStream().readNBytes(Integer.parseInt(length));
        return new Response(head, new String(body, StandardCharsets.UTF_8));
    }

    /** One request on a new connection (so from a new client port each time). */
    private static Response get(ProxyFixture f, String path, String... headers) throws IOException {
        try (Socket s = connect(f)) {
            return exchange(s, path, headers);
        }
    }

    private static Socket connect(ProxyFixture f) throws IOException {
        Socket s = new Socket(f.address.getAddress(), f.address.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void assertRejected(Response r, int status, String retryAfter) {
        assertEquals(status, r.status(), r.head());
        assertEquals(retryAfter, r.header("Retry-After"), r.head());
        assertEquals("0", r.header("Content-Length"), r.head());
        assertEquals("private, no-store", r.header("Cache-Control"), r.head());
        assertEquals("", r.body());
    }

    @Test
    void withinTheBurstRequestsReachTheOriginBeyondItA429UntilTheClockMoves() throws Exception {
        // 2 per 5 s: one every 2.5 s, plus a burst of 2, per client IP address.
        RequestRateLimit limit =
                RequestRateLimit.perKey(limiter(2, Duration.ofSeconds(5), 2), RequestRateLimit::clientIp);
        try (Origin origin = Origin.answering("hello");
                ProxyFixture f = new ProxyFixture(new Limited(HttpPeer.of(origin.address()), limit))) {
            for (int i = 0; i < 3; i++) {
                Response r = get(f, "/" + i);
                assertEquals(200, r.status(), r.head());
                assertEquals("hello", r.body());
            }
            assertEquals(3, origin.requests.size());

            Response rejected = get(f, "/3");
            assertTrue(rejected.head().startsWith("HTTP/1.1 429 Too Many Requests\r\n"), rejected.head());
            assertRejected(rejected, 429, "3"); // 2.5 s, rounded up
            ticker.advance(Duration.ofSeconds(2));
            assertRejected(get(f, "/4"), 429, "1"); // 0.5 s, rounded up
            ticker.advance(Duration.ofMillis(499));
            assertRejected(get(f, "/5"), 429, "1"); // 1 ms: still at least 1
            assertEquals(3, origin.requests.size(), "no rejected request reached the origin");

            ticker.advance(Duration.ofMillis(1));
            Response again = get(f, "/6");
            assertEquals(200, again.status(), again.head());
            assertRejected(get(f, "/7"), 429, "3");
            assertEquals(
                    List.of("/0", "/1", "/2", "/6"),
                    origin.requests.stream().map(Origin.Request::target).toList());
        }
    }

    @Test
    void aRejectedRequestLeavesTheConnectionOpenForTheNextOne() throws Exception {
        RequestRateLimit limit =
                RequestRateLimit.perKey(limiter(1, Duration.ofSeconds(1), 0), RequestRateLimit::clientIp);
        try (Origin origin = Origin.answering("ok");
                ProxyFixture f = new ProxyFixture(new Limited(HttpPeer.of(origin.address()), limit));
                Socket s = connect(f)) {
            assertEquals(200, exchange(s, "/a").status());
            Response rejected = exchange(s, "/b");
            assertRejected(rejected, 429, "1");
            assertFalse(
                    String.valueOf(rejected.header("Connection"))
                            .toLowerCase(Locale.ROOT)
                            .contains("close"),
                    rejected.head());
            ticker.advance(Duration.ofSeconds(1));
            Response again = exchange(s, "/c");
            assertEquals(200, again.status(), again.head());
            assertEquals("ok", again.body());
            assertEquals(2, origin.requests.size());
            assertEquals(1, origin.connections.get());
        }
    }

    @Test
    void keysHaveSeparateBudgets() throws Exception {
        RequestRateLimit limit = RequestRateLimit.perKey(limiter(1, Duration.ofMinutes(1), 0), apiKey());
        try (Origin origin = Origin.answering("ok");
                ProxyFixture f = new ProxyFixture(new Limited(HttpPeer.of(origin.address()), limit));
                Socket s = connect(f)) {
            assertEquals(200, exchange(s, "/", "X-Api-Key: alpha").status());
            assertRejected(exchange(s, "/", "X-Api-Key: alpha"), 429, "60");
            assertEquals(200, exchange(s, "/", "X-Api-Key: beta").status());
            assertRejected(exchange(s, "/", "X-Api-Key: beta"), 429, "60");
            ticker.advance(Duration.ofSeconds(30));
            assertRejected(exchange(s, "/", "X-Api-Key: alpha"), 429, "30");
            assertEquals(200, exchange(s, "/", "X-Api-Key: gamma").status());
            assertEquals(
                    List.of("alpha", "beta", "gamma"),
                    origin.requests.stream().map(r -> r.header("X-Api-Key")).toList());
        }
    }

    @Test
    void aRequestWithoutAKeyFailsWith500AndNeverReachesTheOrigin() throws Exception {
        RequestRateLimit limit = RequestRateLimit.perKey(limiter(1, Duration.ofMinutes(1), 0), apiKey());
        try (Origin origin = Origin.answering("ok");
                ProxyFixture f = new ProxyFixture(new Limited(HttpPeer.of(origin.address()), limit))) {
            assertEquals(500, get(f, "/no-key").status());
            ProxyError error = ((Limited) f.proxy.app())
                    .outcomes
                    .poll(10, TimeUnit.SECONDS)
                    .orElseThrow();
            assertEquals(ErrorKind.INTERNAL_ERROR, error.kind());
            NullPointerException cause = assertInstanceOf(NullPointerException.class, error.getCause());
            assertEquals(
                    "key: the key function returned null for this request (expected: a key for every request, e.g. a"
                            + " fallback to RequestRateLimit.clientIp(session))",
                    cause.getMessage());
            assertEquals(200, get(f, "/key", "X-Api-Key: alpha").status());
            assertEquals(1, origin.requests.size());
        }
    }

    @Test
    void answers503WhenAskedTo() throws Exception {
        RequestRateLimit limit = RequestRateLimit.perKey(
                        limiter(1, Duration.ofSeconds(1), 0), RequestRateLimit::clientIp)
                .withStatus(503);
        try (Origin origin = Origin.answering("ok");
                ProxyFixture f = new ProxyFixture(new Limited(HttpPeer.of(origin.address()), limit))) {
            assertEquals(200, get(f, "/").status());
            Response rejected = get(f, "/");
            assertTrue(rejected.head().startsWith("HTTP/1.1 503 Service Unavailable\r\n"), rejected.head());
            assertRejected(rejected, 503, "1");
            assertEquals(1, origin.requests.size());
        }
    }

    @Test
    void rejectsBadArgumentsWithClearMessages() {
        GcraLimiter limiter =
                GcraLimiter.builder().rate(1, Duration.ofSeconds(1)).build();
        assertEquals(
                "limiter",
                assertThrows(
                                NullPointerException.class,
                                () -> RequestRateLimit.perKey(null, RequestRateLimit::clientIp))
                        .getMessage());
        assertEquals(
                "key",
                assertThrows(NullPointerException.class, () -> RequestRateLimit.perKey(limiter, null))
                        .getMessage());
        GcraLimiter delaying = GcraLimiter.builder()
                .rate(1, Duration.ofSeconds(1))
                .nodelay(false)
                .build();
        assertEquals(
                "limiter: nodelay(false) (expected: nodelay(true); a rejected request is answered at once and an"
                        + " admitted one is not delayed)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> RequestRateLimit.perKey(delaying, RequestRateLimit::clientIp))
                        .getMessage());
        RequestRateLimit limit = RequestRateLimit.perKey(limiter, RequestRateLimit::clientIp);
        assertEquals(
                "status: 500 (expected: 429 or 503)",
                assertThrows(IllegalArgumentException.class, () -> limit.withStatus(500))
                        .getMessage());
        assertEquals(429, limit.status());
        assertEquals(503, limit.withStatus(503).status());
        assertSame(limiter, limit.withStatus(503).limiter());
    }
}
