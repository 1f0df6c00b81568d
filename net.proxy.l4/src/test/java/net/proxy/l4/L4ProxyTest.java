package net.proxy.l4;

import static net.proxy.l4.Fixtures.port;
import static net.proxy.l4.Fixtures.readN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import net.proxy.testkit.LeakDetection;
import net.proxy.tls.TlsClientSettings;
import net.proxy.tls.TlsConnector;
import net.proxy.tls.TlsDigest;
import net.proxy.tls.TlsServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LeakDetection.class)
class L4ProxyTest {
    private static final int MIB = 1 << 20;

    private static Listener proxy(Transport t, L4Proxy proxy) {
        return Listener.builder(t)
                .endpoint(Endpoint.tcp("127.0.0.1", 0))
                .handler(proxy)
                .build()
                .start();
    }

    private static Listener echoOrigin(Transport t) {
        return Listener.builder(t)
                .endpoint(Endpoint.tcp("127.0.0.1", 0))
                .handler(Fixtures.echo())
                .build()
                .start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void pumpsLargeTransfersBothWaysWithMatchingChecksums(String kind) throws Exception {
        try (Transport t = Fixtures.transport(kind);
                Listener origin = echoOrigin(t)) {
            L4Proxy l4 = L4Proxy.builder(Connector.of(t))
                    .upstream(Peer.builder("127.0.0.1", port(origin)).build())
                    .build();
            try (Listener front = proxy(t, l4);
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), port(front))) {
                int size = 48 * MIB;
                MessageDigest sent = MessageDigest.getInstance("SHA-256");
                CompletableFuture<byte[]> writer = CompletableFuture.supplyAsync(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        Random r = new Random(42);
                        byte[] chunk = new byte[64 * 1024];
                        for (int n = 0; n < size; n += chunk.length) {
                            r.nextBytes(chunk);
                            sent.update(chunk);
                            out.write(chunk);
                        }
                        out.flush();
                        return sent.digest();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                MessageDigest received = MessageDigest.getInstance("SHA-256");
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                while (total < size) {
                    int n = in.read(buf);
                    assertTrue(n > 0, "stream ended after " + total + " bytes");
                    received.update(buf, 0, n);
                    total += n;
                }
                assertArrayEquals(writer.get(60, TimeUnit.SECONDS), received.digest());
                assertEquals(size, l4.stats().bytesUpstream());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void propagatesHalfCloseSoTheOriginCanAnswerAfterEof(String kind) throws Exception {
        try (Transport t = Fixtures.transport(kind);
                ServerSocket origin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> originDone = CompletableFuture.runAsync(() -> {
                try (Socket c = origin.accept()) {
                    byte[] all = c.getInputStream().readAllBytes();
                    c.getOutputStream().write(("got " + all.length).getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            L4Proxy l4 = L4Proxy.builder(Connector.of(t))
                    .upstream(Peer.builder("127.0.0.1", origin.getLocalPort()).build())
                    .build();
            try (Listener front = proxy(t, l4);
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), port(front))) {
                s.getOutputStream().write(new byte[12345]);
                s.shutdownOutput();
                assertEquals("got 12345", new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                originDone.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void closesIdleSessionsAndRefusedUpstreams() throws Exception {
        try (Transport t = Fixtures.transport("nio");
                Listener origin = echoOrigin(t)) {
            L4Proxy idle = L4Proxy.builder(Connector.of(t))
                    .upstream(Peer.builder("127.0.0.1", port(origin)).build())
                    .idleTimeout(Duration.ofMillis(200))
                    .build();
            try (Listener front = proxy(t, idle);
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), port(front))) {
                s.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
                assertEquals('x', s.getInputStream().read());
                s.setSoTimeout(10_000);
                assertEquals(-1, s.getInputStream().read(), "closed after 200 ms without traffic");
            }
            int closedPort;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = probe.getLocalPort();
            }
            L4Proxy refused = L4Proxy.builder(Connector.of(t))
                    .upstream(Peer.builder("127.0.0.1", closedPort).build())
                    .build();
            try (Listener front = proxy(t, refused);
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), port(front))) {
                Fixtures.assertClosedWithoutData(s);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (refused.stats().connectFailures() == 0 && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                assertEquals(1, refused.stats().connectFailures());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void terminatesTlsAndForwardsPlaintextWithProxyProtocol(String engine) throws Exception {
        BlockingQueue<Stream> atOrigin = new LinkedBlockingQueue<>();
        try (Transport t = Fixtures.transport("nio");
                Listener origin = Listener.builder(t)
                        .endpoint(Endpoint.tcp("127.0.0.1", 0))
                        .proxyProtocol(true)
                        .handler(s -> {
                            atOrigin.add(s);
                            Fixtures.echo().onStream(s);
                        })
                        .build()
                        .start()) {
            L4Proxy l4 = L4Proxy.builder(Connector.of(t))
                    .upstream(Peer.builder("127.0.0.1", port(origin))
                            .proxyProtocol(ProxyProtocol.V2)
                            .build())
                    .build();
            try (Listener front = Listener.builder(t)
                            .endpoint(Endpoint.tcp("127.0.0.1", 0))
                            .tls(TlsServerSettings.builder()
                                    .engine(engine)
                                    .certificate(Fixtures.serverCert())
                                    .build())
                            .handler(l4)
                            .build()
                            .start();
                    SSLSocket s = (SSLSocket) Fixtures.clientSockets().createSocket("localhost", port(front))) {
                s.getOutputStream().write("through tls".getBytes(StandardCharsets.US_ASCII));
                assertEquals("through tls", new String(readN(s.getInputStream(), 11), StandardCharsets.US_ASCII));
                Stream o = atOrigin.poll(10, TimeUnit.SECONDS);
                assertEquals(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()),
                        o.digest().clientAddress());
                assertEquals(port(front), o.digest().proxyHeader().destination().getPort());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void passesTlsThroughAndOriginatesTlsUpstream(String engine) throws Exception {
        BlockingQueue<Stream> atOrigin = new LinkedBlockingQueue<>();
        try (Transport t = Fixtures.transport("nio");
                Listener tlsOrigin = Listener.builder(t)
                        .endpoint(Endpoint.tcp("127.0.0.1", 0))
                        .tls(TlsServerSettings.builder()
                                .engine(engine)
                                .certificate(Fixtures.serverCert())
                                .alpn("x-echo")
                                .build())
                        .handler(s -> {
                            atOrigin.add(s);
                            Fixtures.echo().onStream(s);
                        })
                        .build()
                        .start()) {
            L4Proxy passThrough = L4Proxy.builder(Connector.of(t))
                    .upstream(Peer.builder("127.0.0.1", port(tlsOrigin)).build())
                    .build();
            try (Listener front = proxy(t, passThrough);
                    SSLSocket s = Fixtures.tlsClient(port(front), "ec.test")) {
                s.getOutputStream().write("end to end".getBytes(StandardCharsets.US_ASCII));
                assertEquals("end to end", new String(readN(s.getInputStream(), 10), StandardCharsets.US_ASCII));
                assertEquals(
                        "ec.test",
                        atOrigin.poll(10, TimeUnit.SECONDS).digest().tls().serverName());
            }
            TlsConnector upstreamTls = TlsConnector.of(TlsClientSettings.builder()
                    .engine(engine)
                    .trustRoots(Fixtures.ca())
                    .alpn("x-echo")
                    .build());
            L4Proxy originate = L4Proxy.builder(Connector.of(t))
                    .upstream(Peer.builder("127.0.0.1", port(tlsOrigin))
                            .tls(upstreamTls)
                            .serverName("ec.test")
                            .build())
                    .build();
            try (Listener front = proxy(t, originate);
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), port(front))) {
                s.getOutputStream().write("plain in".getBytes(StandardCharsets.US_ASCII));
                assertEquals("plain in", new String(readN(s.getInputStream(), 8), StandardCharsets.US_ASCII));
                TlsDigest d = atOrigin.poll(10, TimeUnit.SECONDS).digest().tls();
                assertEquals("ec.test", d.serverName());
                assertEquals("x-echo", d.applicationProtocol());
                assertEquals(engine, d.engine());
            }
        }
    }
}
