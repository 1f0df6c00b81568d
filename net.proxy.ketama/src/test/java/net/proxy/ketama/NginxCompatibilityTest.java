package net.proxy.ketama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a real nginx whose upstream uses {@code hash $request_uri consistent} over servers on
 * 127.0.0.2..6 with different weights (served by the same nginx), sends thousands of distinct URIs over
 * one keep-alive connection and checks that nginx's {@code $upstream_addr} is our pick for every one.
 * Needs nginx (on PATH or in {@code /usr/sbin}): fails without it when {@code CI=true}, is skipped otherwise.
 */
class NginxCompatibilityTest {

    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final int[] WEIGHTS = {1, 2, 3, 5, 1};
    private static final int URIS = 3_000;

    @TempDir
    static Path directory;

    private static Path nginxProgram;
    private static Process nginx;
    private static InetSocketAddress front;
    private static List<Bucket> upstreams;

    @BeforeAll
    static void startNginx() throws Exception {
        nginxProgram = Peers.require("nginx");
        for (int attempt = 1; ; attempt++) {
            front = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), freePort("127.0.0.1"));
            upstreams = new ArrayList<>();
            for (int i = 0; i < WEIGHTS.length; i++) {
                String ip = "127.0.0." + (i + 2);
                upstreams.add(new Bucket(new InetSocketAddress(InetAddress.getByName(ip), freePort(ip)), WEIGHTS[i]));
            }
            Path config = directory.resolve("nginx.conf");
            Files.writeString(config, config());
            Files.deleteIfExists(directory.resolve("error.log"));
            nginx = new ProcessBuilder(
                            nginxProgram.toString(),
                            "-p",
                            directory.toString(),
                            "-c",
                            config.toString(),
                            "-e",
                            directory.resolve("error.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stdout.log").toFile())
                    .start();
            if (awaitListening()) {
                return;
            }
            if (attempt == 3 || !logs().contains("Address already in use")) {
                fail("nginx exited before listening on " + front + "\n" + logs());
            }
        }
    }

    @AfterAll
    static void stopNginx() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void picksTheUpstreamNginxPicksForEveryUri() throws IOException {
        Continuum ring = Continuum.of(upstreams);
        Random random = new Random(7);
        Map<InetSocketAddress, Integer> hits = new HashMap<>();
        try (HttpConnection connection = new HttpConnection(front)) {
            for (int i = 0; i < URIS; i++) {
                String uri = "/objects/" + i + "/" + Long.toHexString(random.nextLong())
                        + (i % 3 == 0 ? "?v=" + random.nextInt(1000) : "");
                Response response = connection.get(uri);
                assertEquals(200, response.status(), uri);
                InetSocketAddress ours = ring.node(uri.getBytes(StandardCharsets.US_ASCII));
                String expected = ours.getAddress().getHostAddress() + ":" + ours.getPort();
                assertEquals(expected, response.upstream(), "nginx's upstream for " + uri);
                assertEquals(expected, response.body(), "the upstream server that answered " + uri);
                hits.merge(ours, 1, Integer::sum);
            }
        }
        assertEquals(upstreams.size(), hits.size(), "every upstream served some URIs: " + hits);
    }

    private static String config() {
        String dir = directory.toString();
        StringBuilder servers = new StringBuilder();
        StringBuilder backends = new StringBuilder();
        for (Bucket bucket : upstreams) {
            String hostPort = bucket.address().getAddress().getHostAddress() + ":"
                    + bucket.address().getPort();
            servers.append("        server ")
                    .append(hostPort)
                    .append(" weight=")
                    .append(bucket.weight())
                    .append(";\n");
            backends.append("    server {\n        listen ")
                    .append(hostPort)
                    .append(";\n")
                    .append("        location / { return 200 \"")
                    .append(hostPort)
                    .append("\"; }\n    }\n");
        }
        String frontAddress = front.getAddress().getHostAddress() + ":" + front.getPort();
        return String.join(
                "\n",
                "daemon off;",
                "master_process off;",
                "worker_processes 1;",
                "pid " + dir + "/nginx.pid;",
                "error_log " + dir + "/error.log warn;",
                "events { worker_connections 128; }",
                "http {",
                "    access_log off;",
                "    client_body_temp_path " + dir + "/client_body;",
                "    proxy_temp_path " + dir + "/proxy;",
                "    fastcgi_temp_path " + dir + "/fastcgi;",
                "    uwsgi_temp_path " + dir + "/uwsgi;",
                "    scgi_temp_path " + dir + "/scgi;",
                "    keepalive_requests 100000;",
                "    upstream ketama {",
                "        hash $request_uri consistent;",
                servers + "        keepalive 8;",
                "    }",
                "    server {",
                "        listen " + frontAddress + ";",
                "        location / {",
                "            proxy_pass http://ketama;",
                "            proxy_http_version 1.1;",
                "            proxy_set_header Connection \"\";",
                "            add_header X-Upstream $upstream_addr always;",
                "        }",
                "    }",
                backends + "}",
                "");
    }

    /**
     * Polls the front port until nginx accepts (true) or exits (false); fails with nginx's logs when the
     * deadline passes. Another process may take a chosen port before nginx binds it: the caller retries.
     */
    private static boolean awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(front, 200);
                return true;
            } catch (IOException notYet) {
                if (!nginx.isAlive()) {
                    return false;
                }
                if (System.nanoTime() > deadline) {
                    fail("nginx did not start listening on " + front + " within " + STARTUP + "\n" + logs());
                }
                nginx.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static String logs() throws IOException {
        StringBuilder logs = new StringBuilder();
        for (String name : List.of("stdout.log", "error.log")) {
            Path log = directory.resolve(name);
            if (Files.exists(log)) {
                logs.append(name).append(":\n").append(Files.readString(log));
            }
        }
        return logs.toString();
    }

    /** An ephemeral port that is free on {@code ip} right now (nginx binds it moments later). */
    private static int freePort(String ip) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
            return socket.getLocalPort();
        }
    }

    private record Response(int status, String upstream, String body) {}

    /** A minimal HTTP/1.1 keep-alive client: GET, then status line, headers and a Content-Length body. */
    private static final class HttpConnection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        HttpConnection(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.connect(address, 5_000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Response get(String uri) throws IOException {
            out.write(("GET " + uri + " HTTP/1.1\r\nHost: ketama.test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            String upstream = null;
            int length = -1;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                if (name.equals("x-upstream")) {
                    upstream = value;
                } else if (name.equals("content-length")) {
                    length = Integer.parseInt(value);
                } else if (name.equals("transfer-encoding")) {
                    fail("expected a Content-Length body, got Transfer-Encoding: " + value);
                }
            }
            assertTrue(length >= 0, "Content-Length in the response to " + uri);
            byte[] body = in.readNBytes(length);
            assertEquals(length, body.length, "a complete body for " + uri);
            return new Response(status, upstream, new String(body, StandardCharsets.US_ASCII));
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    fail("nginx closed the connection mid-response");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
