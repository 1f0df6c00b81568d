package net.proxy.lb.health;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import net.proxy.http.Http1ResponseParser;
import net.proxy.http.HttpParseException;
import net.proxy.http.ResponseHeader;
import net.proxy.http.netty.ByteBufHttp1;

/**
 * Reads the final response head of one request with net.proxy.http's strict HTTP/1 parser and completes a future
 * with it: informational (1xx) heads before it are skipped, a {@code 101} counts as final. Fails the future with the
 * parser's {@link HttpParseException} for a malformed head, or with an {@link IOException} when the connection
 * closes first. Every inbound buffer is released as soon as it has been parsed (the parser keeps a partial head).
 */
final class ResponseHeadReader extends ChannelInboundHandlerAdapter {
    static final String NAME = "net.proxy.lb.health.response-head";

    private final Http1ResponseParser parser = Http1ResponseParser.create();
    private final CompletableFuture<ResponseHeader> head;

    ResponseHeadReader(CompletableFuture<ResponseHeader> head) {
        this.head = head;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        try {
            while (!head.isDone() && in.isReadable()) {
                ResponseHeader h = ByteBufHttp1.parse(parser, in);
                if (h == null) {
                    break;
                }
                if (h.status() == 101 || !h.isInformational()) {
                    head.complete(h);
                }
            }
        } catch (HttpParseException e) {
            head.completeExceptionally(e);
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        head.completeExceptionally(new IOException("connection closed before a complete response head"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        head.completeExceptionally(cause);
        ctx.close();
    }
}
