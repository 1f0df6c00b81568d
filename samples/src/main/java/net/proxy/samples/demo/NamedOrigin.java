package net.proxy.samples.demo;

import io.netty.buffer.Unpooled;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import net.proxy.core.HttpPeer;
import net.proxy.core.HttpProxy;
import net.proxy.core.ProxyHttp;
import net.proxy.core.Session;
import net.proxy.http.ResponseHeader;

/**
 * A tiny origin server built on the engine itself: every request is answered in {@code requestFilter} with a body
 * naming the origin ({@code "origin NAME: GET /path"}), so a load balancer's spread is visible. {@code /health}
 * answers 200 (or 503 after {@link #sick(boolean)}).
 */
public final class NamedOrigin implements ProxyHttp<Void> {
    private final String name;
    private volatile boolean sick;

    private NamedOrigin(String name) {
        this.name = name;
    }

    /** An HTTP service on {@code address} answering as {@code name}; add it to a {@code Server}. */
    public static HttpProxy<Void> service(String name, SocketAddress address) {
        return HttpProxy.builder(new NamedOrigin(name))
                .name("origin " + name)
                .listen(address)
                .build();
    }

    /** Makes {@code /health} answer 503 ({@code true}) or 200. */
    public void sick(boolean value) {
        sick = value;
    }

    @Override
    public Void newContext() {
        return null;
    }

    @Override
    public boolean requestFilter(Session session, Void ctx) {
        String path = session.request().path();
        int status = path.equals("/health") && sick ? 503 : 200;
        String body = "origin " + name + ": " + session.request().method() + " "
                + session.request().target() + "\n";
        ResponseHeader h = ResponseHeader.of(status);
        h.headers().add("Content-Type", "text/plain; charset=utf-8");
        session.writeResponse(h, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        return true;
    }

    @Override
    public HttpPeer upstreamPeer(Session session, Void ctx) {
        throw new IllegalStateException("an origin answers every request itself");
    }
}
