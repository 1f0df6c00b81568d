package net.proxy.samples.virtuall4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import net.proxy.samples.Running;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class VirtualL4Test {
    @Test
    void echoesThroughTheVirtualUpstream() throws Exception {
        try (Running sample = VirtualL4.start(new String[] {"--listen", "127.0.0.1:0"});
                Socket s = new Socket(
                        InetAddress.getLoopbackAddress(),
                        ((InetSocketAddress) sample.addresses().get(0)).getPort())) {
            byte[] big = new byte[1 << 20];
            new java.util.Random(7).nextBytes(big);
            var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return s.getInputStream().readNBytes(big.length);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            s.getOutputStream().write(big);
            assertEquals(
                    java.util.Arrays.hashCode(big),
                    java.util.Arrays.hashCode(reader.get(20, java.util.concurrent.TimeUnit.SECONDS)));
            s.getOutputStream().write("tail".getBytes(StandardCharsets.US_ASCII));
            assertEquals("tail", new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
        }
    }
}
