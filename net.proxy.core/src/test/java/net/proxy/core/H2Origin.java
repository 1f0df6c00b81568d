package net.proxy.core;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AsciiString;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An in-process HTTP/2 origin for tests, on Netty's low-level HTTP/2 handler: cleartext with prior knowledge, or TLS
 * with ALPN {@code h2}. A handler sees each request once it ended and answers it through a {@link Call}: a response
 * with a body and trailers, interim responses, resets, GOAWAY, a large flow-controlled body, or nothing at all. It
 * records connections, streams per connection, requests and the RST_STREAM codes it received; it can advertise a
 * stream limit and ignore PINGs.
 */
final class H2Origin implements AutoCloseable {
    /** A request as the origin received it. */
    record Request(String method, String path, Http2Headers headers, byte[] body, Http2Headers trailers, int stream) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Options of the origin. */
    record Options(long maxConcurrentStreams, boolean answerPings, boolean readsBodies, Path certificate, Path key) {
        static Options plain() {
            return new Options(-1, true, true, null, null);
        }

        Options maxStreams(long n) {
            return new Options(n, answerPings, readsBodies, certificate, key);
        }

        Options silentOnPing() {
            return new Options(maxConcurrentStreams, false, readsBodies, certificate, key);
        }

        /** Request DATA is never given back to the client's window: its uploads stall on flow control. */
        Options neverReadsBodies() {
            return new Options(maxConcurrentStreams, answerPings, false, certificate, key);
        }

        Options tls(Path cert, Path privateKey) {
            return new Options(maxConcurrentStreams, answerPings, readsBodies, cert, privateKey);
        }
    }

    /** Request body bytes received (counted also when the origin does not give them back to the window). */
    final AtomicLong bodyBytes = new AtomicLong();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final Options options;
    volatile Consumer<Call> handler;
    /** While set and not counted down, a new connection waits (blocking the origin's loop) before its SETTINGS. */
    volatile java.util.concurrent.CountDownLatch hold;

    final AtomicInteger connections = new AtomicInteger();
    /** Streams opened by the client, one counter per connection in order of arrival. */
    final List<AtomicInteger> streamsPerConnection = new CopyOnWriteArrayList<>();

    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    final List<Request> seen = new CopyOnWriteArrayList<>();
    /** RST_STREAM error codes received from the client. */
    final BlockingQueue<Long> resets = new LinkedBlockingQueue<>();

    final AtomicInteger pings = new AtomicInteger();
    /** Bytes of {@link Call#stream} bodies handed to the origin's flow controller. */
    final AtomicLong streamed = new AtomicLong();
    /** Times a streamed body stopped because the client's window was used up. */
    final AtomicInteger blocked = new AtomicInteger();
    /** Whether a streamed body is waiting for window now. */
    volatile boolean waiting;

    final List<Channel> channels = new CopyOnWriteArrayList<>();

    H2Origin(Consumer<Call> handler) throws Exception {
        this(handler, Options.plain());
    }

