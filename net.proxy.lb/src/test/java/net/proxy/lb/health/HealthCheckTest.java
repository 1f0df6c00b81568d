package net.proxy.lb.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import net.proxy.http.HttpParseException;
import net.proxy.l4.Peer;
import net.proxy.l4.Transport;
import net.proxy.lb.Backend;
import net.proxy.lb.HealthCheck;
import net.proxy.lb.LoadBalancer;
import net.proxy.lb.ManualScheduler;
import net.proxy.testkit.LeakDetection;
import net.proxy.tls.Pem;
import net.proxy.tls.TlsClientSettings;
import net.proxy.tls.TlsConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Health checks against real loopback servers, plain and TLS. */
@ExtendWith(LeakDetection.class)
class HealthCheckTest {
    /** The certificates made by net.proxy.tls/src/test/resources/net/proxy/tls/certs/generate.sh. */
    static final Path CERTS =
            Path.of("../net.proxy.tls/src/test/resources/net/proxy/tls/certs").toAbsolutePath();

    /**
     * A one-thread HTTP server that answers every request with {@code status}, or with the bytes of {@code raw} when
     * set, then closes the connection; with {@code silent} it answers nothing; with {@code hold} (or {@code silent})
     * it keeps the connection open until the client closes it, so a check that hangs would show as a timeout.
     */
    static final class TinyHttp implements AutoCloseable {
        final ServerSocket server;
        volatile int status;
        volatile String raw;
        volatile boolean silent;
        volatile boolean hold;
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final Thread thread;

        TinyHttp(int status) throws IOException {
            this(status, ServerSocketFactory.getDefault());
        }

        TinyHttp(int status, ServerSocketFactory sockets) throws IOException {
            this.status = status;
            this.server = sockets.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
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
                    String reply = raw;
                    if (!silent) {
                        s.getOutputStream()
                                .write((reply != null
                                                ? reply
                                                : "HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\n\r\n")
                                        .getBytes(StandardCharsets.ISO_8859_1));
                        s.getOutputStream().flush();
                    }
                    if (silent || hold) {
                        while (in.read() >= 0) {
                            // discard
                        }
                    }
                } catch (IOException e) {
                    if (server.isClosed()) {
                        return;
                    }
                    // one client failed (a refused TLS handshake, a reset): serve the next
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** TLS server sockets with the rsa.test certificate, issued by the test CA. */
    static ServerSocketFactory tlsSockets() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(CERTS.resolve("server-rsa.p12"))) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx.getServerSocketFactory();
    }

    /** Peers that speak TLS to rsa.test, trusting the roots in {@code caFile}. */
    static HttpHealthCheckBuilder tls(HttpHealthCheckBuilder b, String caFile) {
        TlsConnector tls = TlsConnector.of(TlsClientSettings.builder()
                .trustRoots(Pem.certificates(CERTS.resolve(caFile)))
                .build());
        return b.peers(backend ->
                Peer.builder(backend.address()).tls(tls).serverName("rsa.test").build());
    }

