package net.proxy.samples.loadbalancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.proxy.core.Server;
import net.proxy.lb.Backend;
import net.proxy.lb.SelectionAlgorithm;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code bin/proxy load-balancer --upstream-protocol h2c} proxies gRPC: a grpc-java client's unary calls through
 * {@link LoadBalancerSample} (started in-process with the options {@code bin/proxy} builds from
 * {@code --upstream-protocol h2c}) reach two grpc-java
 * servers, round robin per call over one channel.
 */
@ExtendWith(LeakDetection.class)
class GrpcUnarySampleTest {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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

    private static final MethodDescriptor<byte[], byte[]> HELLO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("demo.Greeter/Hello")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    private static io.grpc.Server greeter(String name) throws IOException {
        return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(ServerServiceDefinition.builder("demo.Greeter")
                        .addMethod(HELLO, ServerCalls.asyncUnaryCall((req, out) -> {
                            out.onNext((name + ": hello " + new String(req, StandardCharsets.UTF_8))
                                    .getBytes(StandardCharsets.UTF_8));
                            out.onCompleted();
                        }))
                        .build())
                .build()
                .start();
    }

    @Test
    void unaryCallsPassTheLoadBalancerOverH2c() throws Exception {
        io.grpc.Server one = greeter("one");
        io.grpc.Server two = greeter("two");
        Server lb = null;
        ManagedChannel channel = null;
        try {
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            lb = LoadBalancerSample.start(new LoadBalancerSample.Options(
                    any,
                    List.of(
                            Backend.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), one.getPort())),
                            Backend.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), two.getPort()))),
                    SelectionAlgorithm.roundRobin(),
                    1,
                    "",
                    List.of(),
                    false,
                    null,
                    LoadBalancerSample.Upstream.parse("h2c", null, null)));
            InetSocketAddress address = (InetSocketAddress) lb.boundAddresses().get(0);
            channel = NettyChannelBuilder.forAddress(address).usePlaintext().build();
            Map<String, Integer> replies = new HashMap<>();
            for (int i = 0; i < 4; i++) {
                byte[] reply = ClientCalls.blockingUnaryCall(
                        channel, HELLO, CallOptions.DEFAULT, "grpc".getBytes(StandardCharsets.UTF_8));
                replies.merge(new String(reply, StandardCharsets.UTF_8), 1, Integer::sum);
            }
            assertEquals(Map.of("one: hello grpc", 2, "two: hello grpc", 2), replies);
        } finally {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
            if (lb != null) {
                lb.shutdownNow();
            }
            one.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            two.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
