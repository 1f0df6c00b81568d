package net.proxy.samples.tcpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.proxy.samples.Running;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class TcpProxyTest {
    @Test
    void forwardsToTheUpstreamWithAProxyProtocolHeader() throws Exception {
        try (ServerSocket origin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket c = origin.accept()) {
                    String all = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    c.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
                    return all;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String[] args = {
                "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:" + origin.getLocalPort(), "--proxy-protocol"
            };
            try (Running proxy = TcpProxy.start(args);
                    Socket s = new Socket(
                            InetAddress.getLoopbackAddress(),
                            ((InetSocketAddress) proxy.addresses().get(0)).getPort())) {
                s.getOutputStream().write("payload".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertEquals("bye", new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                String received = seen.get(10, TimeUnit.SECONDS);
                assertEquals("\r\n\r\n\0\r\nQUIT\n", received.substring(0, 12), "a v2 signature first");
                assertEquals("payload", received.substring(received.length() - 7));
            }
        }
    }
}
