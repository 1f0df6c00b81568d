package net.proxy.samples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
public class DemoTest {

    public static String get(InetSocketAddress proxy, String path) throws Exception {
        try (Socket s = new Socket(proxy.getAddress(), proxy.getPort())) {
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String resp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return resp.substring(resp.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void theLoadBalancerSpreadsRequestsOverBothOrigins() throws Exception {
        try (Demo.Running demo = Demo.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Set<String> bodies = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                bodies.add(get(demo.address(), "/hello"));
            }
            assertEquals(Set.of("origin one: GET /hello\n", "origin two: GET /hello\n"), bodies);
        }
    }

    @Test
    void theDemoAnswersHttp2WithPriorKnowledge() throws Exception {
        Peers.require("curl");
        try (Demo.Running demo = Demo.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Process p = new ProcessBuilder(
                            "curl",
                            "-sS",
                            "--max-time",
                            "20",
                            "--http2-prior-knowledge",
                            "-w",
                            "%{http_version}",
                            "http://127.0.0.1:" + demo.address().getPort() + "/hello")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(out.matches("origin (one|two): GET /hello\n2"), out);
        }
    }
}
