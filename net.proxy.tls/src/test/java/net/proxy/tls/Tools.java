package net.proxy.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.Peers;

/** Runs external peers (openssl, curl): skips when missing, fails when missing on CI. */
final class Tools {
    private Tools() {}

    record Result(int exit, String output) {}

    /**
     * Runs a command with stdin, merging stderr into the output; kills it after the timeout. The program must be
     * installed ({@link Peers#require}).
     */
    static Result run(List<String> command, String stdin, Duration timeout) throws IOException, InterruptedException {
        List<String> resolved = new java.util.ArrayList<>(command);
        resolved.set(0, Peers.require(command.get(0)).toString());
        Process p = new ProcessBuilder(resolved).redirectErrorStream(true).start();
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
