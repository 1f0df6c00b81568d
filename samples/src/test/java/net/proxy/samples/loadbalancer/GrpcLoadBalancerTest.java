package net.proxy.samples.loadbalancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.proxy.core.grpcweb.GrpcWebOptions;
import net.proxy.lb.Backend;
import net.proxy.lb.SelectionAlgorithm;
import net.proxy.samples.Args;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code load-balancer --upstream-protocol h2c --health-check grpc --grpc-web} in front of two grpc-java origins,
 * one of them NOT_SERVING: gRPC-web calls over HTTP/1.1 reach only the serving one.
 */
@ExtendWith(LeakDetection.class)
class GrpcLoadBalancerTest {
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

    static final MethodDescriptor<byte[], byte[]> HELLO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("test.Greeter/Hello")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    /** A grpc-java origin answering {@code name + ":" + request}, with the health service. */
    static Server origin(String name, ServingStatus status) throws IOException {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("", status);
        ServerServiceDefinition greeter = ServerServiceDefinition.builder("test.Greeter")
                .addMethod(HELLO, ServerCalls.asyncUnaryCall((req, out) -> {
                    out.onNext((name + ":" + new String(req, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    out.onCompleted();
                }))
                .build();
        return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(greeter)
                .addService(health.getHealthService())
                .build()
                .start();
    }

    static Backend backend(Server s) {
        return Backend.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getPort()));
    }

    static void stop(Server s) throws InterruptedException {
        s.shutdownNow();
        s.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** One gRPC-web call over HTTP/1.1 on a raw socket; returns the message and the trailer frame's text. */
    static String[] call(InetSocketAddress proxy, String message) throws IOException {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        byte[] frame = ByteBuffer.allocate(5 + m.length)
                .put((byte) 0)
                .putInt(m.length)
                .put(m)
                .array();
        try (Socket s = new Socket(proxy.getAddress(), proxy.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("POST /test.Greeter/Hello HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n"
                                    + "Content-Type: application/grpc-web+proto\r\nContent-Length: " + frame.length
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(frame);
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = text.substring(0, end);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertTrue(head.contains("Transfer-Encoding: chunked"), head);
            ByteBuffer body = ByteBuffer.wrap(dechunk(all, end + 4));
            String[] out = new String[2];
            while (body.hasRemaining()) {
                int flag = body.get() & 0xff;
                byte[] payload = new byte[body.getInt()];
                body.get(payload);
                out[flag == 0 ? 0 : 1] = new String(payload, StandardCharsets.UTF_8);
            }
            return out;
        }
    }

    static byte[] dechunk(byte[] all, int at) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = at;
        while (true) {
            int eol = i;
            while (all[eol] != '\r') {
                eol++;
            }
            int size = Integer.parseInt(new String(all, i, eol - i, StandardCharsets.US_ASCII), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(all, eol + 2, size);
            i = eol + 2 + size + 2;
        }
    }

    @Test
    void grpcWebCallsReachOnlyTheServingOrigin() throws Exception {
        Server serving = origin("a", ServingStatus.SERVING);
        Server notServing = origin("b", ServingStatus.NOT_SERVING);
        net.proxy.core.Server lb = null;
        try {
            lb = LoadBalancerSample.start(new LoadBalancerSample.Options(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    List.of(backend(serving), backend(notServing)),
                    SelectionAlgorithm.roundRobin(),
                    1,
                    "grpc",
                    List.of(),
                    false,
                    null,
                    LoadBalancerSample.Upstream.parse("h2c", null, null),
                    GrpcWebOptions.DEFAULT));
            InetSocketAddress address = (InetSocketAddress) lb.boundAddresses().get(0);
            // the first round of health checks runs when the server starts; until it ends both origins may answer
            int inARow = 0;
            for (int i = 0; i < 200 && inARow < 4; i++) {
                inARow = call(address, "x")[0].startsWith("a:") ? inARow + 1 : 0;
            }
            assertEquals(4, inARow, "the NOT_SERVING origin is taken out");
            for (int i = 0; i < 4; i++) {
                String[] r = call(address, "hi " + i);
                assertEquals("a:hi " + i, r[0]);
                assertEquals("grpc-status:0\r\n", r[1]);
            }
        } finally {
            if (lb != null) {
                lb.shutdownNow();
            }
            stop(serving);
            stop(notServing);
        }
    }

    @Test
    void grpcWebOptionsAreCheckedTogether() {
        assertNull(LoadBalancerSample.grpcWeb(false, false, List.of()));
        assertTrue(LoadBalancerSample.grpcWeb(true, true, List.of()).cors());
        assertEquals(
                java.util.Set.of("https://app.example"),
                LoadBalancerSample.grpcWeb(true, true, List.of("https://app.example"))
                        .allowedOrigins());
        assertThrows(Args.UsageException.class, () -> LoadBalancerSample.grpcWeb(false, true, List.of()));
        assertThrows(
                Args.UsageException.class, () -> LoadBalancerSample.grpcWeb(true, false, List.of("https://a.example")));
        assertThrows(Args.UsageException.class, () -> LoadBalancerSample.grpcWeb(true, true, List.of("nope")));
    }
}
