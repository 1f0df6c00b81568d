package net.proxy.lb.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.proxy.l4.Peer;
import net.proxy.lb.Backend;
import net.proxy.lb.HealthCheck;
import net.proxy.testkit.LeakDetection;
import net.proxy.tls.Pem;
import net.proxy.tls.TlsClientSettings;
import net.proxy.tls.TlsConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gRPC health check against a real grpc-java server with the standard health service. */
@ExtendWith(LeakDetection.class)
class GrpcHealthCheckTest {

    /** A grpc-java server on a loopback port, plain text (h2c) or TLS, with the given services. */
    static final class GrpcServer implements AutoCloseable {
        final Server server;

        GrpcServer(boolean tls, BindableService... services) throws IOException {
            NettyServerBuilder b =
                    NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            if (tls) {
                b.sslContext(GrpcSslContexts.forServer(
                                HealthCheckTest.CERTS.resolve("server-rsa.pem").toFile(),
                                HealthCheckTest.CERTS.resolve("server-rsa.key").toFile())
                        .build());
            }
            for (BindableService s : services) {
                b.addService(s);
            }
            this.server = b.build().start();
        }

        Backend backend() {
            return Backend.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()));
        }

        @Override
        public void close() {
            server.shutdownNow();
            try {
                server.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void passes(HealthCheck check, Backend backend) throws Exception {
        HealthCheckTest.passes(check, backend);
    }

    static IOException fails(HealthCheck check, Backend backend) {
        return assertInstanceOf(IOException.class, HealthCheckTest.fails(check, backend));
    }

    @Test
    void servingServerIsHealthy() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        try (GrpcServer up = new GrpcServer(false, health.getHealthService());
                HealthCheck grpc = GrpcHealthCheck.builder().build()) {
            passes(grpc, up.backend());
            passes(grpc, up.backend());
        }
    }

    @Test
    void notServingIsUnhealthyAndSwitchingTheStatusFlipsTheResult() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("helloworld.Greeter", ServingStatus.SERVING);
        try (GrpcServer up = new GrpcServer(false, health.getHealthService());
                HealthCheck grpc =
                        GrpcHealthCheck.builder().service("helloworld.Greeter").build()) {
            passes(grpc, up.backend());
            health.setStatus("helloworld.Greeter", ServingStatus.NOT_SERVING);
            IOException e = fails(grpc, up.backend());
            assertEquals(
                    "gRPC health check of service helloworld.Greeter on " + up.backend()
                            + ": status NOT_SERVING (expected: SERVING)",
                    e.getMessage());
            health.setStatus("helloworld.Greeter", ServingStatus.SERVING);
            passes(grpc, up.backend());
            health.enterTerminalState(); // every service NOT_SERVING, as a server shutting down does
            e = fails(grpc, up.backend());
            assertTrue(e.getMessage().endsWith(": status NOT_SERVING (expected: SERVING)"), e.getMessage());
        }
    }

    @Test
    void unknownServiceIsUnhealthy() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        try (GrpcServer up = new GrpcServer(false, health.getHealthService());
                HealthCheck grpc = GrpcHealthCheck.builder().service("no.Such").build()) {
            IOException e = fails(grpc, up.backend());
            assertEquals(
                    "gRPC health check of service no.Such on " + up.backend()
                            + ": grpc-status 5 NOT_FOUND: unknown service no.Such",
                    e.getMessage());
        }
    }

    @Test
    void serverWithoutTheHealthServiceIsUnhealthy() throws Exception {
        try (GrpcServer up = new GrpcServer(false);
                HealthCheck grpc = GrpcHealthCheck.builder().build()) {
            IOException e = fails(grpc, up.backend());
            assertTrue(
                    e.getMessage()
                            .startsWith("gRPC health check of the server on " + up.backend()
                                    + ": grpc-status 12 UNIMPLEMENTED: Method not found: grpc.health.v1.Health/Check"),
                    e.getMessage());
        }
    }

    @Test
    void refusedPortIsUnhealthy() throws Exception {
        Backend dead = HealthCheckTest.closedPort();
        try (HealthCheck grpc = GrpcHealthCheck.builder().build()) {
            IOException e = fails(grpc, dead);
            assertTrue(
                    e.getMessage().startsWith("gRPC health check of the server on " + dead + ": connect failed: "),
                    e.getMessage());
            assertInstanceOf(ConnectException.class, e.getCause());
        }
    }

    @Test
    void tlsPeerNegotiatesH2ByAlpn() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        TlsConnector tls = TlsConnector.of(TlsClientSettings.builder()
                .trustRoots(Pem.certificates(HealthCheckTest.CERTS.resolve("ca.pem")))
                .alpn("http/1.1")
                .build());
        try (GrpcServer up = new GrpcServer(true, health.getHealthService());
                HealthCheck grpc = GrpcHealthCheck.builder()
                        .peers(b -> Peer.builder(b.address())
                                .tls(tls)
                                .serverName("rsa.test")
                                .build())
                        .build()) {
            passes(grpc, up.backend());
            health.setStatus("", ServingStatus.NOT_SERVING);
            IOException e = fails(grpc, up.backend());
            assertEquals(
                    "gRPC health check of the server over TLS on " + up.backend()
                            + ": status NOT_SERVING (expected: SERVING)",
                    e.getMessage());
        }
    }

    @Test
    void tlsServerWithoutH2IsUnhealthy() throws Exception {
        try (HealthCheckTest.TinyHttp up = new HealthCheckTest.TinyHttp(200, HealthCheckTest.tlsSockets());
                HealthCheck grpc = GrpcHealthCheck.builder()
                        .peers(b -> Peer.builder(b.address())
                                .tls(TlsConnector.of(TlsClientSettings.builder()
                                        .trustRoots(Pem.certificates(HealthCheckTest.CERTS.resolve("ca.pem")))
                                        .build()))
                                .serverName("rsa.test")
                                .build())
                        .build()) {
            IOException e = fails(grpc, up.backend());
            assertEquals(
                    "gRPC health check of the server over TLS on " + up.backend() + ": ALPN none (expected: h2)",
                    e.getMessage());
        }
    }

    @Test
    void anHttp1AnswerIsAnHttp2ProtocolError() throws Exception {
        try (HealthCheckTest.TinyHttp up = new HealthCheckTest.TinyHttp(400);
                HealthCheck grpc = GrpcHealthCheck.builder()
                        .timeout(Duration.ofSeconds(60))
                        .build()) {
            up.hold = true; // the answer, not a closed connection, fails the check
            IOException e = fails(grpc, up.backend());
            assertTrue(
                    e.getMessage()
                            .startsWith("gRPC health check of the server on " + up.backend() + ": HTTP/2 error: "),
                    e.getMessage());
            assertTrue(up.requests.get(0).startsWith("PRI * HTTP/2.0\r\n\r\n"), up.requests.get(0));
        }
    }

    @Test
    void aBackendThatNeverAnswersFailsWhenTheTimeoutElapses() throws Exception {
        try (HealthCheckTest.TinyHttp up = new HealthCheckTest.TinyHttp(200);
                HealthCheck grpc = GrpcHealthCheck.builder()
                        .timeout(Duration.ofMillis(200))
                        .build()) {
            up.silent = true;
            Throwable e = assertInstanceOf(SocketTimeoutException.class, HealthCheckTest.fails(grpc, up.backend()));
            assertEquals(
                    "gRPC health check of the server on " + up.backend() + ": no answer within PT0.2S", e.getMessage());
        }
    }

    @Test
    void builderValidatesEagerly() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> GrpcHealthCheck.builder().authority("a b"));
        assertEquals("authority: a b (expected: a host name without spaces)", e.getMessage());
        assertThrows(NullPointerException.class, () -> GrpcHealthCheck.builder().service(null));
    }
}
