package net.proxy.tls;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external peers (openssl, curl): skips when missing, fails when missing on CI. */
final class Tools {
    private Tools() {}

    record Result(int exit, String output) {}

    static void require(String tool) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                found = true;
                break;
            }
        }
        if (!found) {
            if ("true".equals(System.getenv("CI"))) {
                fail(tool + " is required on CI but not on the PATH");
            }
            assumeTrue(false, tool + " is not installed: skipping");
        }
    }

    /** Runs a command with stdin, merging stderr into the output; kills it after the timeout. */
    static Result run(List<String> command, String stdin, Duration timeout) throws IOException, InterruptedException {
        require(command.get(0));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                out.writeBytes(("\n[reader failed: " + e + "]").getBytes(StandardCharsets.UTF_8));
            }
        });
        reader.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The process may exit before reading its input (e.g. a refused handshake): not an error.
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        reader.join(timeout.toMillis());
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    static Result sClient(int port, String... extra) throws IOException, InterruptedException {
        List<String> cmd =
                new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-ign_eof"));
        cmd.addAll(List.of(extra));
        return run(cmd, "ping\n", Duration.ofSeconds(20));
    }
}