    H2Origin(Consumer<Call> handler, Options options) throws Exception {
        this.handler = handler;
        this.options = options;
        SslContext ssl = options.certificate() == null
                ? null
                : SslContextBuilder.forServer(
                                options.certificate().toFile(), options.key().toFile())
                        .sslProvider(SslProvider.JDK)
                        .applicationProtocolConfig(new ApplicationProtocolConfig(
                                ApplicationProtocolConfig.Protocol.ALPN,
                                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                                "h2"))
                        .build();
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws InterruptedException {
                        connections.incrementAndGet();
                        java.util.concurrent.CountDownLatch h = hold;
                        if (h != null) {
                            h.await(20, java.util.concurrent.TimeUnit.SECONDS);
                        }
                        channels.add(ch);
                        if (ssl == null) {
                            ch.pipeline().addLast(newHandler());
                            return;
                        }
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        ch.pipeline().addLast(new ApplicationProtocolNegotiationHandler("none") {
                            @Override
                            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                if (!"h2".equals(protocol)) {
                                    ctx.close();
                                    return;
                                }
                                ctx.pipeline().addLast(newHandler());
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sync()
                .channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    private Handler newHandler() {
        AtomicInteger streams = new AtomicInteger();
        streamsPerConnection.add(streams);
        Http2Settings s = new Http2Settings();
        if (options.maxConcurrentStreams() >= 0) {
            s.maxConcurrentStreams(options.maxConcurrentStreams());
        }
        return new Builder(s, options.answerPings(), streams).build();
    }

    private final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Handler, Builder> {
        final AtomicInteger streams;

        Builder(Http2Settings settings, boolean answerPings, AtomicInteger streams) {
            this.streams = streams;
            server(true);
            initialSettings(settings);
            autoAckPingFrame(answerPings);
            frameListener(new Http2FrameAdapter()); // replaced by the handler's own
        }

        @Override
        protected Handler build(
                Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            return new Handler(decoder, encoder, settings, streams);
        }

        @Override
        protected Handler build() {
            return super.build();
        }
    }

    /** One request being answered. Every method runs on the origin's event loop (handlers are called there). */
    final class Call {
        final Request request;
        private final Handler h;
        private final int id;

        Call(Request request, Handler h) {
            this.request = request;
            this.h = h;
            this.id = request.stream();
        }

        /** 200 with {@code body} and its content-length. */
        void ok(String body) {
            respond(200, body.getBytes(StandardCharsets.UTF_8), true, null);
        }

        /** Flushes through the handler, so data waiting in its flow controller goes out too. */
        void flush() {
            h.flush(h.ctx);
        }

        /** The number of the connection the request came on, 1 for the first. */
        int connection() {
            return h.number;
        }

        H2Origin origin() {
            return H2Origin.this;
        }

        /** Writes raw bytes to the connection, past the HTTP/2 encoder (to send a malformed frame). */
        void rawFrame(byte[] bytes) {
            h.ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        }

        /** A response: head, the body as one DATA frame, trailers if any. */
        void respond(int status, byte[] body, boolean withLength, Http2Headers trailers) {
            Http2Headers head = new DefaultHttp2Headers().status(AsciiString.of(Integer.toString(status)));
            if (withLength) {
                head.setInt("content-length", body.length);
            }
            boolean noBody = body.length == 0 && trailers == null;
            head(head, noBody);
            if (!noBody) {
                h.encoder().writeData(h.ctx, id, Unpooled.wrappedBuffer(body), 0, trailers == null, h.ctx.newPromise());
                if (trailers != null) {
                    h.encoder().writeHeaders(h.ctx, id, trailers, 0, true, h.ctx.newPromise());
                }
            }
            flush();
        }

        /** A HEADERS frame as is. */
        void head(Http2Headers head, boolean endOfStream) {
            h.encoder().writeHeaders(h.ctx, id, head, 0, endOfStream, h.ctx.newPromise());
            flush();
        }

        /** A DATA frame. */
        void data(byte[] bytes, boolean endOfStream) {
            h.encoder().writeData(h.ctx, id, Unpooled.wrappedBuffer(bytes), 0, endOfStream, h.ctx.newPromise());
            flush();
        }

        /** An interim response. */
        void informational(int status) {
            head(new DefaultHttp2Headers().status(AsciiString.of(Integer.toString(status))), false);
        }

        void reset(Http2Error error) {
            h.resetStream(h.ctx, id, error.code(), h.ctx.newPromise());
            flush();
        }

        void goAway(int lastStreamId) {
            h.goAway(h.ctx, lastStreamId, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, h.ctx.newPromise());
            flush();
        }

        /** Closes the connection without GOAWAY. */
        void kill() {
            // past the HTTP/2 handler, whose close would wait for the open streams (a graceful shutdown)
            h.ctx.channel().unsafe().close(h.ctx.voidPromise());
        }

        /**
         * 200 with {@code total} bytes (content-length set), written only while the client's window has room: what
         * the origin hands to its flow controller is counted in {@link #streamed}.
         */
        void stream(long total, int chunk) {
            Http2Headers head = new DefaultHttp2Headers().status(AsciiString.of("200"));
            head.setLong("content-length", total);
            head(head, false);
            h.pumps.put(id, new Pump(h, id, total, chunk));
            h.pumps.get(id).run();
        }
    }

    /** The bytes of streamed bodies: the alphabet, over and over. */
    static final byte[] PATTERN = new byte[1 << 20];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) ('a' + i % 26);
        }
    }

    /** Writes a large body as the client's window allows. */
    private final class Pump implements Runnable {
        final Handler h;
        final int id;
        final long total;
        final int chunk;
        long sent;

        Pump(Handler h, int id, long total, int chunk) {
            this.h = h;
            this.id = id;
            this.total = total;
            this.chunk = chunk;
        }

        @Override
        public void run() {
            waiting = false;
            Http2Stream stream = h.connection().stream(id);
            while (sent < total
                    && stream != null
                    && h.encoder().flowController().isWritable(stream)) {
                int n = (int) Math.min(chunk, total - sent);
                // one bulk write: under paranoid leak detection every single-byte access records a trace
                ByteBuf b = h.ctx.alloc().buffer(n).writeBytes(PATTERN, 0, n);
                sent += n;
                streamed.addAndGet(n);
                h.encoder().writeData(h.ctx, id, b, 0, sent == total, h.ctx.newPromise());
            }
            h.flush(h.ctx);
            if (sent < total) {
                blocked.incrementAndGet();
                waiting = true;
            } else {
                waiting = false;
                h.pumps.remove(id);
            }
        }
    }

    /** The origin side of one connection. */
    final class Handler extends Http2ConnectionHandler {
        final Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
        final Map<Integer, Http2Headers> heads = new HashMap<>();
        final Map<Integer, Pump> pumps = new HashMap<>();
        final AtomicInteger streams;
        final int number;
        ChannelHandlerContext ctx;

        Handler(
                Http2ConnectionDecoder decoder,
                Http2ConnectionEncoder encoder,
                Http2Settings settings,
                AtomicInteger n) {
            super(decoder, encoder, settings);
            this.streams = n;
            this.number = streamsPerConnection.indexOf(n) + 1;
            decoder.frameListener(new Listener());
            encoder.flowController().listener(stream -> {
                Pump p = pumps.get(stream.id());
                if (p != null && encoder().flowController().isWritable(stream)) {
                    // later: this runs inside the flow controller's own write, which ignores a nested flush
                    ctx.executor().execute(p);
                }
            });
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
            this.ctx = ctx;
            super.handlerAdded(ctx);
        }

        private final class Listener extends Http2FrameAdapter {
            @Override
            public void onHeadersRead(
                    ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean end) {
                if (!heads.containsKey(streamId)) {
                    heads.put(streamId, headers);
                    bodies.put(streamId, new ByteArrayOutputStream());
                    streams.incrementAndGet();
                    if (end) {
                        done(streamId, null);
                    }
                } else {
                    done(streamId, headers);
                }
            }

            @Override
            public void onHeadersRead(
                    ChannelHandlerContext ctx,
                    int streamId,
                    Http2Headers headers,
                    int dep,
                    short weight,
                    boolean exclusive,
                    int padding,
                    boolean end) {
                onHeadersRead(ctx, streamId, headers, padding, end);
            }

            @Override
            public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean end) {
                int n = data.readableBytes();
                bodyBytes.addAndGet(n);
                ByteArrayOutputStream b = bodies.get(streamId);
                if (b != null) {
                    byte[] bytes = new byte[n];
                    data.readBytes(bytes);
                    b.writeBytes(bytes);
                }
                if (end) {
                    done(streamId, null);
                }
                return options.readsBodies() ? n + padding : 0;
            }

            @Override
            public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
                resets.add(errorCode);
                pumps.remove(streamId);
            }

            @Override
            public void onPingRead(ChannelHandlerContext ctx, long data) {
                pings.incrementAndGet();
            }
        }

        private void done(int streamId, Http2Headers trailers) {
            Http2Headers h = heads.get(streamId);
            Request r = new Request(
                    String.valueOf(h.method()),
                    String.valueOf(h.path()),
                    h,
                    bodies.remove(streamId).toByteArray(),
                    trailers,
                    streamId);
            seen.add(r);
            requests.add(r);
            handler.accept(new Call(r, this));
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        for (Channel c : channels) {
            c.close();
        }
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
