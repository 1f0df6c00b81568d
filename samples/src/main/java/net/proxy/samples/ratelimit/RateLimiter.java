package net.proxy.samples.ratelimit;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import net.proxy.core.HttpPeer;
import net.proxy.core.HttpProxy;
import net.proxy.core.ProxyHttp;
import net.proxy.core.Session;
import net.proxy.http.ResponseHeader;
import net.proxy.limits.GcraLimiter;
import net.proxy.samples.Args;
import net.proxy.samples.http.HttpSamples;

/**
 * A rate-limiting proxy: each client address may send {@code --rate} requests per second with a burst of
 * {@code --burst}; beyond that it gets 429 with {@code Retry-After} ({@code net.proxy.limits}' GCRA limiter).
 */
public final class RateLimiter implements ProxyHttp<Void> {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE = "rate-limiter --listen HOST:PORT --upstream HOST:PORT [--rate N] [--burst N]"
            + "  429 + Retry-After past N requests/s per client";

    private final GcraLimiter limiter;
    private final HttpPeer upstream;

    /** A limiter of {@code perSecond} requests per second and {@code burst} per client, in front of {@code upstream}. */
    public RateLimiter(InetSocketAddress upstream, long perSecond, long burst) {
        this.upstream = HttpPeer.of(upstream);
        this.limiter = GcraLimiter.builder()
                .rate(perSecond, Duration.ofSeconds(1))
                .burst(burst)
                .build();
    }

    /**
     * Runs the proxy until stopped.
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, Set.of(), Set.of("listen", "upstream", "rate", "burst"));
        RateLimiter app = new RateLimiter(
                Args.hostPort(a.get("upstream", null)),
                Long.parseLong(a.get("rate", "10")),
                Long.parseLong(a.get("burst", "5")));
        HttpSamples.serve(
                HttpProxy.builder(app)
                        .name("rate-limiter")
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
        SocketAddress remote = session.digest().clientAddress();
        Object key = remote instanceof InetSocketAddress ? ((InetSocketAddress) remote).getAddress() : remote;
        GcraLimiter.Decision d = limiter.tryAcquire(key);
        if (d.allowed()) {
            return false;
        }
        ResponseHeader h = ResponseHeader.of(429);
        h.headers().add("Retry-After", Long.toString(d.retryAfterSeconds()));
        session.writeResponse(h, Unpooled.copiedBuffer("too many requests\n", StandardCharsets.US_ASCII));
        return true;
    }

    @Override
    public HttpPeer upstreamPeer(Session session, Void ctx) {
        return upstream;
    }
}
