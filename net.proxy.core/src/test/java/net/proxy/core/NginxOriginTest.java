package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.proxy.lb.Backend;
import net.proxy.lb.LoadBalancer;
import net.proxy.lb.health.HttpHealthCheck;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Real nginx origins behind the proxy, real curl and wrk in front. */
@ExtendWith(LeakDetection.class)
class NginxOriginTest {
    @TempDir
    Path dir;

    static boolean has(String tool) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @BeforeAll
    static void tools() {
        for (String tool : List.of("nginx", "wrk", "curl")) {
            Peers.assume(has(tool), tool);
        }
    }

    /** One nginx process serving a body naming it, with an access log to watch. */
    final class Nginx implements AutoCloseable {
        final String name;
        final int port;
        final Path home;
        Process process;

        Nginx(String name, int port) throws Exception {
            this.name = name;
            this.port = port;
            this.home = Files.createDirectories(dir.resolve(name));
            Files.writeString(
                    home.resolve("nginx.conf"),
                    "worker_processes 1; daemon off; pid " + home
                            + "/nginx.pid; error_log " + home + "/error.log;\n"
                            + "events { worker_connections 1024; }\n"
                            + "http { access_log " + home + "/access.log; keepalive_requests 100000;\n"
                            + "  server { listen 127.0.0.1:" + port + ";\n"
                            + "    location /health { return 200 \"ok\\n\"; }\n"
                            + "    location / { return 200 \"" + name + "\\n\"; } } }\n");
            start();
        }

        void start() throws Exception {
            process = new ProcessBuilder(
                            "nginx",
                            "-p",
                            home.toString(),
                            "-c",
                            home.resolve("nginx.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("stdout").toFile())
                    .start();
            ProxyFixture.eventually(() -> canConnect(port), name + " listening");
        }

        long served() throws IOException {
            Path log = home.resolve("access.log");
            return Files.exists(log) ? Files.readAllLines(log).size() : 0;
        }

        void stop() throws IOException {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping " + name, e);
            }
            ProxyFixture.eventually(() -> !canConnect(port), name + " stopped");
        }

        Backend backend() {
            return Backend.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }

        @Override
        public void close() throws IOException {
            if (process.isAlive()) {
                stop();
            }
        }
    }

