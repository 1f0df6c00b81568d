package net.proxy.samples.loadbalancer;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.proxy.core.HttpPeer;
import net.proxy.core.HttpPeerBuilder;
import net.proxy.core.HttpProxy;
import net.proxy.core.HttpProxyBuilder;
import net.proxy.core.LoadBalancedProxy;
import net.proxy.core.Server;
import net.proxy.core.UpstreamProtocol;
import net.proxy.core.grpcweb.GrpcWeb;
import net.proxy.core.grpcweb.GrpcWebOptions;
import net.proxy.l4.Cidr;
import net.proxy.l4.ConnectionFilter;
import net.proxy.l4.Peer;
import net.proxy.l4.PeerBuilder;
import net.proxy.lb.Backend;
import net.proxy.lb.HealthCheck;
import net.proxy.lb.LoadBalancer;
import net.proxy.lb.LoadBalancerBuilder;
import net.proxy.lb.SelectionAlgorithm;
import net.proxy.lb.health.GrpcHealthCheck;
import net.proxy.lb.health.GrpcHealthCheckBuilder;
import net.proxy.lb.health.HttpHealthCheck;
import net.proxy.samples.Args;
import net.proxy.samples.Shutdown;
import net.proxy.samples.http.HttpSamples;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.Pem;
import net.proxy.tls.TlsClientSettings;
import net.proxy.tls.TlsClientSettingsBuilder;
import net.proxy.tls.TlsConnector;
import net.proxy.tls.TlsServerSettings;

/**
 * An HTTP load balancer in front of real origins: the selection algorithm, retries on connect failure, HTTP or gRPC
 * health checks, and optionally a gRPC-web bridge for browsers.
 */
public final class LoadBalancerSample {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE = "load-balancer --listen HOST:PORT --upstream HOST:PORT [--upstream ...]"
            + " [--lb round-robin|random|ketama|least-conn] [--threads N] [--health-check PATH|grpc|grpc:SERVICE]"
            + " [--deny CIDR ...]"
            + " [--accept-proxy-protocol] [--tls-cert PEM --tls-key PEM] [--upstream-protocol h1|h2c|h2|auto]"
            + " [--upstream-ca PEM] [--upstream-sni NAME] [--grpc-web [--grpc-web-cors] [--cors-origin ORIGIN ...]]"
            + "  HTTP load balancer (clients: HTTP/1.1 and h2c, or with"
            + " TLS h2 and http/1.1 by ALPN; origins: h1 plain HTTP/1.1 (TLS with --upstream-ca or --upstream-sni),"
            + " h2c prior knowledge, h2 TLS with ALPN h2, auto TLS with ALPN h2,http/1.1; --grpc-web bridges gRPC-web"
            + " clients to gRPC origins, with CORS for browsers by --grpc-web-cors)";

