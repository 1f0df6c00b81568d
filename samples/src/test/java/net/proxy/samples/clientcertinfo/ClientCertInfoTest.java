package net.proxy.samples.clientcertinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.proxy.core.Server;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The mTLS sample with curl as the client: a trusted certificate is shown, others never get an answer. */
@ExtendWith(LeakDetection.class)
class ClientCertInfoTest {
    static final Path CERTS =
            Path.of("../net.proxy.tls/src/test/resources/net/proxy/tls/certs").toAbsolutePath();

    record Curl(int exit, String out) {}

    static Curl curl(int port, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "--cacert",
                CERTS.resolve("ca.pem").toString(),
                "--resolve",
                "rsa.test:" + port + ":127.0.0.1"));
        cmd.addAll(List.of(extra));
        cmd.add("https://rsa.test:" + port + "/");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), out);
        return new Curl(p.exitValue(), out);
    }

    @Test
    void showsTheClientCertificateAndRefusesClientsWithoutATrustedOne() throws Exception {
        Peers.require("curl");
        Server server = Server.builder()
                .threads(1)
                .build()
                .add(ClientCertInfo.proxy(new String[] {
                    "--listen",
                    "127.0.0.1:0",
                    "--cert",
                    CERTS.resolve("server-rsa.pem").toString(),
                    "--key",
                    CERTS.resolve("server-rsa.key").toString(),
                    "--client-ca",
                    CERTS.resolve("ca.pem").toString()
                }))
                .start();
        try {
            int port = ((InetSocketAddress) server.boundAddresses().get(0)).getPort();
            Curl ok = curl(
                    port,
                    "--cert",
                    CERTS.resolve("client.pem").toString(),
                    "--key",
                    CERTS.resolve("client.key").toString());
            assertEquals(0, ok.exit(), ok.out());
            assertTrue(ok.out().contains("subject: CN=client-one"), ok.out());
            assertTrue(ok.out().contains("subject alt names: DNS:client.test"), ok.out());
            assertTrue(ok.out().contains("protocol: TLSv1."), ok.out());
            Curl none = curl(port);
            assertNotEquals(0, none.exit(), "no client certificate: " + none.out());
            Curl rogue = curl(
                    port,
                    "--cert",
                    CERTS.resolve("rogue-client.pem").toString(),
                    "--key",
                    CERTS.resolve("rogue-client.key").toString());
            assertNotEquals(0, rogue.exit(), "a certificate from another CA: " + rogue.out());
        } finally {
            server.shutdownNow();
        }
    }
}
