package net.proxy.samples.customprotocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import net.proxy.samples.Running;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class CustomProtocolSampleTest {

    @Test
    void requestsCrossTheCustomHopToTheOrigin() throws Exception {
        try (Running running = CustomProtocolSample.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress edge = (InetSocketAddress) running.addresses().get(0);
            for (String path : new String[] {"/hello", "/again"}) {
                String response = exchange(edge, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
                assertTrue(response.contains("X-Custom-Hop: x-frames"), response);
                assertTrue(response.contains("origin origin: GET " + path), response);
            }
        }
    }

    private static String exchange(InetSocketAddress at, String bytes) throws Exception {
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
