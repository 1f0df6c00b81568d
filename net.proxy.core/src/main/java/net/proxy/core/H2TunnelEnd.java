package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;

/**
 * The client side of a tunnel carried by one HTTP/2 stream: a {@code CONNECT} (RFC 9113 §8.5) or an extended
 * {@code CONNECT} such as WebSocket (RFC 8441). The tunnel's bytes are the stream's DATA payloads; the client's
 * {@code END_STREAM} is its half-close, ours an empty DATA frame with {@code END_STREAM}. Flow control is the
 * stream's: DATA handed to the tunnel returns to the client's window unless the origin side is full.
 */
final class H2TunnelEnd implements TunnelEnd {
    private final H2Stream stream;
    /** DATA that came before the tunnel opened (a client need not wait for the 200), and whether it ended. */
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();

    private boolean earlyEnd;
    private Tunnel<?> tunnel;

    H2TunnelEnd(H2Stream stream) {
        this.stream = stream;
    }

    /** Client DATA (retained by the caller for us); {@code end} is its END_STREAM. */
    void fromClient(ByteBuf data, boolean end) {
        Tunnel<?> t = tunnel;
        if (t == null) {
            if (data.isReadable()) {
                early.add(data);
            } else {
                data.release();
            }
            earlyEnd |= end;
            return;
        }
        if (data.isReadable()) {
            t.fromClient(data);
        } else {
            data.release();
        }
        if (end) {
            t.clientEnded();
        }
        t.clientReadComplete();
    }

    /** The tunnel opened: what came early goes first. */
    void open(Tunnel<?> t) {
        tunnel = t;
        for (ByteBuf b; (b = early.poll()) != null; ) {
            t.fromClient(b);
        }
        if (earlyEnd) {
            t.clientEnded();
        }
        t.clientReadComplete();
    }

    Tunnel<?> tunnel() {
        return tunnel;
    }

    /** The stream closed before the tunnel opened: what came early is dropped. */
    void release() {
        for (ByteBuf b; (b = early.poll()) != null; ) {
            b.release();
        }
    }

    @Override
    public void write(ByteBuf data) {
        stream.tunnelData(data, false);
    }

    @Override
    public void flush() {
        stream.flush();
    }

    @Override
    public boolean isWritable() {
        return stream.isWritable();
    }

    @Override
    public void pauseReading(boolean pause) {
        stream.pauseBody(pause);
    }

    @Override
    public void shutdownOutput() {
        stream.tunnelData(Unpooled.EMPTY_BUFFER, true);
        stream.flush();
    }

    @Override
    public void close() {
        shutdownOutput();
    }
}
