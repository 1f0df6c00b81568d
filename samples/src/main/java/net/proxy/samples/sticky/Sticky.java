package net.proxy.samples.sticky;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.proxy.core.HttpPeer;
import net.proxy.core.HttpProxy;
import net.proxy.core.LoadBalancedProxy;
import net.proxy.core.ProxyError;
import net.proxy.core.ProxyHttp;
import net.proxy.core.Session;
import net.proxy.http.ResponseHeader;
import net.proxy.lb.Backend;
import net.proxy.lb.LoadBalancer;
import net.proxy.lb.SelectionAlgorithm;
import net.proxy.samples.Args;
import net.proxy.samples.http.HttpSamples;

/**
 * Sticky routing: the value of a request header (default {@code X-User}, else the path) is hashed on an
 * nginx-compatible Ketama ring, so the same user always reaches the same origin while it is up, and only the
 * users of a removed origin move. The chosen origin is shown in an {@code X-Upstream} response header.
 */
public final class Sticky implements ProxyHttp<LoadBalancedProxy.Attempt> {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE = "sticky --listen HOST:PORT --upstream HOST:PORT [--upstream ...]"
            + " [--key-header NAME]  consistent (Ketama) routing by a header";

    private final LoadBalancedProxy balanced;

    /** Sticky routing over {@code lb} by the value of header {@code keyHeader}. */
    public Sticky(LoadBalancer lb, String keyHeader) {
        this.balanced = LoadBalancedProxy.builder(lb)
                .key(s -> {
                    String v = s.request().headers().get(keyHeader);
                    return (v != null ? v : s.request().path()).getBytes(StandardCharsets.UTF_8);
                })
                .build();
    }

    /**
     * Runs the proxy until stopped.
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, Set.of(), Set.of("listen", "upstream", "key-header"));
        List<Backend> backends = HttpSamples.upstreams(a);
        LoadBalancer lb = LoadBalancer.builder()
                .backends(backends)
                .selection(SelectionAlgorithm.ketama())
                .build();
        HttpSamples.serve(
                HttpProxy.builder(new Sticky(lb, a.get("key-header", "X-User")))
                        .name("sticky")
                        .listen(Args.hostPort(a.get("listen", null)))
                        .build(),
                "(curl -H 'X-User: alice' http://HOST:PORT/ always reaches the same origin)");
    }

    @Override
    public LoadBalancedProxy.Attempt newContext() {
        return balanced.newContext();
    }

    @Override
    public HttpPeer upstreamPeer(Session session, LoadBalancedProxy.Attempt ctx) {
        return balanced.upstreamPeer(session, ctx);
    }

    @Override
    public ProxyError failToConnect(Session session, HttpPeer peer, LoadBalancedProxy.Attempt ctx, ProxyError e) {
        return balanced.failToConnect(session, peer, ctx, e);
    }

    @Override
    public ProxyError errorWhileProxy(
            HttpPeer peer, Session session, ProxyError e, LoadBalancedProxy.Attempt ctx, boolean reused) {
        return balanced.errorWhileProxy(peer, session, e, ctx, reused);
    }

    @Override
    public void responseFilter(Session session, ResponseHeader response, LoadBalancedProxy.Attempt ctx) {
        response.headers().set("X-Upstream", ctx.backend().toString());
    }

    @Override
    public void logging(Session session, ProxyError error, LoadBalancedProxy.Attempt ctx) {
        balanced.logging(session, error, ctx);
    }
}
