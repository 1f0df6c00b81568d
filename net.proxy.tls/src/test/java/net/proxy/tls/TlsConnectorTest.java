package net.proxy.tls;

import static net.proxy.tls.TestCerts.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Client-side (upstream) handshakes against openssl s_server and our own acceptor. */
@ExtendWith(LeakDetection.class)
class TlsConnectorTest {
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static TlsDigest handshake(TlsConnector connector, int port, String serverName) throws Exception {
        Channel ch = new Bootstrap()
                .group(GROUP)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {}
                })
                .connect(new InetSocketAddress("127.0.0.1", port))
                .sync()
                .channel();
        try {
            CompletableFuture<TlsDigest> f = new CompletableFuture<>();
            ch.eventLoop()
                    .execute(() -> connector.handshake(ch, serverName).whenComplete((d, e) -> {
                        if (e != null) {
                            f.completeExceptionally(e);
                        } else {
                            f.complete(d);
                        }
                    }));
            TlsDigest d = f.get(20, TimeUnit.SECONDS);
            assertEquals(d, TlsAcceptor.digest(ch).orElseThrow());
            return d;
        } finally {
            ch.close().sync();
        }
    }

    private static TlsClientSettingsBuilder trusting(String engine) {
        return TlsClientSettings.builder().engine(engine).trustRoots(TestCerts.ca());
    }

    private static TlsServerSettings server(String engine) {
        return TlsServerSettings.builder()
                .engine(engine)
                .certificate(TestCerts.serverEc())
                .build();
    }

    /** Starts openssl s_server for one connection and waits for its readiness line. */
    private static Process sServer(int port, String... args) throws Exception {
        String openssl = Peers.require("openssl").toString();
        List<String> cmd = new java.util.ArrayList<>(
                List.of(openssl, "s_server", "-accept", "127.0.0.1:" + port, "-naccept", "1"));
        cmd.addAll(List.of(args));
        Process s = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("ACCEPT")) {
            // Waiting for the server's readiness line.
        }
        return s;
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void negotiatesH2WithOpensslServer(String engine) throws Exception {
        int port = freePort();
        Process s = sServer(
                port,
                "-cert",
                file("server-ec.pem").toString(),
                "-key",
                file("server-ec.key").toString(),
                "-alpn",
                "h2");
        try {
            TlsDigest d = handshake(
                    TlsConnector.of(trusting(engine).alpn("h2", "http/1.1").build()), port, "localhost");
            assertEquals("h2", d.applicationProtocol());
            assertEquals("TLSv1.3", d.protocol());
            assertEquals("CN=localhost", d.peerCertificate().orElseThrow().subject());
        } finally {
            s.destroy();
            s.waitFor();
        }
    }

    /**
     * Regression: Netty's ALPN wrapper engine failed the handshake when Conscrypt reported that the
     * server selected no protocol ({@code null}); s_server's SNI-switched second context has no ALPN.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void sendsSniAndCompletesWhenServerSelectsNoAlpn(String engine) throws Exception {
        int port = freePort();
        Process s = sServer(
                port,
                "-cert",
                file("server-rsa.pem").toString(),
                "-key",
                file("server-rsa.key").toString(),
                "-servername",
                "ec.test",
                "-cert2",
                file("server-ec.pem").toString(),
                "-key2",
                file("server-ec.key").toString());
        try {
            // s_server presents the ec.test certificate only when that SNI arrives; verification proves it.
            TlsDigest d = handshake(TlsConnector.of(trusting(engine).alpn("h2").build()), port, "ec.test");
            assertEquals(null, d.applicationProtocol());
            assertEquals("ec.test", d.serverName());
            assertEquals("CN=localhost", d.peerCertificate().orElseThrow().subject());
        } finally {
            s.destroy();
            s.waitFor();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void rejectsHostnameMismatchUnlessHostnameCheckIsOff(String engine) throws Exception {
        try (TlsTestServer server = new TlsTestServer(server(engine))) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> handshake(TlsConnector.of(trusting(engine).build()), server.port(), "wrong.test"));
            assertInstanceOf(SSLHandshakeException.class, rootOrSsl(e), e.toString());
            TlsDigest ok = handshake(
                    TlsConnector.of(trusting(engine).verifyHostname(false).build()), server.port(), "wrong.test");
            assertEquals(engine, ok.engine());
            TlsDigest ip = handshake(TlsConnector.of(trusting(engine).build()), server.port(), "127.0.0.1");
            assertEquals(null, ip.serverName(), "no SNI for IP literals; the IP SAN is verified");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void rejectsUntrustedServersUnlessVerificationIsOff(String engine) throws Exception {
        try (TlsTestServer server = new TlsTestServer(server(engine))) {
            TlsClientSettings foreign = TlsClientSettings.builder()
                    .engine(engine)
                    .trustRoots(TestCerts.otherCa())
                    .build();
            assertThrows(
                    ExecutionException.class, () -> handshake(TlsConnector.of(foreign), server.port(), "localhost"));
            TlsClientSettings defaults =
                    TlsClientSettings.builder().engine(engine).build();
            assertThrows(
                    ExecutionException.class, () -> handshake(TlsConnector.of(defaults), server.port(), "localhost"));
            TlsClientSettings off = TlsClientSettings.builder()
                    .engine(engine)
                    .verifyCertificate(false)
                    .build();
            assertEquals(
                    "localhost",
                    handshake(TlsConnector.of(off), server.port(), "localhost").serverName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void presentsClientCertificateForUpstreamMutualTls(String engine) throws Exception {
        TlsServerSettings mtls = TlsServerSettings.builder()
                .engine(engine)
                .certificate(TestCerts.serverEc())
                .clientAuth(ClientAuth.REQUIRED)
                .trustedClientRoots(TestCerts.ca())
                .build();
        try (TlsTestServer server = new TlsTestServer(mtls)) {
            TlsConnector withCert = TlsConnector.of(trusting(engine)
                    .clientCertificate(TestCerts.client())
                    .onHandshakeComplete(d -> 42)
                    .build());
            // s_server presents the ec.test certificate only when that SNI arrives; verification proves it.
            TlsDigest d = handshake(withCert, server.port(), "localhost");
            assertEquals(42, d.extension(Integer.class).orElseThrow());
            assertEquals(
                    "CN=client-one",
                    server.nextDigest().peerCertificate().orElseThrow().subject());
            TlsConnector without = TlsConnector.of(
                    trusting(engine).versions(TlsVersion.TLS_1_2).build());
            assertThrows(ExecutionException.class, () -> handshake(without, server.port(), "localhost"));
            server.nextFailure();
        }
    }

    @Test
    void rejectsEmptyServerName() {
        TlsConnector c = TlsConnector.of(TlsClientSettings.defaults());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.handshake(null, ""))
                .getMessage()
                .startsWith("serverName: empty"));
        assertEquals(List.of(), c.settings().alpn());
    }

    private static Throwable rootOrSsl(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && !(c instanceof SSLHandshakeException)) {
            c = c.getCause();
        }
        return c;
    }
}
