package net.proxy.samples.failover;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import net.proxy.core.HttpPeer;
import net.proxy.core.HttpProxy;
import net.proxy.core.LoadBalancedProxy;
import net.proxy.lb.Backend;
import net.proxy.lb.LoadBalancer;
import net.proxy.lb.SelectionAlgorithm;
import net.proxy.samples.Args;
import net.proxy.samples.http.HttpSamples;

/**
 * Failover with retries: origins are tried in order (round robin over the ready ones); a refused connection, a
 * stale pooled connection (idempotent requests) or one of the {@code --retry-status} codes (idempotent requests)
 * moves the request to the next origin, up to {@code --retries} times; a refusing origin is skipped for 10 s.
 */
public final class Failover {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE = "failover --listen HOST:PORT --upstream HOST:PORT [--upstream ...]"
            + " [--retries N] [--retry-status 502,503]  retries on the next origin";

    private Failover() {}

    /**
     * Runs the proxy until stopped.
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, Set.of(), Set.of("listen", "upstream", "retries", "retry-status"));
        List<Backend> backends = HttpSamples.upstreams(a);
        int[] statuses = a.get("retry-status", "502,503,504").isEmpty()
                ? new int[0]
                : java.util.Arrays.stream(a.get("retry-status", "502,503,504").split(","))
                        .mapToInt(s -> Integer.parseInt(s.trim()))
                        .toArray();
        LoadBalancer lb = LoadBalancer.builder()
                .backends(backends)
                .selection(SelectionAlgorithm.roundRobin())
                .build();
        LoadBalancedProxy app = LoadBalancedProxy.builder(lb)
                .peers(b -> HttpPeer.builder(b.address())
                        .connectTimeout(Duration.ofSeconds(1))
                        .tag(b)
                        .build())
                .build();
        HttpSamples.serve(
                HttpProxy.builder(app)
                        .name("failover")
                        .listen(Args.hostPort(a.get("listen", null)))
                        .maxRetries(Integer.parseInt(a.get("retries", "3")))
                        .retryOnStatus(statuses)
                        .build(),
                "over " + backends);
    }
}
