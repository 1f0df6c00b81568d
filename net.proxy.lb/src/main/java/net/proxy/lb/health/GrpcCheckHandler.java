package net.proxy.lb.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one {@code Health/Check} call on a new HTTP/2 stream (placed after an {@code Http2FrameCodec}) and
 * completes {@code status} with the {@code HealthCheckResponse.status} of a call that ended with
 * {@code grpc-status: 0}; otherwise fails it with an {@link IOException} whose message is the reason: another HTTP
 * status or content type, a non-zero {@code grpc-status} (with its {@code grpc-message}), a missing
 * {@code grpc-status}, a malformed message, a reset stream, a GOAWAY that excludes the stream, an HTTP/2 protocol
 * error, or a connection closed first.
 *
 * <p>Every inbound frame is released once read; response bytes are copied into one buffer of at most
 * {@value #MAX_RESPONSE} bytes (below HTTP/2's initial flow-control window, so no WINDOW_UPDATE is ever needed),
 * released when the call ends or the handler is removed.
 */
final class GrpcCheckHandler extends Http2ChannelDuplexHandler {
    /** The largest response message accepted; a health response is a few bytes. */
    static final int MAX_RESPONSE = 16 * 1024;

    private final Http2Headers request;
    private final String service;
    private final CompletableFuture<Integer> status;
    private Http2FrameStream stream;
    private boolean headReceived;
    private ByteBuf body;

    GrpcCheckHandler(Http2Headers request, String service, CompletableFuture<Integer> status) {
        this.request = request;
        this.service = service;
        this.status = status;
    }

    @Override
    protected void handlerAdded0(ChannelHandlerContext ctx) {
        stream = newStream();
        ctx.write(new DefaultHttp2HeadersFrame(request, false).stream(stream))
                .addListener(f -> failOnWriteError(f.cause()));
        ctx.writeAndFlush(new DefaultHttp2DataFrame(GrpcHealthProto.request(ctx.alloc(), service), true).stream(stream))
                .addListener(f -> failOnWriteError(f.cause()));
    }

    private void failOnWriteError(Throwable cause) {
        if (cause != null) {
            fail("cannot send the request: " + ConnectingCheck.message(cause), cause);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (status.isDone()) {
                return;
            }
            if (msg instanceof Http2GoAwayFrame) {
                Http2GoAwayFrame goAway = (Http2GoAwayFrame) msg;
                if (goAway.lastStreamId() < stream.id()) {
                    fail("GOAWAY " + errorName(goAway.errorCode()) + " before the call was served", null);
                }
                return;
            }
            if (!(msg instanceof Http2StreamFrame)
                    || ((Http2StreamFrame) msg).stream().id() != stream.id()) {
                return; // SETTINGS, PING and their acks are answered by the codec
            }
            if (msg instanceof Http2HeadersFrame) {
                headers((Http2HeadersFrame) msg);
            } else if (msg instanceof Http2DataFrame) {
                data((Http2DataFrame) msg);
            } else if (msg instanceof Http2ResetFrame) {
                fail("stream reset: " + errorName(((Http2ResetFrame) msg).errorCode()), null);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void headers(Http2HeadersFrame frame) {
        Http2Headers h = frame.headers();
        if (headReceived) {
            trailers(h);
            return;
        }
        CharSequence httpStatus = h.status();
        if (httpStatus != null && httpStatus.length() == 3 && httpStatus.charAt(0) == '1') {
            return; // informational
        }
        headReceived = true;
        if (httpStatus == null || !"200".contentEquals(httpStatus)) {
            fail("HTTP status " + httpStatus + " (expected: 200)", null);
            return;
        }
        CharSequence type = h.get("content-type");
        if (type == null || !type.toString().startsWith("application/grpc")) {
            fail("content-type " + type + " (expected: application/grpc)", null);
            return;
        }
        if (frame.isEndStream()) {
            trailers(h); // trailers-only
        }
    }

    private void data(Http2DataFrame frame) {
        ByteBuf content = frame.content();
        if (body == null) {
            body = frame.content().alloc().heapBuffer(Math.min(content.readableBytes(), MAX_RESPONSE));
        }
        if (body.readableBytes() + content.readableBytes() > MAX_RESPONSE) {
            fail("response message larger than " + MAX_RESPONSE + " bytes", null);
            return;
        }
        body.writeBytes(content, content.readerIndex(), content.readableBytes());
        if (frame.isEndStream()) {
            fail("response ended without trailers (no grpc-status)", null);
        }
    }

    private void trailers(Http2Headers h) {
        CharSequence grpcStatus = h.get("grpc-status");
        if (grpcStatus == null) {
            fail("no grpc-status in the trailers", null);
            return;
        }
        if (!"0".contentEquals(grpcStatus)) {
            CharSequence message = h.get("grpc-message");
            fail(
                    "grpc-status " + GrpcHealthProto.codeName(grpcStatus.toString())
                            + (message == null ? "" : ": " + GrpcHealthProto.decodeMessage(message)),
                    null);
            return;
        }
        int serving;
        try {
            serving = GrpcHealthProto.status(body != null ? body : Unpooled.EMPTY_BUFFER);
        } catch (IllegalArgumentException e) {
            fail("malformed response: " + e.getMessage(), e);
            return;
        } finally {
            releaseBody();
        }
        status.complete(serving);
    }

    private static String errorName(long code) {
        Http2Error e = Http2Error.valueOf(code);
        return e != null ? e.name() : "error " + code;
    }

    private void fail(String reason, Throwable cause) {
        releaseBody();
        status.completeExceptionally(new IOException(reason, cause));
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail("connection closed before the call ended", null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail("HTTP/2 error: " + ConnectingCheck.message(cause), cause);
        ctx.close();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseBody();
    }
}
