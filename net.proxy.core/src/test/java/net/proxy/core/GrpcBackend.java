package net.proxy.core;

import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A grpc-java server with one service, {@code test.Echo}, whose messages are plain bytes (a {@code byte[]}
 * {@link MethodDescriptor.Marshaller}, no protoc): every call's request headers are recorded, every response carries
 * the header {@code x-server: NAME} and the trailer {@code x-server-trailer: done}. Methods:
 *
 * <ul>
 *   <li>{@code Unary}: answers the request's bytes;
 *   <li>{@code Who}: answers the server's name, or fails trailers-only with {@link #whoFails} when set;
 *   <li>{@code ServerStream}: the request is {@code count, size} (two ints): answers {@code count} messages of
 *       {@code size} bytes;
 *   <li>{@code ClientStream}: answers the total byte count of the messages received (an int);
 *   <li>{@code Bidi}: answers each message with itself;
 *   <li>{@code Fail}: closes with {@link #failWith} and no message (a trailers-only response);
 *   <li>{@code FailAfterOne}: answers one message, then closes with {@link #failAfterOne} ({@code ABORTED});
 *   <li>{@code Hang}: never answers; {@link #arrived} completes as it starts, {@link #cancelled} once it was cancelled;
 *   <li>{@code OneThenHang}: answers the request as one message, then nothing; {@link #arrived} completes once the
 *       message was sent, {@link #cancelled} once the call was cancelled.
 * </ul>
 */
final class GrpcBackend implements AutoCloseable {
    static final String SERVICE = "test.Echo";
    static final int MAX_MESSAGE = 32 << 20;
    static final Metadata.Key<String> SERVER = Metadata.Key.of("x-server", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TRAILER = Metadata.Key.of("x-server-trailer", Metadata.ASCII_STRING_MARSHALLER);

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> UNARY = method(MethodDescriptor.MethodType.UNARY, "Unary");
    static final MethodDescriptor<byte[], byte[]> WHO = method(MethodDescriptor.MethodType.UNARY, "Who");
    static final MethodDescriptor<byte[], byte[]> SERVER_STREAM =
            method(MethodDescriptor.MethodType.SERVER_STREAMING, "ServerStream");
    static final MethodDescriptor<byte[], byte[]> CLIENT_STREAM =
            method(MethodDescriptor.MethodType.CLIENT_STREAMING, "ClientStream");
    static final MethodDescriptor<byte[], byte[]> BIDI = method(MethodDescriptor.MethodType.BIDI_STREAMING, "Bidi");
    static final MethodDescriptor<byte[], byte[]> FAIL = method(MethodDescriptor.MethodType.UNARY, "Fail");
    static final MethodDescriptor<byte[], byte[]> FAIL_AFTER_ONE =
            method(MethodDescriptor.MethodType.SERVER_STREAMING, "FailAfterOne");
    static final MethodDescriptor<byte[], byte[]> HANG = method(MethodDescriptor.MethodType.UNARY, "Hang");
    static final MethodDescriptor<byte[], byte[]> ONE_THEN_HANG =
            method(MethodDescriptor.MethodType.SERVER_STREAMING, "OneThenHang");

    final String name;
    final Server server;
    final InetSocketAddress address;
    /** The request headers of every call, in arrival order. */
    final BlockingQueue<Metadata> headers = new LinkedBlockingQueue<>();
    /** Calls per full method name. */
    final java.util.Map<String, AtomicInteger> calls = new java.util.concurrent.ConcurrentHashMap<>();
    /** Completes when a {@code Hang} call starts. */
    final CompletableFuture<Void> arrived = new CompletableFuture<>();
    /** Completes when a {@code Hang} call was cancelled. */
    final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    /** When set, {@code Who} fails with it. */
    volatile Status whoFails;
    /** The status {@code FailAfterOne} closes with after its message. */
    volatile Status failAfterOne = Status.ABORTED.withDescription("gave up after one");
    /** The status {@code Fail} closes with. */
    volatile Status failWith = Status.NOT_FOUND.withDescription("no such thing");

    GrpcBackend(String name) throws IOException {
        this.name = name;
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((req, out) -> reply(out, req)))
                .addMethod(WHO, ServerCalls.asyncUnaryCall((req, out) -> {
                    Status fails = whoFails;
                    if (fails != null) {
                        out.onError(fails.asRuntimeException());
                    } else {
                        reply(out, name.getBytes(StandardCharsets.UTF_8));
                    }
                }))
                .addMethod(SERVER_STREAM, ServerCalls.asyncServerStreamingCall(GrpcBackend::serverStream))
                .addMethod(CLIENT_STREAM, ServerCalls.asyncClientStreamingCall(GrpcBackend::clientStream))
                .addMethod(BIDI, ServerCalls.asyncBidiStreamingCall(GrpcBackend::bidi))
                .addMethod(FAIL, ServerCalls.asyncUnaryCall((req, out) -> out.onError(failWith.asRuntimeException())))
                .addMethod(FAIL_AFTER_ONE, ServerCalls.asyncServerStreamingCall((req, out) -> {
                    out.onNext(req);
                    out.onError(failAfterOne.asRuntimeException());
                }))
                .addMethod(HANG, ServerCalls.asyncUnaryCall((req, out) -> {
                    ((ServerCallStreamObserver<byte[]>) out).setOnCancelHandler(() -> cancelled.complete(null));
                    arrived.complete(null);
                }))
                .addMethod(ONE_THEN_HANG, ServerCalls.asyncServerStreamingCall((req, out) -> {
                    ((ServerCallStreamObserver<byte[]>) out).setOnCancelHandler(() -> cancelled.complete(null));
                    out.onNext(req);
                    arrived.complete(null);
                }))
                .build();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .maxInboundMessageSize(MAX_MESSAGE)
                .addService(ServerInterceptors.intercept(service, new Recorder()))
                .build()
                .start();
        this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort());
    }

    static MethodDescriptor<byte[], byte[]> method(MethodDescriptor.MethodType type, String name) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    /** A plain-text channel to {@code address} that reads messages up to 32 MiB and never retries by itself. */
    static ManagedChannel channel(InetSocketAddress address) {
        return NettyChannelBuilder.forAddress(address)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE)
                .disableRetry()
                .build();
    }

    static void closeChannel(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int calls(MethodDescriptor<?, ?> method) {
        AtomicInteger n = calls.get(method.getFullMethodName());
        return n == null ? 0 : n.get();
    }

    private static void reply(StreamObserver<byte[]> out, byte[] message) {
        out.onNext(message);
        out.onCompleted();
    }

    private static void serverStream(byte[] request, StreamObserver<byte[]> out) {
        ByteBuffer b = ByteBuffer.wrap(request);
        int count = b.getInt();
        int size = b.getInt();
        for (int i = 0; i < count; i++) {
            byte[] m = new byte[size];
            java.util.Arrays.fill(m, (byte) i);
            out.onNext(m);
        }
        out.onCompleted();
    }

    private static StreamObserver<byte[]> clientStream(StreamObserver<byte[]> out) {
        return new StreamObserver<>() {
            long total;

            @Override
            public void onNext(byte[] value) {
                total += value.length;
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                reply(out, ByteBuffer.allocate(8).putLong(total).array());
            }
        };
    }

    private static StreamObserver<byte[]> bidi(StreamObserver<byte[]> out) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
                out.onNext(value);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                out.onCompleted();
            }
        };
    }

    /** Records request headers and counts calls; adds the {@code x-server} header and trailer. */
    private final class Recorder implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
                ServerCall<Q, R> call, Metadata requestHeaders, ServerCallHandler<Q, R> next) {
            headers.add(requestHeaders);
            calls.computeIfAbsent(call.getMethodDescriptor().getFullMethodName(), k -> new AtomicInteger())
                    .incrementAndGet();
            return next.startCall(
                    new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                        @Override
                        public void sendHeaders(Metadata h) {
                            h.put(SERVER, name);
                            super.sendHeaders(h);
                        }

                        @Override
                        public void close(Status status, Metadata trailers) {
                            trailers.put(TRAILER, "done");
                            super.close(status, trailers);
                        }
                    },
                    requestHeaders);
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
