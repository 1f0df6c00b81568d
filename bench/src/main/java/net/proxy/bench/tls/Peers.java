package net.proxy.bench.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
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
  static Process nginx(BenchCerts certs, int port) throws IOException, InterruptedException {
    Path dir = certs.dir.resolve("nginx");
    Files.createDirectories(dir.resolve("logs"));
    String conf =
        "worker_processes 1;\ndaemon off;\nmaster_process off;\nerror_log " + dir.resolve("logs/error.log") + " warn;\n"
            + "pid " + dir.resolve("nginx.pid") + ";\nevents { worker_connections 4096; }\n"
            + "http {\n  access_log off;\n  client_body_temp_path " + dir + "/body;\n  proxy_temp_path " + dir + "/proxy;\n"
            + "  fastcgi_temp_path " + dir + "/fcgi;\n  uwsgi_temp_path " + dir + "/uwsgi;\n  scgi_temp_path " + dir + "/scgi;\n"
            + "  server {\n    listen 127.0.0.1:" + port + " ssl;\n    ssl_certificate " + certs.cert + ";\n"
            + "    ssl_certificate_key " + certs.key + ";\n    ssl_protocols TLSv1.2 TLSv1.3;\n"
            + "    return 200 ok;\n  }\n}\n";
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf);
    Process p =
        new ProcessBuilder("nginx", "-p", dir.toString(), "-c", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("logs/stdout.log").toFile())
            .start();
    awaitPort(port, p);
    return p;
  }

  /** HAProxy with one thread in mode tcp forwarding to the origin. */
  static Process haproxy(Path dir, int port, int origin) throws IOException, InterruptedException {
    String conf =
        "global\n  nbthread 1\n  maxconn 1000\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 60s\n"
            + "  timeout server 60s\nfrontend f\n  bind 127.0.0.1:" + port + "\n  default_backend b\n"
            + "backend b\n  server o 127.0.0.1:" + origin + "\n";
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, conf);
    Process p =
        new ProcessBuilder("haproxy", "-db", "-f", file.toString())
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
   * Runs {@code clients} parallel {@code openssl s_time -new} against a port and returns full
   * handshakes per second in total.
   */
  static double sTime(int port, int clients, int seconds) throws IOException, InterruptedException {
    Process[] ps = new Process[clients];
    for (int i = 0; i < clients; i++) {
      ps[i] =
          new ProcessBuilder(List.of("openssl", "s_time", "-connect", "127.0.0.1:" + port, "-new", "-time", String.valueOf(seconds)))
              .redirectErrorStream(true)
              .start();
    }
    double total = 0;
    java.util.regex.Pattern line = java.util.regex.Pattern.compile("(\\d+) connections in (\\d+) real seconds");
    for (Process p : ps) {
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
      java.util.regex.Matcher m = line.matcher(out);
      if (!m.find()) {
        throw new IOException("unexpected s_time output: " + out);
      }
      total += Double.parseDouble(m.group(1)) / Math.max(1, Double.parseDouble(m.group(2)));
    }
    return total;
  }
}
