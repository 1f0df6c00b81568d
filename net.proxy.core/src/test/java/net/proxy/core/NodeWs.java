package net.proxy.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.proxy.testkit.Peers;

/**
 * The real WebSocket peers of the tunnel tests: Node.js running {@code src/test/node/ws-server.js} and
 * {@code ws-client.js} on the {@code ws} package ({@code npm ci} in {@code src/test/node}, which {@code .ci/run}
 * does).
 */
final class NodeWs implements AutoCloseable {
    static final Path DIR = Path.of("src/test/node").toAbsolutePath();
    private static final Pattern PORT = Pattern.compile("\"port\":(\\d+)");

    private final Process server;
    final InetSocketAddress address;

    private NodeWs(Process server, int port) {
        this.server = server;
        this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static Path node() {
        Path node = Peers.require("node");
        Peers.assume(Files.isDirectory(DIR.resolve("node_modules/ws")), "the npm package ws (npm ci in " + DIR + ")");
        return node;
    }

    /** Starts the WebSocket origin; {@code tls} is {certificate, key} PEM files, or empty for clear text. */
    static NodeWs server(Path... tls) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(node().toString(), "ws-server.js"));
        if (tls.length == 2) {
            cmd.addAll(List.of("--tls", tls[0].toString(), tls[1].toString()));
        }
        Process p = new ProcessBuilder(cmd)
                .directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        Matcher m = line == null ? null : PORT.matcher(line);
        if (m == null || !m.find()) {
            p.destroyForcibly();
            throw new IOException("ws-server.js did not start: " + line);
        }
        return new NodeWs(p, Integer.parseInt(m.group(1)));
    }

    /** Starts a scenario of {@code ws-client.js} that talks with the test over its stdin and stdout. */
    static Process startClient(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(node().toString(), "ws-client.js"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /** Runs a scenario of {@code ws-client.js}; returns its JSON line, failing on a non-zero exit. */
    static String client(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(node().toString(), "ws-client.js"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ws-client.js " + String.join(" ", args) + " did not end");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("ws-client.js " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        server.getOutputStream().close(); // ws-server.js exits at the end of its stdin
        try {
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
    }
}