    static Backend closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Backend.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()));
        }
    }

    /** Waits (boundedly) for a check that must pass. */
    static void passes(HealthCheck check, Backend backend) throws Exception {
        check.check(backend).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Waits (boundedly) for a check that must fail, and returns why. */
    static Throwable fails(HealthCheck check, Backend backend) {
        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> check.check(backend).toCompletableFuture().get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void tcpCheckPassesOnListeningPortAndFailsOnClosedOne() throws Exception {
        try (HealthCheck tcp =
                TcpHealthCheck.builder().timeout(Duration.ofSeconds(1)).build()) {
            try (TinyHttp up = new TinyHttp(200)) {
                passes(tcp, up.backend());
            }
            Backend dead = closedPort();
            Throwable e = assertInstanceOf(IOException.class, fails(tcp, dead));
            assertTrue(e.getMessage().startsWith("TCP health check on " + dead + ": connect failed: "), e.getMessage());
            assertInstanceOf(ConnectException.class, e.getCause());
        }
    }

    @Test
    void httpCheckSendsPathAndHostAndComparesStatus() throws Exception {
        try (HealthCheck http = HttpHealthCheck.builder()
                        .path("/healthz")
                        .host("api.test")
                        .expectStatus(204)
                        .build();
                TinyHttp up = new TinyHttp(204)) {
            passes(http, up.backend());
            assertTrue(
                    up.requests.get(0).startsWith("GET /healthz HTTP/1.1\r\nHost: api.test\r\n"), up.requests.get(0));
            up.status = 500;
            Throwable e = assertInstanceOf(IOException.class, fails(http, up.backend()));
            assertTrue(e.getMessage().contains("status 500 (expected: 204)"), e.getMessage());
        }
    }

    @Test
    void httpCheckFailsOnAnotherStatusNamingCheckAndBackend() throws Exception {
        try (HealthCheck http = HttpHealthCheck.builder().build();
                TinyHttp up = new TinyHttp(503)) {
            Throwable e = assertInstanceOf(IOException.class, fails(http, up.backend()));
            assertEquals("HTTP health check GET / on " + up.backend() + ": status 503 (expected: 200)", e.getMessage());
            assertTrue(
                    up.requests
                            .get(0)
                            .matches("GET / HTTP/1\\.1\r\nHost: 127\\.0\\.0\\.1:\\d+\r\n"
                                    + "User-Agent: net\\.proxy-health-check\r\nConnection: close\r\n\r\n"),
                    up.requests.get(0));
        }
    }

    @Test
    void httpsCheckSpeaksTlsWhenThePeerHasTlsSettings() throws Exception {
        try (TinyHttp up = new TinyHttp(200, tlsSockets());
                HealthCheck https =
                        tls(HttpHealthCheck.builder().path("/tls"), "ca.pem").build();
                HealthCheck untrusting = tls(HttpHealthCheck.builder().path("/tls"), "other-ca.pem")
                        .build()) {
            passes(https, up.backend());
            assertTrue(up.requests.get(0).startsWith("GET /tls HTTP/1.1\r\n"), up.requests.get(0));
            up.status = 503;
            Throwable e = assertInstanceOf(IOException.class, fails(https, up.backend()));
            assertEquals(
                    "HTTPS health check GET /tls on " + up.backend() + ": status 503 (expected: 200)", e.getMessage());
            up.status = 200;
            e = assertInstanceOf(IOException.class, fails(untrusting, up.backend()));
            assertTrue(e.getMessage().contains(": TLS handshake failed: "), e.getMessage());
            assertEquals(2, up.requests.size(), "no request after a refused certificate");
        }
    }

    @Test
    void garbageResponseFailsAtOnceWithTheParsersReason() throws Exception {
        try (HealthCheck http = HttpHealthCheck.builder()
                        .timeout(Duration.ofSeconds(60))
                        .build();
                TinyHttp up = new TinyHttp(200)) {
            up.raw = "SSH-2.0-OpenSSH_9.6\r\n";
            Throwable e = assertInstanceOf(IOException.class, fails(http, up.backend()));
            assertTrue(
                    e.getMessage().startsWith("HTTP health check GET / on " + up.backend() + ": malformed response: "),
                    e.getMessage());
            assertInstanceOf(HttpParseException.class, e.getCause());
        }
    }

    @Test
    void connectionClosedBeforeTheHeadFails() throws Exception {
        try (HealthCheck http = HttpHealthCheck.builder()
                        .timeout(Duration.ofSeconds(60))
                        .build();
                TinyHttp up = new TinyHttp(200)) {
            up.raw = "HTTP/1.1 200 OK\r\nContent-";
            Throwable e = assertInstanceOf(IOException.class, fails(http, up.backend()));
            assertEquals(
                    "HTTP health check GET / on " + up.backend()
                            + ": connection closed before a complete response head",
                    e.getMessage());
        }
    }

    @Test
    void httpCheckFailsOnConnectRefusal() throws Exception {
        Backend dead = closedPort();
        try (HealthCheck http = HttpHealthCheck.builder().path("/healthz").build()) {
            Throwable e = assertInstanceOf(IOException.class, fails(http, dead));
            assertTrue(
                    e.getMessage().startsWith("HTTP health check GET /healthz on " + dead + ": connect failed: "),
                    e.getMessage());
            assertInstanceOf(ConnectException.class, e.getCause());
        }
    }

    @Test
    void aBackendThatNeverAnswersFailsWhenTheTimeoutElapses() throws Exception {
        try (HealthCheck http = HttpHealthCheck.builder()
                        .timeout(Duration.ofMillis(200))
                        .build();
                TinyHttp up = new TinyHttp(200)) {
            up.silent = true;
            Throwable e = assertInstanceOf(SocketTimeoutException.class, fails(http, up.backend()));
            assertEquals("HTTP health check GET / on " + up.backend() + ": no answer within PT0.2S", e.getMessage());
        }
    }

    @Test
    void informationalResponsesAreSkippedAndHeadsMayArriveInPieces() throws Exception {
        try (HealthCheck http = HttpHealthCheck.builder().build();
                TinyHttp up = new TinyHttp(200)) {
            up.raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
            up.hold = true;
            passes(http, up.backend());
            up.raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n";
            Throwable e = fails(http, up.backend());
            assertTrue(e.getMessage().endsWith(": status 500 (expected: 200)"), e.getMessage());
        }
    }

    @Test
    void aGivenTransportIsUsedAndLeftOpen() throws Exception {
        try (Transport transport = Transport.create(1, false);
                TinyHttp up = new TinyHttp(200)) {
            HealthCheck tcp = TcpHealthCheck.builder().transport(transport).build();
            passes(tcp, up.backend());
            tcp.close();
            assertFalse(transport.group().isShuttingDown(), "the check never closes a transport it was given");
            passes(tcp, up.backend());
        }
    }

    @Test
    void aClosedCheckStartsAFreshEventLoopOnItsNextCheck() throws Exception {
        HealthCheck tcp = TcpHealthCheck.builder().build();
        try (TinyHttp up = new TinyHttp(200)) {
            passes(tcp, up.backend());
            tcp.close();
            passes(tcp, up.backend());
        } finally {
            tcp.close();
        }
    }

    @Test
    void aPeersFunctionThatFailsFailsTheCheckInsteadOfThrowing() throws Exception {
        Backend b = closedPort();
        try (HealthCheck nullPeer = HttpHealthCheck.builder().peers(x -> null).build();
                HealthCheck throwing = TcpHealthCheck.builder()
                        .peers(x -> {
                            throw new IllegalStateException("no TLS name for " + x);
                        })
                        .build()) {
            Throwable e = assertInstanceOf(IOException.class, fails(nullPeer, b));
            assertEquals("health check on " + b + ": no peer for the backend: peers returned null", e.getMessage());
            e = assertInstanceOf(IOException.class, fails(throwing, b));
            assertEquals("health check on " + b + ": no peer for the backend: no TLS name for " + b, e.getMessage());
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
            ManualScheduler scheduler = new ManualScheduler();
            try {
                lb.start(scheduler);
                scheduler.runDue();
                assertEquals(2, a.requests.size() + b.requests.size(), "the first round runs at once");
                a.status = 503;
                scheduler.advance(Duration.ofMillis(20));
                assertTrue(down.await(10, TimeUnit.SECONDS));
                assertEquals(b.backend(), lb.select(new byte[0]));
                assertEquals(b.backend(), lb.select(new byte[0]));
                a.status = 200;
                scheduler.advance(Duration.ofMillis(20));
                assertTrue(up.await(10, TimeUnit.SECONDS));
                assertTrue(lb.isReady(a.backend()));
            } finally {
                lb.close();
            }
        }
    }
}
