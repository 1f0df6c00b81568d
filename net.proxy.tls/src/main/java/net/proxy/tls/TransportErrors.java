package net.proxy.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * Sits in front of the {@link SslHandler} of an accepted connection. When the transport itself
 * fails after the handshake (connection reset, broken pipe), it closes the channel right there,
 * below TLS, and then passes the error on: the peer is gone, so there is no point in writing a
 * close_notify, which is what the usual "close on exception" handler would otherwise make the
 * {@link SslHandler} do (encrypt the alert, fail to write it, raise a second error, then close).
 * nginx likewise skips the TLS shutdown on a connection that failed.
 */
/*
 * Why only after the handshake: before it, the handshake watcher reports the transport error as the
 * handshake's failure cause, which must stay the error itself rather than the channel closing.
 * TLS errors (SSLException) still go the normal way: the alert they produce is worth sending.
 */
@ChannelHandler.Sharable
final class TransportErrors extends ChannelInboundHandlerAdapter {
  static final TransportErrors INSTANCE = new TransportErrors();
  static final String NAME = "net.proxy.tls.transport-errors";

  private TransportErrors() {}

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException && !(cause instanceof SSLException) && ctx.channel().isActive()) {
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      if (ssl != null && ssl.handshakeFuture().isSuccess()) {
        ctx.close();
      }
    }
    ctx.fireExceptionCaught(cause);
  }
}
