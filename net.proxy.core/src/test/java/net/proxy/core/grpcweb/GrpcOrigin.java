package net.proxy.core.grpcweb;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A grpc-java origin on a loopback port, speaking h2c, with byte[] messages (no protoc): {@code test.Echo/Unary}
 * answers {@code "echo:" + request}; {@code test.Echo/Stream} answers {@code "msg-1" .. "msg-N"} for a request
 * {@code "N"}; {@code test.Echo/FailAfterOne} sends {@code "partial"} then fails with INVALID_ARGUMENT; and
 * {@code test.Echo/Fail} fails at once with NOT_FOUND (a trailers-only response).
 */
final class GrpcOrigin implements AutoCloseable {
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

    static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName("test.Echo/" + name)
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    static final MethodDescriptor<byte[], byte[]> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);

    private final Server server;

    GrpcOrigin() throws IOException {
        ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((req, out) -> {
                    out.onNext(("echo:" + new String(req, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    out.onCompleted();
                }))
                .addMethod(
                        method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING),
                        ServerCalls.asyncServerStreamingCall((req, out) -> {
                            int n = Integer.parseInt(new String(req, StandardCharsets.UTF_8));
                            for (int i = 1; i <= n; i++) {
                                out.onNext(("msg-" + i).getBytes(StandardCharsets.UTF_8));
                            }
                            out.onCompleted();
                        }))
                .addMethod(
                        method("FailAfterOne", MethodDescriptor.MethodType.SERVER_STREAMING),
                        ServerCalls.asyncServerStreamingCall((req, out) -> {
                            out.onNext("partial".getBytes(StandardCharsets.UTF_8));
                            out.onError(Status.INVALID_ARGUMENT
                                    .withDescription("bad input: ü 100%")
                                    .asRuntimeException());
                        }))
                .addMethod(
                        method("Fail", MethodDescriptor.MethodType.UNARY),
                        ServerCalls.asyncUnaryCall((req, out) -> out.onError(Status.NOT_FOUND
                                .withDescription("no such thing")
                                .asRuntimeException())))
                .build();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(echo)
                .build()
                .start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort());
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
