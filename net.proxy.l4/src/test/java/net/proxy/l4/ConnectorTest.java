package net.proxy.l4;

import static net.proxy.l4.Fixtures.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.LeakDetection;
import net.proxy.tls.TlsClientSettings;
import net.proxy.tls.TlsConnector;
import net.proxy.tls.TlsServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LeakDetection.class)
class ConnectorTest {
    private static Stream connect(Connector c, Peer p) throws Exception {
        return c.connect(p).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Writes a line and returns the echoed text, through a stream returned by a connector. */
    private static String roundTrip(Stream s, String text) throws Exception {
        CompletableFuture<String> echoed = new CompletableFuture<>();
        StringBuilder got = new StringBuilder();
        s.channel().pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                got.append(b.toString(StandardCharsets.UTF_8));
                b.release();
                if (got.length() >= text.length()) {
                    echoed.complete(got.toString());
                }
            }
        });
        s.resumeReading();
        s.channel().writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        try {
            return echoed.get(20, TimeUnit.SECONDS);
        } finally {
            s.close().sync();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void connectsOverTcpWithBindAddressAndKeepAliveAndOverUnixSockets(String kind, @TempDir Path dir) throws Exception {
        Path sock = dir.resolve("origin.sock");
        try (Transport t = Fixtures.transport(kind);
                Listener origin = Listener.builder(t)
                        .endpoint(Endpoint.tcp("127.0.0.1", 0))
                        .endpoint(Endpoint.unix(sock))
                        .handler(Fixtures.echo())
                        .build()
                        .start()) {
            Connector c = Connector.of(t);
            Stream tcp = connect(
                    c,
                    Peer.builder("127.0.0.1", port(origin))
                            .bindAddress(new InetSocketAddress("127.0.0.1", 0))
                            .keepAlive(new TcpKeepAlive(Duration.ofSeconds(60), Duration.ofSeconds(10), 5))
                            .build());
            assertEquals(StreamKind.TCP, tcp.kind());
            assertEquals(
                    "127.0.0.1",
                    ((InetSocketAddress) tcp.digest().localAddress())
                            .getAddress()
                            .getHostAddress());
            assertNotNull(tcp.digest().connectDuration());
            assertEquals("tcp", roundTrip(tcp, "tcp"));
            Stream unix =
                    connect(c, Peer.builder(UnixDomainSocketAddress.of(sock)).build());
            assertEquals(StreamKind.UNIX, unix.kind());
            assertEquals("unix", roundTrip(unix, "unix"));
        }
    }

    @Test
    void reportsRefusedConnectionsAndTotalTimeouts() throws Exception {
        try (Transport t = Fixtures.transport("nio")) {
            Connector c = Connector.of(t);
            int closed;
            try (Listener silent = Listener.builder(t)
                    .endpoint(Endpoint.tcp("127.0.0.1", 0))
                    .handler(s -> {})
                    .build()
                    .start()) {
                closed = port(silent);
            }
            ExecutionException refused = assertThrows(
                    ExecutionException.class,
                    () -> connect(c, Peer.builder("127.0.0.1", closed).build()));
            // Usually ECONNREFUSED (ConnectException); a port whose listener just closed can also answer the
            // SYN with a reset (seen on JDK 25), which surfaces as a plain SocketException naming the peer.
            SocketException failure = assertInstanceOf(SocketException.class, refused.getCause());
            assertTrue(
                    failure instanceof ConnectException || failure.getMessage().contains("127.0.0.1:" + closed),
                    failure.toString());
            try (Listener mute = Listener.builder(t)
                    .endpoint(Endpoint.tcp("127.0.0.1", 0))
                    .handler(s -> {})
                    .build()
                    .start()) {
                Peer tlsToMute = Peer.builder("127.0.0.1", port(mute))
                        .tls(TlsConnector.of(TlsClientSettings.builder()
                                .trustRoots(Fixtures.ca())
                                .build()))
                        .serverName("localhost")
                        .totalTimeout(Duration.ofMillis(300))
                        .build();
                ExecutionException timeout = assertThrows(ExecutionException.class, () -> connect(c, tlsToMute));
                ConnectTimeoutException cte = assertInstanceOf(ConnectTimeoutException.class, timeout.getCause());
                assertEquals(ConnectTimeoutException.Phase.TOTAL, cte.phase());
                assertTrue(cte.getMessage().startsWith("total connect timeout PT0.3S to "), cte.getMessage());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void virtualStreamsCarryTlsAndProxyProtocolEndToEnd(String engine) throws Exception {
        BlockingQueue<Stream> accepted = new LinkedBlockingQueue<>();
        java.net.SocketAddress name = PipeTransport.address("connector-test-" + engine);
        try (PipeTransport pipe = PipeTransport.create();
                Transport t = Fixtures.transport("nio");
                Listener origin = Listener.builder(t)
                        .endpoint(Endpoint.virtual(pipe, name))
                        .proxyProtocol(true)
                        .tls(TlsServerSettings.builder()
                                .engine(engine)
                                .certificate(Fixtures.serverCert())
                                .build())
                        .handler(s -> {
                            accepted.add(s);
                            Fixtures.echo().onStream(s);
                        })
                        .build()
                        .start()) {
            Peer peer = Peer.builder(name)
                    .transport(pipe)
                    .proxyProtocol(ProxyProtocol.V1)
                    .tls(TlsConnector.of(TlsClientSettings.builder()
                            .engine(engine)
                            .trustRoots(Fixtures.ca())
                            .build()))
                    .serverName("ec.test")
                    .build();
            assertEquals(name, Fixtures.address(origin));
            Stream up = connect(Connector.of(t), peer);
            assertEquals(StreamKind.VIRTUAL, up.kind());
            assertEquals("pipe", up.digest().transport());
            assertEquals(engine, up.digest().tls().engine());
            assertEquals("over a pipe", roundTrip(up, "over a pipe"));
            Stream down = accepted.poll(10, TimeUnit.SECONDS);
            assertEquals(StreamKind.VIRTUAL, down.kind());
            assertEquals("ec.test", down.digest().tls().serverName());
            assertTrue(down.digest().proxyHeader().local(), "no downstream: the v1 header says UNKNOWN");
        }
    }

    @Test
    void validatesPeers() {
        assertEquals(
                "connectTimeout: PT0S (expected: > 0)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Peer.builder("127.0.0.1", 1).connectTimeout(Duration.ZERO))
                        .getMessage());
        TlsConnector tls = TlsConnector.of(TlsClientSettings.defaults());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> Peer.builder(PipeTransport.address("x")).tls(tls).build())
                .getMessage()
                .startsWith("serverName: not set"));
        assertEquals(
                "127.0.0.1", Peer.builder("127.0.0.1", 443).tls(tls).build().serverName());
    }
}
