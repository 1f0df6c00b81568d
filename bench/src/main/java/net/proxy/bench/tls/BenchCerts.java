package net.proxy.bench.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A fresh EC P-256 self-signed certificate for localhost, made with openssl in a temp directory. */
final class BenchCerts {
    final Path dir;
    final Path cert;
    final Path key;

    private BenchCerts(Path dir) {
        this.dir = dir;
        this.cert = dir.resolve("cert.pem");
        this.key = dir.resolve("key.pem");
    }

    static BenchCerts create() throws IOException, InterruptedException {
        BenchCerts c = new BenchCerts(Files.createTempDirectory("net.proxy.bench.tls"));
        Process p = new ProcessBuilder(List.of(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "ec",
                        "-pkeyopt",
                        "ec_paramgen_curve:P-256",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=localhost",
                        "-addext",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout",
                        c.key.toString(),
                        "-out",
                        c.cert.toString()))
                .redirectErrorStream(true)
                .redirectOutput(c.dir.resolve("openssl.log").toFile())
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl req failed, see " + c.dir.resolve("openssl.log"));
        }
        return c;
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
