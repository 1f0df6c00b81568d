package net.proxy.tls;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * Sits in front of the {@link SslHandler} of an accepted connection. Once the transport itself
 * has failed after the handshake (connection reset, broken pipe), the peer is gone: the bytes the
 * {@link SslHandler} still writes, above all the close_notify that the usual "close on exception"
 * handler makes it send, are dropped here (their promises fail with that error) instead of going
 * to a socket that can only fail them again with a second error. The error itself travels on
 * unchanged. nginx likewise skips the TLS shutdown on a connection that failed.
 */
/*
 * Why only after the handshake: before it, the handshake watcher reports the failure, and a TLS
 * alert may still be worth trying. TLS errors (SSLException) are not transport failures: the alert
 * they produce is sent as usual.
 */
final class TransportErrors extends ChannelDuplexHandler {
    static final String NAME = "net.proxy.tls.transport-errors";

    private IOException failure;

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null && cause instanceof IOException && !(cause instanceof SSLException)) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null && ssl.handshakeFuture().isSuccess()) {
                failure = (IOException) cause;
            }
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (failure == null) {
            ctx.write(msg, promise);
        } else {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(failure);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (failure == null) {
            ctx.flush();
        }
    }
}
