package net.proxy.l4;

import static net.proxy.l4.Fixtures.port;
import static net.proxy.l4.Fixtures.readN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import net.proxy.testkit.LeakDetection;
import net.proxy.tls.TlsServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LeakDetection.class)
class ListenerTest {
    private final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();

    private StreamHandler recordingEcho() {
        StreamHandler echo = Fixtures.echo();
        return s -> {
            streams.add(s);
            echo.onStream(s);
        };
    }

    private Stream nextStream() throws InterruptedException {
        Stream s = streams.poll(10, TimeUnit.SECONDS);
        assertNotNull(s, "no stream was handed over");
        return s;
    }

    private static void assertEchoes(Socket socket, String text) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertEquals(text, new String(readN(socket.getInputStream(), text.length()), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void acceptsTcpOnIpv4AndIpv6WithADigest(String kind) throws Exception {
        try (Transport t = Fixtures.transport(kind);
                Listener l = Listener.builder(t)
                        .endpoint(Endpoint.tcp("127.0.0.1", 0))
                        .endpoint(Endpoint.tcp("::1", 0))
                        .handler(recordingEcho())
                        .build()
                        .start()) {
            for (InetSocketAddress a :
                    List.of((InetSocketAddress) l.localAddresses().get(0), (InetSocketAddress)
                            l.localAddresses().get(1))) {
                try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                    assertEchoes(s, "hello " + a);
                    StreamDigest d = nextStream().digest();
                    assertEquals(StreamKind.TCP, d.kind());
                    assertEquals(kind, d.transport());
                    assertEquals(s.getLocalPort(), ((InetSocketAddress) d.remoteAddress()).getPort());
                    assertEquals(a.getPort(), ((InetSocketAddress) d.localAddress()).getPort());
                    assertNull(d.tls());
                    assertNull(d.connectDuration());
                }
            }
            Fixtures.awaitStats(l, new ListenerStats(2, 0, 0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void deniedAddressIsClosedBeforeAnyHandshake(String kind) throws Exception {
        AtomicInteger handshakes = new AtomicInteger();
        TlsServerSettings tls = TlsServerSettings.builder()
                .certificate(Fixtures.serverCert())
                .certificateSelector(hello -> {
                    handshakes.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                })
                .build();
        ConnectionFilter slowDeny = (remote, local) -> CompletableFuture.supplyAsync(
                        () -> ConnectionFilter.denying(List.of(Cidr.parse("127.0.0.0/8"))))
                .thenCompose(f -> f.shouldAccept(remote, local));
        try (Transport t = Fixtures.transport(kind);
                Listener l = Listener.builder(t)
                        .endpoint(Endpoint.tcp("127.0.0.1", 0))
                        .endpoint(Endpoint.tcp("::1", 0))
                        .tls(tls)
                        .filter(slowDeny)
                        .handler(recordingEcho())
                        .build()
                        .start()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(l))) {
                s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5});
                Fixtures.assertClosedWithoutData(s);
            }
            InetSocketAddress v6 = (InetSocketAddress) l.localAddresses().get(1);
            try (SSLSocket s = (SSLSocket) Fixtures.clientSockets().createSocket(v6.getAddress(), v6.getPort())) {
                s.startHandshake();
                assertEchoes(s, "v6 is not denied");
            }
            assertEquals(1, handshakes.get(), "only the accepted client reached the certificate selector");
            Fixtures.awaitStats(l, new ListenerStats(1, 1, 0));
        }
    }

    @Test
    void parsesProxyProtocolV1AndV2AndFiltersOnTheRealClient() throws Exception {
        ConnectionFilter denyV4 = ConnectionFilter.denying(List.of(Cidr.parse("127.0.0.1/32")));
        try (Transport t = Fixtures.transport("nio");
                Listener l = Listener.builder(t)
                        .endpoint(Endpoint.tcp("127.0.0.1", 0))
                        .proxyProtocol(true)
                        .filter(denyV4)
                        .handler(recordingEcho())
                        .build()
                        .start()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(l))) {
                s.getOutputStream()
                        .write("PROXY TCP6 ::1 ::1 4444 443\r\nafter-v1".getBytes(StandardCharsets.US_ASCII));
                assertEquals("after-v1", new String(readN(s.getInputStream(), 8), StandardCharsets.US_ASCII));
                StreamDigest d = nextStream().digest();
                assertEquals(
                        new ProxyHeader(
                                1, false, new InetSocketAddress("::1", 4444), new InetSocketAddress("::1", 443)),
                        d.proxyHeader());
                assertEquals(new InetSocketAddress("::1", 4444), d.clientAddress());
            }
            byte[] v2 = HexFormat.of()
                    .parseHex("0d0a0d0a000d0a515549540a" + "21" + "21" + "0024" + "00000000000000000000000000000001"
                            + "00000000000000000000000000000001" + "1f90" + "01bb");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(l))) {
                OutputStream out = s.getOutputStream();
                out.write(v2);
                out.write("after-v2".getBytes(StandardCharsets.US_ASCII));
                assertEquals("after-v2", new String(readN(s.getInputStream(), 8), StandardCharsets.US_ASCII));
                ProxyHeader h = nextStream().digest().proxyHeader();
                assertEquals(2, h.version());
                assertEquals(8080, h.source().getPort());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(l))) {
                s.getOutputStream()
                        .write("PROXY TCP4 127.0.0.1 127.0.0.1 5555 443\r\nx".getBytes(StandardCharsets.US_ASCII));
                Fixtures.assertClosedWithoutData(s); // the filter saw the proxied 127.0.0.1 and denied it
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(l))) {
                s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                Fixtures.assertClosedWithoutData(s); // no PROXY header
            }
            Fixtures.awaitStats(l, new ListenerStats(2, 1, 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void acceptsUnixDomainSockets(String kind, @TempDir Path dir) throws Exception {
        Path socket = dir.resolve("l4.sock");
        try (Transport t = Fixtures.transport(kind);
                Listener l = Listener.builder(t)
                        .endpoint(Endpoint.unix(socket))
                        .handler(recordingEcho())
                        .build()
                        .start();
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertEquals(1, l.localAddresses().size());
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("unix".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer in = ByteBuffer.allocate(4);
            while (in.hasRemaining() && ch.read(in) >= 0) {
                // Reading the echo.
            }
            assertArrayEquals("unix".getBytes(StandardCharsets.US_ASCII), in.array());
            assertEquals(StreamKind.UNIX, nextStream().kind());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void bindsTwiceWithReusePortAndToleratesMissingFastOpen(String kind) throws Exception {
        try (Transport t = Fixtures.transport(kind);
                Listener first = Listener.builder(t)
                        .endpoint(Endpoint.tcp(
                                new InetSocketAddress("127.0.0.1", 0),
                                TcpOptions.DEFAULTS.withReusePort(true).withFastOpen(16)))
                        .handler(recordingEcho())
                        .build()
                        .start();
                Listener second = Listener.builder(t)
                        .endpoint(Endpoint.tcp(
                                new InetSocketAddress("127.0.0.1", port(first)),
                                TcpOptions.DEFAULTS
                                        .withReusePort(true)
                                        .withKeepAlive(new TcpKeepAlive(
                                                java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(5), 3))))
                        .handler(recordingEcho())
                        .build()
                        .start()) {
            assertEquals(port(first), port(second));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(first))) {
                assertEchoes(s, "either listener answers");
            }
        }
    }

    @Test
    void validatesTheBuilderEagerly() {
        try (Transport t = Fixtures.transport("nio")) {
            assertEquals(
                    "endpoints: none (expected: at least one)",
                    org.junit.jupiter.api.Assertions.assertThrows(
                                    IllegalArgumentException.class,
                                    () -> Listener.builder(t).handler(s -> {}).build())
                            .getMessage());
            assertEquals(
                    "backlog: 0 (expected: >= 1)",
                    org.junit.jupiter.api.Assertions.assertThrows(
                                    IllegalArgumentException.class, () -> TcpOptions.DEFAULTS.withBacklog(0))
                            .getMessage());
            assertTrue(org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class, () -> {
                        try (Listener a = Listener.builder(t)
                                .endpoint(Endpoint.tcp("127.0.0.1", 0))
                                .handler(s -> {})
                                .build()
                                .start()) {
                            Listener.builder(t)
                                    .endpoint(Endpoint.tcp("127.0.0.1", port(a)))
                                    .handler(s -> {})
                                    .build()
                                    .start();
                        }
                    })
                    .getMessage()
                    .contains("cannot listen on"));
        }
    }
}
