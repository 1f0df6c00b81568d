package net.proxy.core;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Netty's {@link Http2FrameAdapter} with the HEADERS callback that carries priority fields folded into the plain one:
 * the proxy follows no priority signals (RFC 9113 §5.3 deprecates them), so its frame listeners, client side and
 * server side, handle HEADERS once.
 */
abstract class H2Frames extends Http2FrameAdapter {
    @Override
    public final void onHeadersRead(
            ChannelHandlerContext ctx,
            int streamId,
            Http2Headers headers,
            int streamDependency,
            short weight,
            boolean exclusive,
            int padding,
            boolean endOfStream)
            throws Http2Exception {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }
}
