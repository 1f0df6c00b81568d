package net.proxy.samples.tcpproxy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.proxy.l4.Cidr;
import net.proxy.l4.ConnectionFilter;
import net.proxy.l4.Connector;
import net.proxy.l4.Endpoint;
import net.proxy.l4.L4Proxy;
import net.proxy.l4.Listener;
import net.proxy.l4.Peer;
import net.proxy.l4.PeerBuilder;
import net.proxy.l4.ProxyProtocol;
import net.proxy.l4.TcpOptions;
import net.proxy.l4.Transport;
import net.proxy.samples.Args;
import net.proxy.samples.Running;
import net.proxy.samples.Shutdown;

/** A TCP proxy: bidirectional pump with backpressure and half-close, deny-list, PROXY protocol. */
public final class TcpProxy {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE =
            "tcp-proxy --listen HOST:PORT --upstream HOST:PORT [--deny CIDR ...] [--proxy-protocol]"
                    + " [--accept-proxy-protocol]  L4 proxy (--proxy-protocol sends a v2 header upstream)";

    private TcpProxy() {}

    /**
     * Runs the sample until the JVM stops.
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Shutdown.await(start(args));
    }

    /**
     * Starts the proxy.
     *
     * @param args the options
     * @return the running proxy
     * @throws Exception if it cannot start
     */
    public static Running start(String[] args) throws Exception {
        Args a = Args.parse(
                args,
                Set.of("proxy-protocol", "accept-proxy-protocol", "nio"),
                Set.of("listen", "upstream", "deny", "threads", "idle-timeout-seconds"));
        List<Cidr> deny = a.all("deny").stream().map(Cidr::parse).collect(Collectors.toList());
        PeerBuilder peer = Peer.builder(Args.hostPort(a.get("upstream", null)));
        if (a.flag("proxy-protocol")) {
            peer.proxyProtocol(ProxyProtocol.V2);
        }
        int threads = Integer.parseInt(
                a.get("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        Transport transport = Transport.create(threads, !a.flag("nio"));
        L4Proxy proxy = L4Proxy.builder(Connector.of(transport))
                .upstream(peer.build())
                .idleTimeout(java.time.Duration.ofSeconds(Long.parseLong(a.get("idle-timeout-seconds", "600"))))
                .build();
        Listener listener = Listener.builder(transport)
                .endpoint(Endpoint.tcp(Args.hostPort(a.get("listen", null)), TcpOptions.DEFAULTS))
                .filter(ConnectionFilter.denying(deny))
                .proxyProtocol(a.flag("accept-proxy-protocol"))
                .handler(proxy)
                .build()
                .start();
        System.out.printf(
                "tcp-proxy %s -> %s (transport %s, deny %s, proxy-protocol %s)%n",
                listener.localAddresses(), a.get("upstream", null), transport.name(), deny, a.flag("proxy-protocol"));
        return new Running(listener.localAddresses(), List.of(listener, transport));
    }
}
