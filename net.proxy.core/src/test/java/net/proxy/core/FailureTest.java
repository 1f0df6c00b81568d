package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.proxy.lb.Backend;
import net.proxy.lb.LoadBalancer;
import net.proxy.lb.SelectionAlgorithm;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Timeouts, upstream failures, retries and failover, hostile requests, and stopping. */
@ExtendWith(LeakDetection.class)
class FailureTest {

    static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
    }

    static ProxyHttp<Void> to(HttpPeer peer) {
        return ProxyFixture.to(peer);
    }

    static LoadBalancedProxy balanced(Origin... origins) {
        List<Backend> backends = new ArrayList<>();
        for (Origin o : origins) {
            backends.add(Backend.of(o.address()));
        }
        return LoadBalancedProxy.builder(LoadBalancer.builder()
                        .backends(backends)
                        .selection(SelectionAlgorithm.roundRobin())
                        .build())
                .build();
    }

    static String codes(ProxyFixture f, int n, String path) throws Exception {
        String[] args = new String[n * 4];
        for (int i = 0; i < n; i++) {
            args[i * 4] = "-o";
            args[i * 4 + 1] = "/dev/null";
            args[i * 4 + 2] = "-w";
            args[i * 4 + 3] = "%{http_code} ";
        }
        List<String> all = new ArrayList<>(List.of(args));
        for (int i = 0; i < n; i++) {
            all.add(f.url(path + i));
        }
        ProxyFixture.Curl c = ProxyFixture.curl(interleave(all, n));
        return c.out().trim();
    }

    private static String[] interleave(List<String> all, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.addAll(all.subList(i * 4, i * 4 + 4));
            out.add(all.get(n * 4 + i));
        }
        return out.toArray(new String[0]);
    }

    @Test
    void refusedConnectionAnswers502WithoutRetryByDefault() throws Exception {
        try (ProxyFixture f = new ProxyFixture(to(HttpPeer.of(closedPort())))) {
            ProxyFixture.Curl c = ProxyFixture.curl("-i", f.url("/"));
            assertTrue(c.out().startsWith("HTTP/1.1 502"), c.out());
            assertTrue(c.out().contains("Cache-Control: private, no-store"), c.out());
        }
    }

    @Test
    void failoverToTheNextBackendWhenOneRefuses() throws Exception {
        InetSocketAddress dead = closedPort();
        try (Origin alive = Origin.answering("alive")) {
            LoadBalancer lb = LoadBalancer.builder()
                    .backends(List.of(Backend.of(dead), Backend.of(alive.address())))
                    .build();
            try (ProxyFixture f = new ProxyFixture(LoadBalancedProxy.builder(lb).build())) {
                assertEquals("200 200 200 200 200 200", codes(f, 6, "/"));
                assertFalse(lb.isReady(Backend.of(dead)), "passively marked down");
            }
        }
    }

    @Test
    void originKilledMidRunIdempotentGetsSeeNoErrors() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        try (Origin b = Origin.answering("b");
                Origin a = Origin.answering("a")) {
            a.handler = r -> {
                if (seen.incrementAndGet() == 10) {
                    try {
                        a.kill();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                }
                return Origin.ok("a");
            };
            try (ProxyFixture f = new ProxyFixture(balanced(a, b))) {
                String codes = codes(f, 60, "/n");
                assertEquals("200 ".repeat(59) + "200", codes);
                assertEquals(10, seen.get(), "a dead origin answers nothing");
                assertEquals(51, b.requests.size(), "b took over");
            }
        }
    }

    @Test
    void balancedProxyRetriesAFreshConnectionClosedBeforeTheHeadOnlyWhenReplayable() throws Exception {
        try (Origin dropper = new Origin(r -> null);
                Origin good = Origin.answering("good")) {
            try (ProxyFixture f = new ProxyFixture(balanced(dropper, good))) {
                assertEquals("200 200 200 200 200 200", codes(f, 6, "/get"));
                assertTrue(dropper.requests.size() >= 1, "the dropper saw requests: " + dropper.requests);
                List<String> posts = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    posts.add(ProxyFixture.curl("-o", "/dev/null", "-w", "%{http_code}", "-d", "x", f.url("/post"))
                            .out());
                }
                long dropped = dropper.requests.stream()
                        .filter(r -> r.method().equals("POST"))
                        .count();
                long served = good.requests.stream()
                        .filter(r -> r.method().equals("POST"))
                        .count();
                assertEquals(4, dropped + served, "each POST reached exactly one origin once: " + posts);
                assertEquals(dropped, posts.stream().filter("502"::equals).count(), posts.toString());
            }
        }
    }

    @Test
    void statusDrivenRetryForIdempotentMethodsOnly() throws Exception {
        try (Origin bad = new Origin(r -> Origin.response(503, "busy", ""));
                Origin good = Origin.answering("good")) {
            try (ProxyFixture f = new ProxyFixture(balanced(bad, good), b -> b.retryOnStatus(503))) {
                for (int i = 0; i < 4; i++) {
                    ProxyFixture.Curl c = ProxyFixture.curl(f.url("/get"));
                    assertEquals("good", c.out());
                }
                int before = bad.requests.size() + good.requests.size();
                List<String> posts = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    posts.add(ProxyFixture.curl("-d", "x", f.url("/post")).out());
                }
                assertTrue(posts.contains("busy"), "a POST is never retried: " + posts);
                assertEquals(before + 4, bad.requests.size() + good.requests.size());
            }
        }
    }

    @Test
    void nonIdempotentRequestIsNotReplayedOnAStaleConnection() throws Exception {
        AtomicInteger n = new AtomicInteger();
        try (Origin origin =
                new Origin(r -> r.method().equals("POST") || n.incrementAndGet() == 2 ? null : Origin.ok("ok"))) {
            try (ProxyFixture f = new ProxyFixture(to(HttpPeer.of(origin.address())))) {
                assertEquals("ok", ProxyFixture.curl(f.url("/warm")).out());
                ProxyFixture.Curl get = ProxyFixture.curl(f.url("/get-dropped-once"));
                assertEquals("ok", get.out(), "a GET on a stale pooled connection is retried");
                long posts = origin.requests.stream()
                        .filter(r -> r.method().equals("POST"))
                        .count();
                ProxyFixture.Curl post =
                        ProxyFixture.curl("-o", "/dev/null", "-w", "%{http_code}", "-d", "x", f.url("/post"));
                assertEquals("502", post.out());
                assertEquals(
                        posts + 1,
                        origin.requests.stream()
                                .filter(r -> r.method().equals("POST"))
                                .count(),
                        "the POST reached the origin once and was not replayed");
            }
        }
    }

    @Test
    void smugglingAttemptsAre400AndNeverForwarded() throws Exception {
        try (Origin origin = Origin.answering("x");
                ProxyFixture f = new ProxyFixture(to(HttpPeer.of(origin.address())))) {
            String[] attacks = {
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                        + "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            };
            for (String attack : attacks) {
                String resp = f.raw(attack, 5000);
                assertTrue(resp.startsWith("HTTP/1.1 400") || resp.startsWith("HTTP/1.1 501"), attack + " -> " + resp);
                assertTrue(resp.contains("Connection: close") && !resp.contains("<timeout>"), resp);
            }
            assertEquals(0, origin.requests.size(), "nothing reached the origin");
        }
    }

    @Test
    void malformedChunkedBodyIs400AndTheSmuggledRequestNeverArrives() throws Exception {
        try (Origin origin = Origin.answering("x");
                ProxyFixture f = new ProxyFixture(to(HttpPeer.of(origin.address())))) {
            String resp = f.raw(
                    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "zz\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
                    5000);
            assertTrue(resp.startsWith("HTTP/1.1 400"), resp);
            assertTrue(origin.requests.stream().noneMatch(r -> r.target().equals("/smuggled")));
        }
    }

    @Test
    void anInvalidChunkAfterAValidOneInTheBodysFirst64KibNeverReachesTheOrigin() throws Exception {
        try (Origin origin = Origin.answering("x");
                ProxyFixture f = new ProxyFixture(to(HttpPeer.of(origin.address())));
                Socket s = new Socket(f.address.getAddress(), f.address.getPort())) {
            s.setSoTimeout(10_000);
            java.io.OutputStream out = s.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ProxyFixture.eventually(() -> f.proxy.openConnections() == 1, "the proxy read the head");
            out.write("zz\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(resp.startsWith("HTTP/1.1 400"), resp);
            assertEquals(0, origin.connections.get(), "no byte of the request reached the origin");
        }
    }

    @Test
    void aValidBodyThatArrivesInPiecesIsForwardedWhole() throws Exception {
        try (Origin origin = new Origin(r -> Origin.ok(new String(r.body(), StandardCharsets.US_ASCII)));
                ProxyFixture f = new ProxyFixture(to(HttpPeer.of(origin.address())));
                Socket s = new Socket(f.address.getAddress(), f.address.getPort())) {
            s.setSoTimeout(10_000);
            java.io.OutputStream out = s.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ProxyFixture.eventually(() -> f.proxy.openConnections() == 1, "the proxy read the head");
            out.write("world".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = Origin.readHead(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertEquals("helloworld", new String(s.getInputStream().readNBytes(10), StandardCharsets.US_ASCII));
        }
    }

    /** Opens a keep-alive connection and completes one request on it, so the proxy holds it idle. */
    static Socket idleKeepAlive(ProxyFixture f) throws IOException {
        Socket s = new Socket(f.address.getAddress(), f.address.getPort());
        s.setSoTimeout(10_000);
        s.getOutputStream().write("GET /warm HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String head = Origin.readHead(s.getInputStream());
        assertTrue(head != null && head.startsWith("HTTP/1.1 200"), head);
        int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        s.getInputStream().readNBytes(length);
        return s;
    }

    @Test
    void gracefulShutdownFinishesInFlightAndClosesIdleConnections() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Origin origin = new Origin(r -> {
            if (r.target().equals("/slow")) {
                arrived.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Origin.ok("done");
        })) {
            ProxyFixture f = new ProxyFixture(to(HttpPeer.of(origin.address())));
            ExecutorService threads = Executors.newCachedThreadPool();
            try (Socket idle = idleKeepAlive(f)) {
                CompletableFuture<ProxyFixture.Curl> slow = CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return ProxyFixture.curl("-i", f.url("/slow"));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        threads);
                assertTrue(arrived.await(10, TimeUnit.SECONDS));
                CompletableFuture<Void> stop = CompletableFuture.runAsync(f.server::shutdown, threads);
                assertEquals(-1, idle.getInputStream().read(), "idle keep-alive connection closed");
                ProxyFixture.eventually(
                        () -> {
                            try {
                                new Socket(f.address.getAddress(), f.address.getPort()).close();
                                return false;
                            } catch (IOException e) {
                                return true;
                            }
                        },
                        "no longer accepting");
                assertFalse(stop.isDone(), "waits for the request in flight");
                release.countDown();
                ProxyFixture.Curl c = slow.get(10, TimeUnit.SECONDS);
                assertTrue(
                        c.out().startsWith("HTTP/1.1 200")
                                && c.out().contains("Connection: close")
                                && c.out().endsWith("done"),
                        c.out());
                stop.get(10, TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void fastStopClosesEverything() throws Exception {
        try (Origin origin = Origin.answering("x")) {
            ProxyFixture f = new ProxyFixture(to(HttpPeer.of(origin.address())));
            try (Socket s = idleKeepAlive(f)) {
                f.server.shutdownNow();
                assertEquals(-1, s.getInputStream().read());
                assertThrows(IOException.class, () -> new Socket(f.address.getAddress(), f.address.getPort()).close());
            }
        }
    }
}
