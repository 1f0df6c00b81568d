package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx as an h2c origin ({@code listen ... http2}, prior knowledge) behind the proxy, curl in front speaking
 * HTTP/1.1: small and large responses, a request body written by WebDAV and read back, and many parallel clients on
 * one upstream connection.
 */
@ExtendWith(LeakDetection.class)
class H2NginxOriginTest {
    @TempDir
    Path dir;

    @Test
    void nginxServesH2cThroughTheProxy() throws Exception {
        Path nginx = Peers.require("nginx");
        Peers.require("curl");
        int port = NginxOriginTest.freePort();
        Path home = Files.createDirectories(dir.resolve("nginx"));
        Files.createDirectories(home.resolve("files"));
        Files.createDirectories(home.resolve("dav"));
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        Files.write(home.resolve("files/big.bin"), big);
        Files.writeString(
                home.resolve("nginx.conf"),
                "worker_processes 1; daemon off; pid " + home + "/nginx.pid; error_log " + home + "/error.log;\n"
                        // workers of a root master run as nobody, who cannot read the test's private directory
                        + (isRoot() ? "user root;\n" : "")
                        + "events { worker_connections 1024; }\n"
                        + "http { access_log " + home + "/access.log; keepalive_requests 100000;\n"
                        + "  client_body_temp_path " + home + "/tmp;\n"
                        + "  server { listen 127.0.0.1:" + port + " http2;\n"
                        + "    location = /small { return 200 \"nginx-h2\\n\"; }\n"
                        + "    location /files/ { root " + home + "; }\n"
                        + "    location /dav/ { root " + home + "; dav_methods PUT; client_max_body_size 16m;\n"
                        + "      create_full_put_path on; } } }\n");
        Process p = new ProcessBuilder(
                        nginx.toString(),
                        "-p",
                        home.toString(),
                        "-c",
                        home.resolve("nginx.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("stdout").toFile())
                .start();
        try {
            ProxyFixture.eventually(() -> NginxOriginTest.canConnect(port), "nginx listening");
            HttpPeer peer = HttpPeer.builder(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .protocol(UpstreamProtocol.H2)
                    .build();
            try (ProxyFixture f = new ProxyFixture(ProxyFixture.to(peer))) {
                ProxyFixture.Curl small = ProxyFixture.curl(f.url("/small"), f.url("/small"));
                assertEquals("nginx-h2\nnginx-h2\n", small.out(), small.err());

                Path got = dir.resolve("got.bin");
                ProxyFixture.Curl large = ProxyFixture.curl("-o", got.toString(), f.url("/files/big.bin"));
                assertEquals(0, large.exit(), large.err());
                assertArrayEquals(big, Files.readAllBytes(got), () -> readable(got));

                ProxyFixture.Curl put = ProxyFixture.curl(
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code}",
                        "-T",
                        home.resolve("files/big.bin").toString(),
                        f.url("/dav/up.bin"));
                assertEquals("201", put.out(), put.err());
                assertArrayEquals(big, Files.readAllBytes(home.resolve("dav/up.bin")), "the body reached nginx");

                List<String> args = new ArrayList<>(List.of("-Z", "--parallel-max", "16"));
                for (int i = 0; i < 32; i++) {
                    args.add(f.url("/small"));
                }
                ProxyFixture.Curl parallel = ProxyFixture.curl(args.toArray(new String[0]));
                assertEquals("nginx-h2\n".repeat(32), parallel.out(), parallel.err());
                assertEquals(1, f.proxy.h2ConnectionsOpened(), "every request on one HTTP/2 connection");
                assertEquals(2 + 1 + 1 + 32, f.proxy.h2StreamsOpened());
                assertTrue(f.proxy.reuseRatio() > 0.9, "reuse " + f.proxy.reuseRatio());
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            String log = Files.exists(home.resolve("error.log"))
                    ? Files.readString(home.resolve("error.log"), StandardCharsets.UTF_8)
                    : "";
            assertTrue(!log.contains("[alert]") && !log.contains("[crit]"), log);
        }
    }

    private static String readable(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            return b.length < 1000 ? new String(b, StandardCharsets.UTF_8) : b.length + " bytes";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
