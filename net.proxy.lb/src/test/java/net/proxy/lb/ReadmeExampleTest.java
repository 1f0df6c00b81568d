package net.proxy.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.proxy.lb.health.HttpHealthCheck;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's net.proxy.lb example, so it keeps compiling and saying the truth. */
@ExtendWith(LeakDetection.class)
class ReadmeExampleTest {

    @Test
    void readmeExampleWorksAsPrinted() {
        try (LoadBalancer lb = LoadBalancer.builder()
                .backends(List.of(Backend.parse("127.0.0.1:8001"), Backend.parse("127.0.0.1:8002")))
                .selection(SelectionAlgorithm.ketama())
                .healthCheck(HttpHealthCheck.builder()
                        .path("/healthz")
                        .interval(Duration.ofSeconds(2))
                        .fall(3)
                        .build())
                .build()) {
            lb.start();
            Candidates c = lb.candidates("user-42".getBytes(StandardCharsets.UTF_8));
            Backend first = c.next(), ifFirstFails = c.next();
            System.out.println(first + " then " + ifFirstFails);
            LoadBalancer.Lease lease = lb.acquire(first);
            lb.reportFailure(first);
            lease.close();
            assertEquals(
                    "127.0.0.1:8002 then 127.0.0.1:8001 / 127.0.0.1:8001",
                    first + " then " + ifFirstFails + " / " + lb.select("user-42".getBytes(StandardCharsets.UTF_8)));
        }
    }
}
