package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.Peers;

/**
 * Runs one of the Python HTTP/2 clients of {@code src/test/python} (frames written with hyperframe and hpack, from
 * Debian's {@code python3-h2}) against a proxy and parses what it prints: {@code event} lines while it runs (a test
 * may answer them on the client's stdin) and a {@link Report} at the end.
 */
final class Http2Client implements AutoCloseable {
    /** Debian's interpreter, which has {@code python3-h2}; a {@code python3} earlier on the PATH may not. */
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Surefire runs in the module's directory. */
    private static final Path SCRIPTS = Path.of("src/test/python").toAbsolutePath();

    private static Boolean available;

    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new ArrayList<>();
    /** The {@code event} lines, as they come. */
    final BlockingQueue<Map<String, String>> events = new LinkedBlockingQueue<>();

    private final StringBuilder stderr = new StringBuilder();
    private final Thread reader;

    private Http2Client(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::read, "h2-client-stdout");
        reader.setDaemon(true);
        reader.start();
        Thread err = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            synchronized (stderr) {
                                stderr.append(line).append('\n');
                            }
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                "h2-client-stderr");
        err.setDaemon(true);
        err.start();
    }

    /** Skips the test without {@code /usr/bin/python3} and its {@code h2} package (fails under CI=true). */
    static synchronized void require() {
        if (available == null) {
            boolean ok = false;
            if (Files.isExecutable(PYTHON)) {
                try {
                    Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import h2, hyperframe, hpack")
                            .redirectErrorStream(true)
                            .start();
                    p.getInputStream().readAllBytes();
                    ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
                } catch (IOException e) {
                    ok = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            available = ok;
        }
        Peers.assume(available, "/usr/bin/python3 with python3-h2 (import h2, hyperframe, hpack)");
    }

    /** Starts {@code script} against {@code proxy} with {@code args} (the scenario first). */
    static Http2Client start(InetSocketAddress proxy, String script, String... args) throws IOException {
        return start(proxy, null, script, args);
    }

    /** Runs {@code script} over TLS (ALPN {@code h2}, the server verified against {@code ca}) to its end. */
    static Report runTls(InetSocketAddress proxy, Path ca, String script, String... args) throws Exception {
        try (Http2Client c = start(proxy, ca, script, args)) {
            return c.finish();
        }
    }

    private static Http2Client start(InetSocketAddress proxy, Path ca, String script, String... args)
            throws IOException {
        require();
        List<String> cmd = new ArrayList<>(List.of(
                PYTHON.toString(),
                SCRIPTS.resolve(script).toString(),
                proxy.getAddress().getHostAddress(),
                Integer.toString(proxy.getPort())));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (ca != null) {
            pb.environment().put("H2_TLS_CA", ca.toString());
        }
        return new Http2Client(pb.start());
    }

    /** Runs {@code script} to its end and returns its report. */
    static Report run(InetSocketAddress proxy, String script, String... args) throws Exception {
        try (Http2Client c = start(proxy, script, args)) {
            return c.finish();
        }
    }

    private void read() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("event ")) {
                    events.add(parse(line));
                } else {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> m = new HashMap<>();
        String[] tokens = line.split(" ");
        m.put("", tokens[0].equals("event") ? tokens[1] : tokens[0]);
        for (String t : tokens) {
            int eq = t.indexOf('=');
            if (eq > 0) {
                m.put(t.substring(0, eq), URLDecoder.decode(t.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    /** Waits (at most 20 s) for the event {@code name}; fails on another event or none. */
    Map<String, String> awaitEvent(String name) throws InterruptedException {
        Map<String, String> e = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "event " + name + " within 20 s; stderr: " + stderr());
        assertEquals(name, e.get(""), "the next event: " + e + "; stderr: " + stderr());
        return e;
    }

    /** Writes {@code line} to the client's stdin. */
    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits (at most 60 s) for the client to end and returns its report. */
    Report finish() throws Exception {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the HTTP/2 client did not end within 60 s; stderr: " + stderr());
        }
        reader.join(10_000);
        if (process.exitValue() != 0) {
            throw new AssertionError("the HTTP/2 client failed (" + process.exitValue() + "): " + stderr());
        }
        Map<String, String> conn = null;
        Map<Integer, Map<String, String>> streams = new TreeMap<>();
        synchronized (lines) {
            for (String line : lines) {
                if (line.startsWith("conn")) {
                    conn = parse(line);
                } else if (line.startsWith("stream")) {
                    Map<String, String> s = parse(line);
                    streams.put(Integer.parseInt(s.get("id")), s);
                }
            }
        }
        assertNotNull(conn, "a report; stdout: " + lines + "; stderr: " + stderr());
        return new Report(conn, streams, stderr());
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** What the client saw: the connection ({@code conn}) and each stream by id. */
    record Report(Map<String, String> conn, Map<Integer, Map<String, String>> streams, String stderr) {
        /** The error code of the last GOAWAY, or -1 without one. */
        long goaway() {
            String g = conn.get("goaway");
            return g == null ? -1 : Long.parseLong(g);
        }

        boolean closed() {
            return "1".equals(conn.get("closed"));
        }

        Map<String, String> stream(int id) {
            Map<String, String> s = streams.get(id);
            assertNotNull(s, "stream " + id + " in " + this);
            return s;
        }

        /** The status of stream {@code id}, or 0 without a response. */
        int status(int id) {
            String s = stream(id).get("status");
            return s.isEmpty() ? 0 : Integer.parseInt(s);
        }

        /** The RST_STREAM error code stream {@code id} got, or -1 without one. */
        long rst(int id) {
            String s = stream(id).get("rst");
            return s.isEmpty() ? -1 : Long.parseLong(s);
        }

        String body(int id) {
            return stream(id).get("body");
        }

        @Override
        public String toString() {
            return "conn " + conn + ", streams " + streams.values() + (stderr.isEmpty() ? "" : ", stderr: " + stderr);
        }
    }
}
