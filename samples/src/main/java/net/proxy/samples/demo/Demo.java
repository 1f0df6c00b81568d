package net.proxy.samples.demo;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import net.proxy.core.HttpProxy;
import net.proxy.core.LoadBalancedProxy;
import net.proxy.core.Server;
import net.proxy.lb.Backend;
import net.proxy.lb.LoadBalancer;
import net.proxy.lb.SelectionAlgorithm;
import net.proxy.lb.health.HttpHealthCheck;
import net.proxy.samples.Args;
import net.proxy.samples.Shutdown;

/**
 * The main job ({@code bin/proxy} with no arguments): two in-process origins and a round-robin load balancer with
 * HTTP health checks in front of them on 127.0.0.1:6188.
 */
public final class Demo {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE = "demo [--listen HOST:PORT]  two origins behind a load balancer"
            + " (what bin/proxy runs without arguments)";

    private Demo() {}

    /**
     * The running demo: the load balancer's server and the origins' server.
     *
     * @param front hosts the load balancer and its health checks
     * @param origins hosts the two origins
     */
    public record Running(Server front, Server origins) implements AutoCloseable {
        /** The load balancer's address. */
        public InetSocketAddress address() {
            return (InetSocketAddress) front.boundAddresses().get(0);
        }

        /** Stops the load balancer, then the origins (graceful). */
        @Override
        public void close() {
            front.shutdown();
            origins.shutdown();
        }
    }

    /**
     * Runs the demo until stopped.
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, Set.of(), Set.of("listen"));
        Running running = start(Args.hostPort(a.get("listen", "127.0.0.1:6188")));
        String url = "http://" + running.address().getHostString() + ":"
                + running.address().getPort() + "/";
        System.out.println("net.proxy demo: a load balancer on " + url + " in front of two origins "
                + running.origins().boundAddresses() + ", with health checks on /health every second");
        System.out.println("try:");
        System.out.println("  curl " + url + "hello " + url + "hello   # origin one answers, then origin two");
        System.out.println("  curl -i " + url + "                            # the response headers");
        System.out.println("Ctrl-C stops it.");
        Shutdown.await(running);
    }

    /** Starts the two origins and the load balancer on {@code listen}. */
    public static Running start(InetSocketAddress listen) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Server origins = Server.builder()
                .threads(1)
                .build()
                .add(NamedOrigin.service("one", new InetSocketAddress(loopback, 0)))
                .add(NamedOrigin.service("two", new InetSocketAddress(loopback, 0)))
                .start();
        List<SocketAddress> bound = origins.boundAddresses();
        LoadBalancer lb = LoadBalancer.builder()
                .backends(List.of(
                        Backend.of((InetSocketAddress) bound.get(0)), Backend.of((InetSocketAddress) bound.get(1))))
                .selection(SelectionAlgorithm.roundRobin())
                .healthCheck(HttpHealthCheck.builder()
                        .path("/health")
                        .interval(Duration.ofSeconds(1))
                        .build())
                .build();
        HttpProxy<?> proxy = HttpProxy.builder(LoadBalancedProxy.builder(lb).build())
                .name("demo load balancer")
                .listen(listen)
                .build();
        try {
            return new Running(
                    Server.builder().threads(1).build().add(proxy).add(lb).start(), origins);
        } catch (RuntimeException e) {
            origins.shutdownNow();
            throw e;
        }
    }
}
