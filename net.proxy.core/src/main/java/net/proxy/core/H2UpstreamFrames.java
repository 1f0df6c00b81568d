package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * The frame listener of an {@link H2UpstreamConnection}: hands each response frame to the {@link H2UpstreamStream}
 * of its stream (HEADERS, DATA, RST_STREAM) and the connection's own frames (SETTINGS, PING answers, GOAWAY) to the
 * connection. Frames of streams that have no session any more (reset or given up here) are dropped, their DATA
 * given back to the window. Netty validates the frames before they get here; the others it ignores or answers
 * itself (PING, SETTINGS acknowledgements, WINDOW_UPDATE).
 */
final class H2UpstreamFrames extends H2Frames {
    private final H2UpstreamConnection conn;

    H2UpstreamFrames(H2UpstreamConnection conn) {
        this.conn = conn;
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        H2UpstreamStream s = conn.session(streamId);
        return s == null ? data.readableBytes() + padding : s.onData(data, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(
            ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
        H2UpstreamStream s = conn.session(streamId);
        if (s != null) {
            s.onHeaders(headers, endOfStream);
        }
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        H2UpstreamStream s = conn.session(streamId);
        if (s != null) {
            s.onReset(errorCode);
        }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
        conn.onSettings(settings);
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        conn.onPingAck(data);
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
        conn.onGoAway(lastStreamId, errorCode);
    }
}
