package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import net.proxy.http.BodyFraming;
import net.proxy.http.HttpHeaders;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.StreamDigest;

/** The downstream of a background subrequest: discards the response and reports its status. */
final class SubrequestDownstream implements Downstream {
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final StreamDigest digest;
    final CompletableFuture<Integer> done = new CompletableFuture<>();

    SubrequestDownstream(EventLoop loop, ByteBufAllocator alloc, StreamDigest digest) {
        this.loop = loop;
        this.alloc = alloc;
        this.digest = digest;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public StreamDigest digest() {
        return digest;
    }

    @Override
    public ResponseWriter responseWriter() {
        return DISCARD;
    }

    /** The response of a subrequest goes nowhere: its body buffers are released as they come. */
    private static final ResponseWriter DISCARD = new ResponseWriter() {
        @Override
        public void start(ExchangeSession exchange) {}

        @Override
        public void informational(ResponseHeader head) {}

        @Override
        public void head(ResponseHeader head, BodyFraming.Kind framing, int headroom) {}

        @Override
        public void body(ByteBuf out, ByteBuf received) {
            if (out != null) {
                out.release();
            }
        }

        @Override
        public boolean acceptsTrailers() {
            return false;
        }

        @Override
        public void end(HttpHeaders trailers) {}

        @Override
        public boolean dropPendingHead() {
            return false;
        }
    };

    @Override
    public void flush() {}

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public void pauseBody(boolean pause) {}

    @Override
    public boolean canKeepAlive() {
        return false;
    }

    @Override
    public void forceClose() {}

    @Override
    public void keepAliveRefused() {}

    @Override
    public String connectProtocol() {
        return null;
    }

    @Override
    public TunnelEnd tunnelEnd() {
        return null; // a subrequest has no client connection to tunnel
    }

    @Override
    public void startTunnel(Tunnel<?> tunnel) {
        throw new IllegalStateException("no tunnel here");
    }

    @Override
    public boolean requestBodyComplete() {
        return true;
    }

    @Override
    public void exchangeDone(Exchange<?> exchange, boolean keepAlive) {
        done.complete(exchange.responseStatus());
    }
}
