package net.proxy.samples.loadbalancer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.proxy.core.HttpProxy;
import net.proxy.core.HttpProxyBuilder;
import net.proxy.core.LoadBalancedProxy;
import net.proxy.core.Server;
import net.proxy.l4.Cidr;
import net.proxy.l4.ConnectionFilter;
import net.proxy.lb.Backend;
import net.proxy.lb.LoadBalancer;
import net.proxy.lb.LoadBalancerBuilder;
import net.proxy.lb.SelectionAlgorithm;
import net.proxy.lb.health.HttpHealthCheck;
import net.proxy.samples.Args;
import net.proxy.samples.Shutdown;
import net.proxy.samples.http.HttpSamples;

/** An HTTP load balancer in front of real origins: the selection algorithm, retries on connect failure, health. */
public final class LoadBalancerSample {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE = "load-balancer --listen HOST:PORT --upstream HOST:PORT [--upstream ...]"
            + " [--lb round-robin|random|ketama|least-conn] [--threads N] [--health-check PATH] [--deny CIDR ...]"
            + " [--accept-proxy-protocol]  HTTP load balancer";

    private LoadBalancerSample() {}

    /**
     * Runs the load balancer until stopped.
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(
                args,
                Set.of("accept-proxy-protocol"),
                Set.of("listen", "upstream", "lb", "threads", "health-check", "deny"));
        List<Backend> backends = HttpSamples.upstreams(a);
        SelectionAlgorithm algorithm;
        try {
            algorithm = SelectionAlgorithm.named(a.get("lb", "round-robin"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        int threads = Integer.parseInt(
                a.get("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        InetSocketAddress listen = Args.hostPort(a.get("listen", null));
        List<Cidr> deny = a.all("deny").stream().map(Cidr::parse).collect(Collectors.toList());
        Server server = start(
                listen, backends, algorithm, threads, a.get("health-check", ""), deny, a.flag("accept-proxy-protocol"));
        System.out.println("load-balancer: " + algorithm.name() + " over " + backends + " on "
                + server.boundAddresses().get(0));
        Shutdown.await(server);
    }

    /** Starts a load balancer over {@code backends} on {@code listen}; an empty health path means no checks. */
    public static Server start(
            InetSocketAddress listen,
            List<Backend> backends,
            SelectionAlgorithm algorithm,
            int threads,
            String healthPath) {
        return start(listen, backends, algorithm, threads, healthPath, List.of(), false);
    }

    /**
     * Starts a load balancer that also closes sockets from the {@code deny} blocks and, with
     * {@code proxyProtocol}, requires a PROXY header from the L4 balancer in front.
     */
    public static Server start(
            InetSocketAddress listen,
            List<Backend> backends,
            SelectionAlgorithm algorithm,
            int threads,
            String healthPath,
            List<Cidr> deny,
            boolean proxyProtocol) {
        LoadBalancerBuilder lb = LoadBalancer.builder().backends(backends).selection(algorithm);
        if (!healthPath.isEmpty()) {
            lb.healthCheck(HttpHealthCheck.builder()
                    .path(healthPath)
                    .interval(Duration.ofSeconds(1))
                    .build());
        }
        LoadBalancer balancer = lb.build();
        HttpProxyBuilder<?> proxy = HttpProxy.builder(
                        LoadBalancedProxy.builder(balancer).build())
                .name("load-balancer")
                .listen(listen)
                .proxyProtocol(proxyProtocol);
        if (!deny.isEmpty()) {
            proxy.connectionFilter(ConnectionFilter.denying(deny));
        }
        return Server.builder()
                .threads(threads)
                .build()
                .add(proxy.build())
                .add(balancer)
                .start();
    }
}