    static boolean canConnect(int port) {
        try {
            new Socket(InetAddress.getLoopbackAddress(), port).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String wrk(String url, String duration) throws Exception {
        Process p = new ProcessBuilder("wrk", "-t1", "-c16", "-d" + duration, url)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return out;
    }

    @Test
    void spreadsOverNginxOriginsAndWrkSeesNoErrors() throws Exception {
        try (Nginx a = new Nginx("nginx-a", freePort());
                Nginx b = new Nginx("nginx-b", freePort())) {
            LoadBalancer lb = LoadBalancer.builder()
                    .backends(List.of(a.backend(), b.backend()))
                    .build();
            try (ProxyFixture f = new ProxyFixture(LoadBalancedProxy.builder(lb).build())) {
                Set<String> names = new HashSet<>();
                ProxyFixture.Curl c = ProxyFixture.curl(f.url("/1"), f.url("/2"), f.url("/3"), f.url("/4"));
                for (String line : c.out().split("\n")) {
                    names.add(line);
                }
                assertEquals(Set.of("nginx-a", "nginx-b"), names, c.out() + c.err());
                String out = wrk(f.url("/"), "2s");
                assertFalse(out.contains("Non-2xx") || out.contains("Socket errors"), out);
                assertTrue(f.proxy.reuseRatio() > 0.9, "upstream reuse " + f.proxy.reuseRatio());
            }
        }
    }

    @Test
    void http2ClientsThroughToNginxOriginsSeeNoErrors() throws Exception {
        Peers.require("h2load");
        try (Nginx a = new Nginx("nginx-a", freePort());
                Nginx b = new Nginx("nginx-b", freePort())) {
            LoadBalancer lb = LoadBalancer.builder()
                    .backends(List.of(a.backend(), b.backend()))
                    .build();
            try (ProxyFixture f = new ProxyFixture(LoadBalancedProxy.builder(lb).build())) {
                // one curl per request: curl 7.88 fails to reuse a prior-knowledge connection (exit 16 against
                // nginx's own h2c listener too)
                Set<String> names = new HashSet<>();
                for (int i = 0; i < 2; i++) {
                    ProxyFixture.Curl c =
                            ProxyFixture.curl("--http2-prior-knowledge", "-w", " %{http_version}", f.url("/" + i));
                    assertEquals(0, c.exit(), c.err());
                    names.add(c.out());
                }
                assertEquals(Set.of("nginx-a\n 2", "nginx-b\n 2"), names);
                Process p = new ProcessBuilder("h2load", "-n", "5000", "-c", "4", "-m", "16", f.url("/"))
                        .redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
                assertTrue(out.contains("5000 succeeded, 0 failed") && out.contains("5000 2xx"), out);
                assertTrue(a.served() + b.served() >= 5002, "every stream reached an origin");
            }
        }
    }

    @Test
    void originKilledDuringWrkRunLosesNoIdempotentRequest() throws Exception {
        try (Nginx a = new Nginx("nginx-a", freePort());
                Nginx b = new Nginx("nginx-b", freePort())) {
            LoadBalancer lb = LoadBalancer.builder()
                    .backends(List.of(a.backend(), b.backend()))
                    .build();
            try (ProxyFixture f = new ProxyFixture(LoadBalancedProxy.builder(lb).build())) {
                java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
                CompletableFuture<String> run = CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return wrk(f.url("/"), "4s");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        thread);
                thread.shutdown();
                ProxyFixture.eventually(
                        () -> {
                            try {
                                return b.served() > 500;
                            } catch (IOException e) {
                                return false;
                            }
                        },
                        "b serving under load");
                b.stop();
                String out = run.get(30, TimeUnit.SECONDS);
                assertFalse(out.contains("Non-2xx") || out.contains("Socket errors"), out);
                assertTrue(a.served() > 0);
            }
        }
    }

    @Test
    void healthCheckTakesADeadOriginOutAndBringsItBack() throws Exception {
        try (Nginx a = new Nginx("nginx-a", freePort());
                Nginx b = new Nginx("nginx-b", freePort())) {
            List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
            LoadBalancer lb = LoadBalancer.builder()
                    .backends(List.of(a.backend(), b.backend()))
                    .healthCheck(HttpHealthCheck.builder()
                            .path("/health")
                            .interval(Duration.ofMillis(50))
                            .build())
                    .healthObserver((backend, healthy) -> changes.add(backend + "=" + healthy))
                    .build();
            Server server = Server.builder()
                    .threads(1)
                    .build()
                    .add(HttpProxy.builder(LoadBalancedProxy.builder(lb).build())
                            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                            .build())
                    .add(lb)
                    .start();
            try {
                String url = "http://127.0.0.1:"
                        + ((InetSocketAddress) server.boundAddresses().get(0)).getPort();
                b.stop();
                ProxyFixture.eventually(() -> !lb.isReady(b.backend()), "b taken out");
                ProxyFixture.Curl c = ProxyFixture.curl(url + "/1", url + "/2", url + "/3");
                assertEquals("nginx-a\nnginx-a\nnginx-a\n", c.out());
                b.start();
                ProxyFixture.eventually(() -> lb.isReady(b.backend()), "b back in");
                c = ProxyFixture.curl(url + "/1", url + "/2");
                assertTrue(c.out().contains("nginx-b"), c.out());
                assertEquals(List.of(b.backend() + "=false", b.backend() + "=true"), changes);
            } finally {
                server.shutdownNow();
            }
        }
    }
}
