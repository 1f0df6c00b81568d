package net.proxy.samples.gateway;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.proxy.core.HttpPeer;
import net.proxy.core.HttpProxy;
import net.proxy.core.ProxyHttp;
import net.proxy.core.Session;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.samples.Args;
import net.proxy.samples.http.HttpSamples;

/**
 * An API gateway: routes by host and path prefix, rewrites headers both ways, answers some requests itself.
 * {@code /api/...} (or any request for host {@code api.*}) goes to the API origin with the prefix removed; everything
 * else goes to the web origin; {@code /gateway/health} is answered by the gateway.
 */
public final class Gateway implements ProxyHttp<Void> {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE = "gateway --listen HOST:PORT --api HOST:PORT --web HOST:PORT"
            + "  route by host and path, rewrite headers, answer locally";

    private final HttpPeer api;
    private final HttpPeer web;
    private final AtomicLong ids = new AtomicLong();

    /** A gateway to the two origins. */
    public Gateway(InetSocketAddress api, InetSocketAddress web) {
        this.api = HttpPeer.of(api);
        this.web = HttpPeer.of(web);
    }

    /**
     * Runs the gateway until stopped.
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, Set.of(), Set.of("listen", "api", "web"));
        Gateway g = new Gateway(Args.hostPort(a.get("api", null)), Args.hostPort(a.get("web", null)));
        HttpSamples.serve(
                HttpProxy.builder(g)
                        .name("gateway")
                        .listen(Args.hostPort(a.get("listen", null)))
                        .build(),
                "");
    }

    @Override
    public Void newContext() {
        return null;
    }

    @Override
    public boolean requestFilter(Session session, Void ctx) {
        RequestHeader req = session.request();
        if (req.path().equals("/gateway/health")) {
            session.writeResponse(ResponseHeader.of(200), Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
            return true;
        }
        return false;
    }

    @Override
    public HttpPeer upstreamPeer(Session session, Void ctx) {
        RequestHeader req = session.request();
        String host = req.headers().get("Host");
        boolean toApi = req.path().startsWith("/api/") || (host != null && host.startsWith("api."));
        return toApi ? api : web;
    }

    @Override
    public void upstreamRequestFilter(Session session, RequestHeader upstream, Void ctx) {
        if (upstream.path().startsWith("/api/")) {
            upstream.target(upstream.target().substring(4));
        }
        upstream.headers().set("X-Request-Id", Long.toString(ids.incrementAndGet()));
        if (session.digest().clientAddress() instanceof InetSocketAddress) {
            upstream.headers()
                    .add(
                            "X-Forwarded-For",
                            ((InetSocketAddress) session.digest().clientAddress())
                                    .getAddress()
                                    .getHostAddress());
        }
    }

    @Override
    public void responseFilter(Session session, ResponseHeader response, Void ctx) {
        response.headers().remove("Server");
        response.headers().set("X-Gateway", "net.proxy");
    }
}
