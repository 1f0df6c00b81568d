package net.proxy.bench.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts and stops the external peers (nginx, haproxy) with generated configurations. */
final class Peers {
    private Peers() {}

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * nginx with one worker terminating TLS with its defaults (session tickets on, like our listener;
     * s_time -new never resumes) and answering 200.
     */
    static Process nginx(BenchCerts certs, int port, String cpus) throws IOException, InterruptedException {
        Path dir = certs.dir.resolve("nginx");
        Files.createDirectories(dir.resolve("logs"));
        String conf = "worker_processes 1;\ndaemon off;\nmaster_process off;\nerror_log "
                + dir.resolve("logs/error.log") + " warn;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\nevents { worker_connections 4096; }\n"
                + "http {\n  access_log off;\n  client_body_temp_path " + dir + "/body;\n  proxy_temp_path " + dir
                + "/proxy;\n"
                + "  fastcgi_temp_path " + dir + "/fcgi;\n  uwsgi_temp_path " + dir + "/uwsgi;\n  scgi_temp_path " + dir
                + "/scgi;\n"
                + "  server {\n    listen 127.0.0.1:" + port + " ssl;\n    ssl_certificate " + certs.cert + ";\n"
                + "    ssl_certificate_key " + certs.key + ";\n    ssl_protocols TLSv1.2 TLSv1.3;\n"
                + "    return 200 ok;\n  }\n}\n";
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder(pinned(cpus, List.of("nginx", "-p", dir.toString(), "-c", file.toString())))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/stdout.log").toFile())
                .start();
        awaitPort(port, p);
        return p;
    }

    /**
     * Our TLS listener ({@link LoopbackServer}) in a JVM of its own, started from this JVM's java
     * binary and class path, pinned like nginx. Returns once it listens.
     */
    static Started ours(BenchCerts certs, String cpus) throws IOException {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(pinned(
                        cpus,
                        List.of(
                                javaBin,
                                "-cp",
                                System.getProperty("java.class.path"),
                                LoopbackServer.class.getName(),
                                certs.cert.toString(),
                                certs.key.toString())))
                .redirectError(certs.dir.resolve("ours.log").toFile())
                .start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("port ")) {
            p.destroyForcibly();
            throw new IOException("our server did not start, see " + certs.dir.resolve("ours.log"));
        }
        return new Started(p, Integer.parseInt(line.substring(5)));
    }

    /** A server process and the port it listens on. */
    record Started(Process process, int port) {}

    private static List<String> pinned(String cpus, List<String> command) {
        if (cpus == null) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("taskset", "-c", cpus));
        out.addAll(command);
        return out;
    }

    /** HAProxy with one thread in mode tcp forwarding to the origin. */
    static Process haproxy(Path dir, int port, int origin) throws IOException, InterruptedException {
        String conf =
                "global\n  nbthread 1\n  maxconn 1000\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 60s\n"
                        + "  timeout server 60s\nfrontend f\n  bind 127.0.0.1:" + port + "\n  default_backend b\n"
                        + "backend b\n  server o 127.0.0.1:" + origin + "\n";
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder("haproxy", "-db", "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        awaitPort(port, p);
        return p;
    }

    private static void awaitPort(int port, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("peer exited with " + p.exitValue());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                if (s.isConnected()) {
                    return;
                }
            } catch (IOException notYet) {
                // Keep polling until the peer listens or the deadline passes.
                Thread.onSpinWait();
            }
        }
        throw new IOException("peer did not listen on " + port);
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    /**
     * Runs {@code clients} parallel {@code openssl s_time -new} against a port (each pinned to the
     * given CPU list with taskset when {@code cpus} is not null) and returns the number of full
     * handshakes they completed in total.
     */
    static long sTime(int port, int clients, int seconds, String cpus) throws IOException, InterruptedException {
        List<String> command = pinned(
                cpus,
                List.of(
                        "openssl",
                        "s_time",
                        "-connect",
                        "127.0.0.1:" + port,
                        "-new",
                        "-time",
                        String.valueOf(seconds)));
        Process[] ps = new Process[clients];
        for (int i = 0; i < clients; i++) {
            ps[i] = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        long total = 0;
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("(\\d+) connections in (\\d+) real seconds");
        for (Process p : ps) {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            java.util.regex.Matcher m = line.matcher(out);
            if (!m.find()) {
                throw new IOException("unexpected s_time output: " + out);
            }
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    /**
     * Returns the CPU time (user + system, all threads) a process has used so far, in seconds, from
     * {@code /proc/PID/stat} (Linux), or NaN where that file does not exist.
     */
    static double cpuSeconds(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return Double.NaN;
        }
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        // After the command name: field 3 (state) is f[0], so utime (14) and stime (15) are f[11], f[12].
        // Both count clock ticks of USER_HZ, which is 100 on every Linux architecture's user ABI.
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }
}
