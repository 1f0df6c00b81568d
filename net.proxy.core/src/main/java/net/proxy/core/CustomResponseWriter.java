package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import net.proxy.http.BodyFraming;
import net.proxy.http.HttpHeaders;
import net.proxy.http.ResponseHeader;

/**
 * Writes a response through a {@link CustomCodec}, for a {@link CustomServerConnection}: a head (ending the message
 * when there is no body: no framing, {@code HEAD}, 204, 304), body pieces, an end with the trailers. Interim (1xx)
 * responses are dropped: the custom protocol SPI does not carry them.
 */
final class CustomResponseWriter implements ResponseWriter {
    private final CustomCodec codec;
    private final ClientOutput out;
    private final ByteBufAllocator alloc;
    private ExchangeSession session;
    private boolean ended;
    private boolean closed;

    CustomResponseWriter(CustomCodec codec, ClientOutput out, ByteBufAllocator alloc) {
        this.codec = codec;
        this.out = out;
        this.alloc = alloc;
    }

    /** Whether the current response was written to its end (false: it broke off, or none started). */
    boolean ended() {
        return ended;
    }

    /** The connection closed: nothing more is written. */
    void closed() {
        closed = true;
    }

    @Override
    public void start(ExchangeSession exchange) {
        session = exchange;
        ended = false;
    }

    @Override
    public void informational(ResponseHeader head) {}

    @Override
    public void head(ResponseHeader head, BodyFraming.Kind kind, int headroom) {
        if (closed || ended) {
            return;
        }
        int status = head.status();
        boolean noBody = kind == BodyFraming.Kind.NONE
                || "HEAD".equals(session.request.method())
                || status == 204
                || status == 304;
        out.write(codec.encodeResponseHead(alloc, head, noBody));
        ended = noBody;
    }

    @Override
    public void body(ByteBuf data, ByteBuf received) {
        if (data == null) {
            return;
        }
        if (closed || ended || !data.isReadable()) {
            data.release();
            return;
        }
        out.write(codec.encodeBody(alloc, data));
    }

    @Override
    public boolean acceptsTrailers() {
        return true;
    }

    @Override
    public void end(HttpHeaders trailers) {
        if (closed || ended) {
            return;
        }
        ended = true;
        out.write(codec.encodeEnd(alloc, trailers));
    }

    @Override
    public boolean dropPendingHead() {
        return false;
    }
}
