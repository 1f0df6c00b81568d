package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.proxy.lb.Backend;
import net.proxy.lb.HealthCheck;
import net.proxy.lb.LoadBalancer;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A server hosts a load balancer as a background service: started with the server, closed when it stops. */
@ExtendWith(LeakDetection.class)
class ServerLoadBalancerTest {

    @Test
    void theServerStartsTheLoadBalancersWorkAndClosesIt() throws Exception {
        Backend x = Backend.of(new InetSocketAddress("127.0.0.1", 1));
        CountDownLatch discovered = new CountDownLatch(2);
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        HealthCheck check = new HealthCheck() {
            @Override
            public CompletionStage<Void> check(Backend backend) {
                checked.countDown();
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
        LoadBalancer lb = LoadBalancer.builder()
                .discovery(() -> {
                    discovered.countDown();
                    return Set.of(x);
                })
                .updateInterval(Duration.ofMillis(10))
                .healthCheck(check)
                .build();
        Server server = Server.builder().threads(1).build().add(lb).start();
        try {
            assertTrue(discovered.await(10, TimeUnit.SECONDS), "discovery runs on the server's scheduler");
            assertTrue(checked.await(10, TimeUnit.SECONDS), "health checks run on the server's scheduler");
        } finally {
            server.shutdown();
        }
        assertEquals(0, closed.getCount(), "stopping the server closes the load balancer and its health check");
        assertThrows(IllegalStateException.class, lb::start);
    }
}
