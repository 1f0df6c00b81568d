package net.proxy.core;

import java.util.concurrent.Executor;
import net.proxy.http.BodyFraming;
import net.proxy.http.RequestHeader;
import net.proxy.l4.StreamDigest;

/**
 * The plain-state half of an {@link Exchange}: the request, its downstream, and the counters and flags that the
 * {@link Session} getters report. The state machine in {@link Exchange} updates these fields; keeping them here
 * keeps that class about the phases. Used on the exchange's event loop only.
 */
abstract class ExchangeSession implements Session {
    final HttpProxy<?> owner;
    final Downstream down;
    final RequestHeader request;
    final BodyFraming requestFraming;
    final boolean subrequest;
    final long startNanos;
    boolean responseStarted;
    boolean keepAlive = true;
    int attempts;
    long connectNanos = -1;
    long requestBodyBytes;
    long responseBodyBytes;
    long upstreamBodyBytes;

    ExchangeSession(HttpProxy<?> owner, Downstream down, RequestHeader request, boolean subrequest, long startNanos) {
        this.owner = owner;
        this.down = down;
        this.request = request;
        this.requestFraming = request.framing();
        this.subrequest = subrequest;
        this.startNanos = startNanos;
    }

    @Override
    public RequestHeader request() {
        return request;
    }

    @Override
    public String protocol() {
        return subrequest ? "subrequest" : request.version().text();
    }

    @Override
    public boolean hasRequestBody() {
        return requestFraming.hasBody();
    }

    @Override
    public boolean isResponseStarted() {
        return responseStarted;
    }

    @Override
    public void keepAlive(boolean keep) {
        keepAlive = keep;
    }

    @Override
    public StreamDigest digest() {
        return down.digest();
    }

    @Override
    public long requestStartNanos() {
        return startNanos;
    }

    @Override
    public long upstreamConnectNanos() {
        return connectNanos;
    }

    @Override
    public long requestBodyBytes() {
        return requestBodyBytes;
    }

    @Override
    public long responseBodyBytes() {
        return responseBodyBytes;
    }

    @Override
    public long upstreamBodyBytes() {
        return upstreamBodyBytes;
    }

    @Override
    public int attempts() {
        return attempts;
    }

    @Override
    public Executor executor() {
        return down.loop();
    }

    @Override
    public boolean isSubrequest() {
        return subrequest;
    }

    @Override
    public boolean isShuttingDown() {
        return owner.isShuttingDown();
    }
}
