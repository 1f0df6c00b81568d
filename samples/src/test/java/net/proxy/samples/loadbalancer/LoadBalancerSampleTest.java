package net.proxy.samples.loadbalancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import net.proxy.core.Server;
import net.proxy.core.lb.Backend;
import net.proxy.core.lb.SelectionAlgorithm;
import net.proxy.samples.demo.Demo;
import net.proxy.samples.demo.DemoTest;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class LoadBalancerSampleTest {

    @Test
    void ketamaSendsTheSamePathToTheSameOrigin() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Demo.Running origins = Demo.start(any)) {
            List<Backend> backends = new ArrayList<>();
            for (var a : origins.origins().boundAddresses()) {
                backends.add(Backend.of((InetSocketAddress) a));
            }
            Server lb = LoadBalancerSample.start(any, backends, SelectionAlgorithm.ketama(), 1, "/health");
            try {
                InetSocketAddress address = (InetSocketAddress) lb.boundAddresses().get(0);
                String first = DemoTest.get(address, "/same");
                for (int i = 0; i < 5; i++) {
                    assertEquals(first, DemoTest.get(address, "/same"));
                }
            } finally {
                lb.shutdownNow();
            }
        }
    }
}
