package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import net.proxy.core.internal.EventClock;

/**
 * The byte tunnel an exchange becomes after an accepted upgrade ({@code 101 Switching Protocols}, RFC 9110 §7.8) or
 * {@code CONNECT} (RFC 9110 §9.3.6): what the client sends goes to the origin and back, untouched by HTTP, until
 * both sides ended or one closed.
 *
 * <p>The body filter phases see every byte: client bytes go through {@code requestBodyFilter}, origin bytes through
 * {@code upstreamResponseBodyFilter} then {@code responseBodyFilter}; each direction's end ({@code FIN}) is a call
 * with an empty buffer and {@code endOfStream} set. Backpressure: a side that cannot take more stops the reading of
 * the other. A half-close is passed on (the other side's output is shut and its input still read); the tunnel ends
 * when both directions ended, when either side closed, or after {@code idleNanos} without a byte either way.
 *
 * <p>[1] RFC 9110 §7.8 Upgrade, §9.3.6 CONNECT, https://www.rfc-editor.org/rfc/rfc9110
 */
final class Tunnel<C> {
    private final Exchange<C> ex;
    private final ProxyHttp<C> app;
    private final C ctx;
    private final TunnelEnd client;
    private final TunnelEnd origin;
    private final long idleNanos;
    private final LongSupplier ticker;
    private long lastActivity;
    private boolean clientEnded;
    private boolean originEnded;
    private boolean finished;

    Tunnel(
            Exchange<C> ex,
            ProxyHttp<C> app,
            C ctx,
            TunnelEnd client,
            TunnelEnd origin,
            long idleNanos,
            LongSupplier ticker) {
        this.ex = ex;
        this.app = app;
        this.ctx = ctx;
        this.client = client;
        this.origin = origin;
        this.idleNanos = idleNanos;
        this.ticker = ticker;
        this.lastActivity = EventClock.now(ticker);
    }

    /** When the tunnel times out unless a byte moves before. */
    long idleDeadline() {
        return lastActivity + idleNanos;
    }

    boolean isFinished() {
        return finished;
    }

    // ---- client to origin --------------------------------------------------------------------------------------

    /** Bytes from the client (ownership passes). */
    void fromClient(ByteBuf data) {
        if (finished || clientEnded) {
            data.release();
            return;
        }
        lastActivity = EventClock.now(ticker);
        ex.requestBodyBytes += data.readableBytes();
        ByteBuf out;
        try {
            out = app.requestBodyFilter(ex, data, false, ctx);
        } catch (Throwable t) {
            finish(ProxyError.wrap(t, ErrorSource.INTERNAL));
            return;
        }
        send(origin, out);
    }

    void clientReadComplete() {
        if (!finished) {
            origin.flush();
            if (!origin.isWritable()) {
                client.pauseReading(true);
            }
        }
    }

    /** The client can take more (or not): the origin's reading follows. */
    void clientWritable(boolean writable) {
        if (!finished && !originEnded) {
            origin.pauseReading(!writable);
        }
    }

    /** The client shut its output: the origin's is shut after the bytes before. */
    void clientEnded() {
        if (finished || clientEnded) {
            return;
        }
        clientEnded = true;
        try {
            send(origin, app.requestBodyFilter(ex, Unpooled.EMPTY_BUFFER, true, ctx));
        } catch (Throwable t) {
            finish(ProxyError.wrap(t, ErrorSource.INTERNAL));
            return;
        }
        origin.shutdownOutput();
        if (originEnded) {
            finish(null);
        }
    }

    // ---- origin to client --------------------------------------------------------------------------------------

    /** Bytes from the origin (ownership passes). */
    void fromOrigin(ByteBuf data) {
        if (finished || originEnded) {
            data.release();
            return;
        }
        lastActivity = EventClock.now(ticker);
        send(client, responseFilters(data, false));
    }

    void originReadComplete() {
        if (!finished) {
            client.flush();
            if (!client.isWritable()) {
                origin.pauseReading(true);
            }
        }
    }

    /** The origin can take more (or not): the client's reading follows. */
    void originWritable(boolean writable) {
        if (!finished && !clientEnded) {
            client.pauseReading(!writable);
        }
    }

    /** The origin shut its output: the client's is shut after the bytes before. */
    void originEnded() {
        if (finished || originEnded) {
            return;
        }
        originEnded = true;
        ByteBuf last = responseFilters(Unpooled.EMPTY_BUFFER, true);
        if (finished) {
            return;
        }
        send(client, last);
        client.shutdownOutput();
        if (clientEnded) {
            finish(null);
        }
    }

    private ByteBuf responseFilters(ByteBuf data, boolean end) {
        ex.upstreamBodyBytes += data.readableBytes();
        try {
            ByteBuf seen = app.upstreamResponseBodyFilter(ex, data, end, ctx);
            if (seen == null) {
                return null;
            }
            ByteBuf out = app.responseBodyFilter(ex, seen, end, ctx);
            if (out != null) {
                ex.responseBodyBytes += out.readableBytes();
            }
            return out;
        } catch (Throwable t) {
            finish(ProxyError.wrap(t, ErrorSource.INTERNAL));
            return null;
        }
    }

    private static void send(TunnelEnd to, ByteBuf out) {
        if (out == null) {
            return;
        }
        if (out.isReadable()) {
            to.write(out);
        } else {
            out.release();
        }
    }

    // ---- endings -----------------------------------------------------------------------------------------------

    /** A side's connection closed: the tunnel ends, the other side gets what was queued, then closes. */
    void closed() {
        finish(null);
    }

    /** Ends the tunnel if nothing moved for the idle timeout; else returns the new deadline. */
    long checkIdle(long now) {
        long deadline = idleDeadline();
        if (!finished && now - deadline >= 0) {
            finish(ProxyError.of(
                    ErrorKind.READ_TIMEOUT,
                    ErrorSource.UPSTREAM,
                    "tunnel idle for " + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms"));
        }
        return deadline;
    }

    /** Ends the tunnel: both sides close once what was queued for them left; {@code e} is null for a normal end. */
    void finish(ProxyError e) {
        if (finished) {
            return;
        }
        finished = true;
        origin.close();
        client.close();
        ex.tunnelEnded(e);
    }
}