    private static final String GRPC = "grpc";

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
                Set.of("accept-proxy-protocol", "grpc-web", "grpc-web-cors"),
                Set.of(
                        "listen",
                        "upstream",
                        "lb",
                        "threads",
                        "health-check",
                        "deny",
                        "tls-cert",
                        "tls-key",
                        "upstream-protocol",
                        "upstream-ca",
                        "upstream-sni",
                        "cors-origin"));
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
                tls(a.optional("tls-cert"), a.optional("tls-key")),
                Upstream.parse(a.get("upstream-protocol", "h1"), a.optional("upstream-ca"), a.optional("upstream-sni")),
                grpcWeb(a.flag("grpc-web"), a.flag("grpc-web-cors"), a.all("cors-origin")));
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
     * @param healthPath the health check: an HTTP path ({@code /health}), {@code grpc} (the gRPC health service for
     *     the whole server), {@code grpc:SERVICE} (for one service), or empty for none
     * @param deny client address blocks whose sockets are closed at once
     * @param proxyProtocol whether a PROXY header from an L4 balancer in front is required
     * @param tls TLS for the listener (h2 and http/1.1 by ALPN), or null for clear text (HTTP/1.1 and h2c)
     * @param upstream how origins are spoken to
     * @param grpcWeb the gRPC-web bridge's options, or null for no bridge
     */
    public record Options(
            InetSocketAddress listen,
            List<Backend> backends,
            SelectionAlgorithm algorithm,
            int threads,
            String healthPath,
            List<Cidr> deny,
            boolean proxyProtocol,
            TlsServerSettings tls,
            Upstream upstream,
            GrpcWebOptions grpcWeb) {
        /** Without a gRPC-web bridge. */
        public Options(
                InetSocketAddress listen,
                List<Backend> backends,
                SelectionAlgorithm algorithm,
                int threads,
                String healthPath,
                List<Cidr> deny,
                boolean proxyProtocol,
                TlsServerSettings tls,
                Upstream upstream) {
            this(listen, backends, algorithm, threads, healthPath, deny, proxyProtocol, tls, upstream, null);
        }

        /** Clear text, no deny list, no PROXY header. */
        public Options(
                InetSocketAddress listen,
                List<Backend> backends,
                SelectionAlgorithm algorithm,
                int threads,
                String healthPath) {
            this(listen, backends, algorithm, threads, healthPath, List.of(), false, null, Upstream.HTTP1);
        }
    }

    /**
     * How the load balancer speaks to its origins.
     *
     * @param protocol the HTTP version
     * @param tls TLS to the origins (certificates verified against {@code --upstream-ca}, else the system roots),
     *     or null for plain text
     * @param serverName the SNI name and the name verified in the certificate, or null for the origin's address
     */
    public record Upstream(UpstreamProtocol protocol, TlsClientSettings tls, String serverName) {
        /** Plain-text HTTP/1.1. */
        public static final Upstream HTTP1 = new Upstream(UpstreamProtocol.H1, null, null);

        /**
         * Reads the command-line options: {@code h1} (TLS when a CA or an SNI name is given), {@code h2c},
         * {@code h2} or {@code auto}; verification is always on.
         *
         * @param protocol h1, h2c, h2 or auto
         * @param caPem a PEM file of trusted roots, or null for the system's
         * @param sni the server name, or null
         * @return the choice
         * @throws Args.UsageException if a value is unknown or contradicts another
         */
        public static Upstream parse(String protocol, String caPem, String sni) {
            boolean tlsAsked = caPem != null || sni != null;
            UpstreamProtocol p;
            boolean tls;
            switch (protocol) {
                case "h1" -> {
                    p = UpstreamProtocol.H1;
                    tls = tlsAsked;
                }
                case "h2c" -> {
                    if (tlsAsked) {
                        throw new Args.UsageException("--upstream-protocol h2c is plain text: no --upstream-ca or"
                                + " --upstream-sni (TLS with ALPN h2 is --upstream-protocol h2)");
                    }
                    p = UpstreamProtocol.H2;
                    tls = false;
                }
                case "h2" -> {
                    p = UpstreamProtocol.H2;
                    tls = true;
                }
                case "auto" -> {
                    p = UpstreamProtocol.H2_OR_H1;
                    tls = true;
                }
                default ->
                    throw new Args.UsageException(
                            "--upstream-protocol " + protocol + " (expected: h1, h2c, h2 or auto)");
            }
            TlsClientSettings settings = null;
            if (tls) {
                TlsClientSettingsBuilder b = TlsClientSettings.builder();
                if (caPem != null) {
                    b.trustRoots(Pem.certificates(Path.of(caPem)));
                }
                settings = b.build();
            }
            return new Upstream(p, settings, sni);
        }

        /** The peer for {@code backend}. */
        HttpPeer peer(Backend backend) {
            HttpPeerBuilder b = HttpPeer.builder(backend.address()).tag(backend).protocol(protocol);
            if (tls != null) {
                b.tls(tls, serverName);
            }
            return b.build();
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

    /** Starts a load balancer over {@code backends} on {@code listen}; an empty health check means none. */
    public static Server start(
            InetSocketAddress listen,
            List<Backend> backends,
            SelectionAlgorithm algorithm,
            int threads,
            String healthPath) {
        return start(new Options(listen, backends, algorithm, threads, healthPath));
    }

    /**
     * The gRPC-web options of {@code --grpc-web}, {@code --grpc-web-cors} and {@code --cors-origin}, or null for no
     * bridge.
     */
    static GrpcWebOptions grpcWeb(boolean bridge, boolean cors, List<String> origins) {
        if (!bridge) {
            if (cors || !origins.isEmpty()) {
                throw new Args.UsageException("--grpc-web-cors and --cors-origin need --grpc-web");
            }
            return null;
        }
        if (!origins.isEmpty() && !cors) {
            throw new Args.UsageException("--cors-origin needs --grpc-web-cors");
        }
        try {
            return GrpcWebOptions.builder()
                    .cors(cors)
                    .allowedOrigins(origins.toArray(String[]::new))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    /**
     * The health check {@code --health-check} names, checking every second: {@code grpc} or {@code grpc:SERVICE}
     * call the standard gRPC health service (over TLS with ALPN h2 when the origins speak TLS), anything else is
     * the path of an HTTP/1.1 {@code GET}.
     */
    static HealthCheck healthCheck(String spec, Upstream upstream) {
        if (spec.equals(GRPC) || spec.startsWith(GRPC + ":")) {
            GrpcHealthCheckBuilder grpc = GrpcHealthCheck.builder()
                    .service(spec.equals(GRPC) ? "" : spec.substring(GRPC.length() + 1))
                    .interval(Duration.ofSeconds(1));
            if (upstream.tls() != null) {
                TlsConnector tls = TlsConnector.of(upstream.tls());
                grpc.peers(b -> {
                    PeerBuilder peer = Peer.builder(b.address()).tls(tls);
                    if (upstream.serverName() != null) {
                        peer.serverName(upstream.serverName());
                    }
                    return peer.build();
                });
            }
            return grpc.build();
        }
        try {
            return HttpHealthCheck.builder()
                    .path(spec)
                    .interval(Duration.ofSeconds(1))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--health-check " + spec + " (expected: /PATH, grpc or grpc:SERVICE)");
        }
    }

    /**
     * Starts a load balancer as {@code o} says.
     *
     * @param o the options
     * @return the running server
     */
    public static Server start(Options o) {
        LoadBalancerBuilder lb = LoadBalancer.builder().backends(o.backends()).selection(o.algorithm());
        Upstream upstream = o.upstream();
        if (!o.healthPath().isEmpty()) {
            lb.healthCheck(healthCheck(o.healthPath(), upstream));
        }
        LoadBalancer balancer = lb.build();
        LoadBalancedProxy app =
                LoadBalancedProxy.builder(balancer).peers(upstream::peer).build();
        HttpProxyBuilder<?> proxy = (o.grpcWeb() == null
                        ? HttpProxy.builder(app)
                        : HttpProxy.builder(GrpcWeb.bridge(app, o.grpcWeb())))
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
