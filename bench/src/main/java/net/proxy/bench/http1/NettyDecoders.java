package net.proxy.bench.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.util.List;

/**
 * Netty's HTTP/1 decoders driven directly, without the channel pipeline or {@link ByteToMessageDecoder}'s
 * cumulation: {@link #decode} calls the decoder's own {@code decode} step until it stops making progress, as
 * {@code ByteToMessageDecoder.callDecode} does. The context comes from a parked {@link EmbeddedChannel} and is
 * not used on the paths the benchmark takes.
 */
final class NettyDecoders {
    private NettyDecoders() {}

    /** A decoder whose {@code decode} step the benchmark can call. */
    interface Stepper {
        void step(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception;
    }

    static final class Request extends HttpRequestDecoder implements Stepper {
        @Override
        public void step(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            decode(ctx, in, out);
        }
    }

    static final class Response extends HttpResponseDecoder implements Stepper {
        @Override
        public void step(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            decode(ctx, in, out);
        }
    }

    /** Returns the context of {@code decoder} once it sits in a pipeline. */
    static ChannelHandlerContext contextOf(ByteToMessageDecoder decoder, EmbeddedChannel channel) {
        return channel.pipeline().context(decoder);
    }

    /** Decodes all of {@code in} into {@code out}. */
    static void decode(Stepper decoder, ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        while (in.isReadable()) {
            int before = in.readableBytes();
            int produced = out.size();
            decoder.step(ctx, in, out);
            if (out.size() == produced && in.readableBytes() == before) {
                return;
            }
        }
    }
}
