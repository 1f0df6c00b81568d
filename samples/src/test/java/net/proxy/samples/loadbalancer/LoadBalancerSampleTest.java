package net.proxy.samples.loadbalancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.proxy.core.Server;
import net.proxy.core.UpstreamProtocol;
import net.proxy.l4.Cidr;
import net.proxy.lb.Backend;
import net.proxy.lb.SelectionAlgorithm;
import net.proxy.lb.health.GrpcHealthCheck;
import net.proxy.lb.health.HttpHealthCheck;
import net.proxy.samples.Args;
import net.proxy.samples.demo.Demo;
import net.proxy.samples.demo.DemoTest;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class LoadBalancerSampleTest {

    @Test
    void behindAnL4BalancerItTakesThePROXYHeaderAndDropsDeniedClients() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Demo.Running origins = Demo.start(any)) {
            List<Backend> backends = backends(origins);
            Server lb = LoadBalancerSample.start(new LoadBalancerSample.Options(
                    any,
                    backends,
                    SelectionAlgorithm.roundRobin(),
                    1,
                    "",
                    List.of(Cidr.parse("203.0.113.0/24")),
                    true,
                    null,
                    LoadBalancerSample.Upstream.HTTP1));
            try {
                InetSocketAddress address =
                        (InetSocketAddress) lb.boundAddresses().get(0);
                String request = "GET /hello HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n";
                assertTrue(exchange(address, "PROXY TCP4 198.51.100.4 127.0.0.1 4000 80\r\n" + request)
                        .startsWith("HTTP/1.1 200"));
                assertEquals(
                        "",
                        exchange(address, "PROXY TCP4 203.0.113.4 127.0.0.1 4000 80\r\n" + request),
                        "a denied client is closed unanswered");
                assertEquals("", exchange(address, request), "no PROXY header, no answer");
            } finally {
                lb.shutdownNow();
            }
        }
    }

    private static List<Backend> backends(Demo.Running origins) {
        List<Backend> backends = new ArrayList<>();
        for (var a : origins.origins().boundAddresses()) {
            backends.add(Backend.of((InetSocketAddress) a));
        }
        return backends;
    }

    private static String exchange(InetSocketAddress at, String bytes) throws Exception {
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void ketamaSendsTheSamePathToTheSameOrigin() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Demo.Running origins = Demo.start(any)) {
            List<Backend> backends = backends(origins);
            Server lb = LoadBalancerSample.start(any, backends, SelectionAlgorithm.ketama(), 1, "/health");
            try {
                InetSocketAddress address =
                        (InetSocketAddress) lb.boundAddresses().get(0);
                String first = DemoTest.get(address, "/same");
                for (int i = 0; i < 5; i++) {
                    assertEquals(first, DemoTest.get(address, "/same"));
                }
            } finally {
                lb.shutdownNow();
            }
        }
    }

    @Test
    void upstreamProtocolH2cMultiplexesOverTheOriginsOwnHttp2() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Demo.Running origins = Demo.start(any)) {
            Server lb = LoadBalancerSample.start(new LoadBalancerSample.Options(
                    any,
                    backends(origins),
                    SelectionAlgorithm.roundRobin(),
                    1,
                    "",
                    List.of(),
                    false,
                    null,
                    LoadBalancerSample.Upstream.parse("h2c", null, null)));
            try {
                InetSocketAddress address =
                        (InetSocketAddress) lb.boundAddresses().get(0);
                Set<String> bodies = new HashSet<>();
                for (int i = 0; i < 4; i++) {
                    bodies.add(DemoTest.get(address, "/hello"));
                }
                assertEquals(Set.of("origin one: GET /hello\n", "origin two: GET /hello\n"), bodies);
            } finally {
                lb.shutdownNow();
            }
        }
    }

    @Test
    void healthCheckOptionNamesAnHttpPathOrTheGrpcHealthService() {
        LoadBalancerSample.Upstream h1 = LoadBalancerSample.Upstream.HTTP1;
        assertInstanceOf(HttpHealthCheck.class, LoadBalancerSample.healthCheck("/health", h1));
        assertInstanceOf(GrpcHealthCheck.class, LoadBalancerSample.healthCheck("grpc", h1));
        assertInstanceOf(GrpcHealthCheck.class, LoadBalancerSample.healthCheck("grpc:helloworld.Greeter", h1));
        assertInstanceOf(
                GrpcHealthCheck.class,
                LoadBalancerSample.healthCheck("grpc", LoadBalancerSample.Upstream.parse("h2", null, "a.example")));
        Args.UsageException e =
                assertThrows(Args.UsageException.class, () -> LoadBalancerSample.healthCheck("health", h1));
        assertEquals("--health-check health (expected: /PATH, grpc or grpc:SERVICE)", e.getMessage());
    }

    @Test
    void upstreamOptionsAreCheckedTogether() {
        assertEquals(
                UpstreamProtocol.H2_OR_H1,
                LoadBalancerSample.Upstream.parse("auto", null, null).protocol());
        assertNotNull(
                LoadBalancerSample.Upstream.parse("h2", null, "origin.example").tls(), "h2 is TLS");
        assertNull(LoadBalancerSample.Upstream.parse("h1", null, null).tls(), "h1 is plain text by default");
        assertNotNull(
                LoadBalancerSample.Upstream.parse("h1", null, "origin.example").tls(), "h1 with an SNI is TLS");
        Args.UsageException e = assertThrows(
                Args.UsageException.class, () -> LoadBalancerSample.Upstream.parse("h2c", null, "x.example"));
        assertTrue(e.getMessage().contains("plain text"), e.getMessage());
        assertThrows(Args.UsageException.class, () -> LoadBalancerSample.Upstream.parse("h3", null, null));
    }
}
