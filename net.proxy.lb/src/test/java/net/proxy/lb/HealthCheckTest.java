package net.proxy.lb;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Health checks against real loopback servers. */
class HealthCheckTest {

    /** A one-thread HTTP server that answers every request with {@code status}. */
    static final class TinyHttp implements AutoCloseable {
        final ServerSocket server;
        volatile int status;
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final Thread thread;

        TinyHttp(int status) throws IOException {
            this.status = status;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.thread = new Thread(this::serve, "tiny-http");
            thread.setDaemon(true);
            thread.start();
        }

        Backend backend() {
            return Backend.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int c = in.read();
                        if (c < 0) {
                            break;
                        }
                        head.append((char) c);
                    }
                    requests.add(head.toString());
                    s.getOutputStream()
                            .write(("HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static Backend closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Backend.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()));
        }
    }

    @Test
    void tcpCheckPassesOnListeningPortAndFailsOnClosedOne() throws Exception {
        HealthCheck tcp =
                TcpHealthCheck.builder().timeout(Duration.ofSeconds(1)).build();
        try (TinyHttp up = new TinyHttp(200)) {
            assertDoesNotThrow(() -> tcp.check(up.backend()));
        }
        Backend dead = closedPort();
        assertThrows(IOException.class, () -> tcp.check(dead));
    }

    @Test
    void httpCheckSendsPathAndHostAndComparesStatus() throws Exception {
        HealthCheck http = HttpHealthCheck.builder()
                .path("/healthz")
                .host("api.test")
                .expectStatus(204)
                .build();
        try (TinyHttp up = new TinyHttp(204)) {
            http.check(up.backend());
            assertTrue(
                    up.requests.get(0).startsWith("GET /healthz HTTP/1.1\r\nHost: api.test\r\n"), up.requests.get(0));
            up.status = 500;
            IOException e = assertThrows(IOException.class, () -> http.check(up.backend()));
            assertTrue(e.getMessage().contains("status 500 (expected: 204)"), e.getMessage());
        }
    }

    @Test
    void backgroundServiceTakesDeadOriginOutAndBringsItBack() throws Exception {
        try (TinyHttp a = new TinyHttp(200);
                TinyHttp b = new TinyHttp(200)) {
            CountDownLatch down = new CountDownLatch(1);
            CountDownLatch up = new CountDownLatch(1);
            LoadBalancer lb = LoadBalancer.builder()
                    .backends(List.of(a.backend(), b.backend()))
                    .healthCheck(HttpHealthCheck.builder()
                            .interval(Duration.ofMillis(20))
                            .build())
                    .healthObserver((be, healthy) -> (healthy ? up : down).countDown())
                    .build();
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            try {
                lb.start(scheduler);
                a.status = 503;
                assertTrue(down.await(10, TimeUnit.SECONDS));
                assertEquals(b.backend(), lb.select(new byte[0]));
                assertEquals(b.backend(), lb.select(new byte[0]));
                a.status = 200;
                assertTrue(up.await(10, TimeUnit.SECONDS));
                assertTrue(lb.isReady(a.backend()));
            } finally {
                lb.close();
                scheduler.shutdownNow();
            }
        }
    }
}
