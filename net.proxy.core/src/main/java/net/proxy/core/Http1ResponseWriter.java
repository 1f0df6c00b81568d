package net.proxy.core;

import io.netty.buffer.ByteBuf;
import net.proxy.http.BodyFraming;
import net.proxy.http.Http1Serializer;
import net.proxy.http.HttpHeaders;
import net.proxy.http.HttpVersion;
import net.proxy.http.ResponseHeader;
import net.proxy.http.netty.ByteBufHttp1;

/**
 * The HTTP/1 response writer of one client connection (RFC 9112): status line and fields, {@code Connection} as the
 * keep-alive decision needs, and the body framed as its length allows — as received when a {@code Content-Length}
 * is kept, chunked to an HTTP/1.1 client when the length is unknown, close-delimited to an HTTP/1.0 one. A head
 * whose body follows whole in one read buffer is written into that buffer's free bytes, so the two leave in one
 * write.
 *
 * <p>[1] RFC 9112 §6 Message Body, §7.1 Chunked Transfer Coding, §9.3 Persistence,
 * https://www.rfc-editor.org/rfc/rfc9112
 */
final class Http1ResponseWriter implements ResponseWriter {
    private final DownstreamConnection down;
    private ExchangeSession ex;
    private boolean chunked;
    private boolean sent100;
    /** A response head not written yet, and the free bytes before the body it may be written into. */
    private ResponseHeader pendingHead;

    private int pendingHeadroom;

    Http1ResponseWriter(DownstreamConnection down) {
        this.down = down;
    }

    @Override
    public void start(ExchangeSession exchange) {
        ex = exchange;
        chunked = false;
        sent100 = false;
        pendingHead = null;
    }

    @Override
    public void informational(ResponseHeader head) {
        if (head.status() == 100) {
            if (ex.request.expectsContinue() && !sent100) {
                sent100 = true;
                down.write(Http1Wire.CONTINUE_100.duplicate());
                down.flush();
            }
            return;
        }
        head.version(HttpVersion.HTTP_1_1);
        down.write(Http1Wire.encode(down.alloc(), head));
        down.flush();
    }

    @Override
    public void head(ResponseHeader head, BodyFraming.Kind framing, int headroom) {
        HttpHeaders h = head.headers();
        if (framing == BodyFraming.Kind.TUNNEL) {
            // RFC 9110 §7.8: a 101 names the protocol switched to; the connection is the tunnel's from here
            if (head.status() == 101) {
                h.set("Connection", "upgrade");
            }
            head.version(HttpVersion.HTTP_1_1);
            down.write(Http1Wire.encode(down.alloc(), head));
            return;
        }
        if (framing == BodyFraming.Kind.CHUNKED
                || framing == BodyFraming.Kind.CLOSE_DELIMITED
                || framing == BodyFraming.Kind.CONTENT_LENGTH && !h.contains("Content-Length")) {
            // the length is unknown (or a filter that changed it removed Content-Length): frame the body anew
            h.remove("Content-Length");
            if (ex.request.version() != HttpVersion.HTTP_1_0) {
                h.add("Transfer-Encoding", "chunked");
                chunked = true;
            } else {
                ex.keepAlive(false);
            }
        }
        if (!ex.decideKeepAlive()) {
            h.set("Connection", "close");
        } else if (ex.request.version() == HttpVersion.HTTP_1_0) {
            h.set("Connection", "keep-alive");
        }
        head.version(HttpVersion.HTTP_1_1);
        if (headroom > 0 && !chunked) {
            pendingHead = head;
            pendingHeadroom = headroom;
            return;
        }
        down.write(Http1Wire.encode(down.alloc(), head));
    }

    @Override
    public void body(ByteBuf out, ByteBuf received) {
        boolean data = out != null && out.isReadable();
        if (pendingHead != null) {
            writePendingHead(received, data ? out : null);
        }
        if (data) {
            down.write(chunked ? ByteBufHttp1.encodeChunk(out, down.alloc()) : out);
        } else if (out != null) {
            out.release();
        }
    }

    /**
     * Writes the held-back head ahead of {@code out}: into the free bytes before {@code out}'s reader index when
     * {@code out} is the read buffer the body came in, else as its own buffer.
     */
    private void writePendingHead(ByteBuf received, ByteBuf out) {
        ResponseHeader head = pendingHead;
        pendingHead = null;
        int n = Http1Serializer.encodedLength(head);
        if (out == received && out != null && n <= pendingHeadroom && out.readerIndex() >= n) {
            byte[] scratch = Http1Wire.scratch(n);
            Http1Serializer.encode(head, scratch, 0);
            int at = out.readerIndex() - n;
            out.setBytes(at, scratch, 0, n);
            out.readerIndex(at);
        } else {
            down.write(Http1Wire.encode(down.alloc(), head));
        }
    }

    @Override
    public boolean acceptsTrailers() {
        return chunked;
    }

    @Override
    public void end(HttpHeaders trailers) {
        if (pendingHead != null) {
            writePendingHead(null, null);
        }
        if (chunked) {
            down.write(Http1Wire.lastChunk(down.alloc(), trailers == null ? HttpHeaders.create() : trailers));
        }
    }

    @Override
    public boolean dropPendingHead() {
        if (pendingHead == null) {
            return false;
        }
        pendingHead = null;
        return true;
    }
}
