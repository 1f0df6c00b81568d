package net.proxy.samples.loadbalancer;

import java.net.InetSocketAddress;
import java.nio.file.Path;
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
import net.proxy.tls.CertificateKey;
import net.proxy.tls.TlsServerSettings;

/** An HTTP load balancer in front of real origins: the selection algorithm, retries on connect failure, health. */
public final class LoadBalancerSample {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE = "load-balancer --listen HOST:PORT --upstream HOST:PORT [--upstream ...]"
            + " [--lb round-robin|random|ketama|least-conn] [--threads N] [--health-check PATH] [--deny CIDR ...]"
            + " [--accept-proxy-protocol] [--tls-cert PEM --tls-key PEM]  HTTP load balancer (HTTP/1.1 and h2c;"
            + " with TLS, h2 and http/1.1 by ALPN)";

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
                Set.of("listen", "upstream", "lb", "threads", "health-check", "deny", "tls-cert", "tls-key"));
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
        Options options = new Options(
                listen,
                backends,
                algorithm,
                threads,
                a.get("health-check", ""),
                deny,
                a.flag("accept-proxy-protocol"),
                tls(a.optional("tls-cert"), a.optional("tls-key")));
        Server server = start(options);
        System.out.println("load-balancer: " + algorithm.name() + " over " + backends + " on "
                + server.boundAddresses().get(0));
        Shutdown.await(server);
    }

    /**
     * What the load balancer runs with.
     *
     * @param listen the address to listen on
     * @param backends the origins
     * @param algorithm how an origin is chosen
     * @param threads event loops
     * @param healthPath the HTTP health-check path, empty for none
     * @param deny client address blocks whose sockets are closed at once
     * @param proxyProtocol whether a PROXY header from an L4 balancer in front is required
     * @param tls TLS for the listener (h2 and http/1.1 by ALPN), or null for clear text (HTTP/1.1 and h2c)
     */
    public record Options(
            InetSocketAddress listen,
            List<Backend> backends,
            SelectionAlgorithm algorithm,
            int threads,
            String healthPath,
            List<Cidr> deny,
            boolean proxyProtocol,
            TlsServerSettings tls) {
        /** Clear text, no deny list, no PROXY header. */
        public Options(
                InetSocketAddress listen,
                List<Backend> backends,
                SelectionAlgorithm algorithm,
                int threads,
                String healthPath) {
            this(listen, backends, algorithm, threads, healthPath, List.of(), false, null);
        }
    }

    /** TLS settings from a PEM certificate chain and key, or null when neither is given. */
    static TlsServerSettings tls(String certPem, String keyPem) throws java.io.IOException {
        if (certPem == null && keyPem == null) {
            return null;
        }
        if (certPem == null || keyPem == null) {
            throw new Args.UsageException("give --tls-cert and --tls-key together");
        }
        // no ALPN named here: the proxy offers h2 and http/1.1 itself while HTTP/2 is on
        return TlsServerSettings.builder()
                .certificate(CertificateKey.fromPem(Path.of(certPem), Path.of(keyPem)))
                .build();
    }

    /** Starts a load balancer over {@code backends} on {@code listen}; an empty health path means no checks. */
    public static Server start(
            InetSocketAddress listen,
            List<Backend> backends,
            SelectionAlgorithm algorithm,
            int threads,
            String healthPath) {
        return start(new Options(listen, backends, algorithm, threads, healthPath));
    }

    /**
     * Starts a load balancer as {@code o} says.
     *
     * @param o the options
     * @return the running server
     */
    public static Server start(Options o) {
        LoadBalancerBuilder lb = LoadBalancer.builder().backends(o.backends()).selection(o.algorithm());
        if (!o.healthPath().isEmpty()) {
            lb.healthCheck(HttpHealthCheck.builder()
                    .path(o.healthPath())
                    .interval(Duration.ofSeconds(1))
                    .build());
        }
        LoadBalancer balancer = lb.build();
        HttpProxyBuilder<?> proxy = HttpProxy.builder(
                        LoadBalancedProxy.builder(balancer).build())
                .name("load-balancer")
                .listen(o.listen())
                .proxyProtocol(o.proxyProtocol());
        if (!o.deny().isEmpty()) {
            proxy.connectionFilter(ConnectionFilter.denying(o.deny()));
        }
        if (o.tls() != null) {
            proxy.tls(o.tls());
        }
        return Server.builder()
                .threads(o.threads())
                .build()
                .add(proxy.build())
                .add(balancer)
                .start();
    }
}
