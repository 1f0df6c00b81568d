package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.proxy.lb.Backend;
import net.proxy.lb.LoadBalancer;
import net.proxy.lb.SelectionAlgorithm;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * grpc-java clients through the proxy to grpc-java servers, h2c on both sides (the proxy speaks HTTP/2 with prior
 * knowledge to the origin, {@link UpstreamProtocol#H2}): the four call shapes, messages of 4 and 16 MiB both ways,
 * metadata both ways, trailers-only responses, 200 concurrent calls on one channel, cancellation both ways, and
 * per-call load balancing over one channel. The servers are {@link GrpcBackend}s.
 */
@ExtendWith(LeakDetection.class)
class GrpcProxyTest {

    static HttpPeer h2(InetSocketAddress address) {
        return HttpPeer.builder(address).protocol(UpstreamProtocol.H2).build();
    }

    static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** A backend, a proxy to it and a channel to the proxy. */
    private static final class Setup implements AutoCloseable {
        final GrpcBackend backend;
        final ProxyFixture proxy;
        final ManagedChannel channel;

        Setup() throws Exception {
            backend = new GrpcBackend("one");
            proxy = new ProxyFixture(ProxyFixture.to(h2(backend.address)));
            channel = GrpcBackend.channel(proxy.address);
        }

        @Override
        public void close() {
            GrpcBackend.closeChannel(channel);
            proxy.close();
            backend.close();
        }
    }

    @Test
    void unaryCallPassesWithHeadersAndTrailers() throws Exception {
        try (Setup s = new Setup()) {
            AtomicReference<Metadata> head = new AtomicReference<>();
            AtomicReference<Metadata> tail = new AtomicReference<>();
            byte[] reply = ClientCalls.blockingUnaryCall(
                    io.grpc.ClientInterceptors.intercept(
                            s.channel, MetadataUtils.newCaptureMetadataInterceptor(head, tail)),
                    GrpcBackend.UNARY,
                    CallOptions.DEFAULT,
                    "hello".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello", new String(reply, StandardCharsets.UTF_8));
            assertEquals("one", head.get().get(GrpcBackend.SERVER), "the server's response header reached the client");
            assertEquals("done", tail.get().get(GrpcBackend.TRAILER), "the server's trailer reached the client");
        }
    }

    @Test
    void requestMetadataReachesTheServerIncludingBinaryValues() throws Exception {
        try (Setup s = new Setup()) {
            Metadata extra = new Metadata();
            Metadata.Key<String> text = Metadata.Key.of("x-client", Metadata.ASCII_STRING_MARSHALLER);
            Metadata.Key<byte[]> bin = Metadata.Key.of("x-blob-bin", Metadata.BINARY_BYTE_MARSHALLER);
            byte[] blob = {0, 1, 2, (byte) 0xff, (byte) 0x80, '\n', ':', 0};
            extra.put(text, "hi there");
            extra.put(bin, blob);
            extra.put(bin, new byte[] {7});
            ClientCalls.blockingUnaryCall(
                    io.grpc.ClientInterceptors.intercept(s.channel, MetadataUtils.newAttachHeadersInterceptor(extra)),
                    GrpcBackend.UNARY,
                    CallOptions.DEFAULT,
                    new byte[] {1});
            Metadata got = s.backend.headers.poll(10, TimeUnit.SECONDS);
            assertNotNull(got);
            assertEquals("hi there", got.get(text));
            List<byte[]> blobs = new ArrayList<>();
            got.getAll(bin).forEach(blobs::add);
            assertEquals(2, blobs.size(), "both values of the binary key");
            assertArrayEquals(blob, blobs.get(0));
            assertArrayEquals(new byte[] {7}, blobs.get(1));
        }
    }

    @Test
    void serverStreamingCallDeliversEveryMessage() throws Exception {
        try (Setup s = new Setup()) {
            Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(
                    s.channel,
                    GrpcBackend.SERVER_STREAM,
                    CallOptions.DEFAULT,
                    ByteBuffer.allocate(8).putInt(100).putInt(1000).array());
            int n = 0;
            while (it.hasNext()) {
                byte[] m = it.next();
                assertEquals(1000, m.length);
                assertEquals((byte) n, m[0]);
                n++;
            }
            assertEquals(100, n);
        }
    }

    @Test
    void clientStreamingCallDeliversEveryMessage() throws Exception {
        try (Setup s = new Setup()) {
            CompletableFuture<byte[]> reply = new CompletableFuture<>();
            StreamObserver<byte[]> out = ClientCalls.asyncClientStreamingCall(
                    s.channel.newCall(GrpcBackend.CLIENT_STREAM, CallOptions.DEFAULT), observer(reply));
            for (int i = 0; i < 100; i++) {
                out.onNext(bytes(1000, i));
            }
            out.onCompleted();
            assertEquals(
                    100_000L, ByteBuffer.wrap(reply.get(20, TimeUnit.SECONDS)).getLong());
        }
    }

    @Test
    void bidirectionalCallEchoesEachMessageInTurn() throws Exception {
        try (Setup s = new Setup()) {
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            StreamObserver<byte[]> out = ClientCalls.asyncBidiStreamingCall(
                    s.channel.newCall(GrpcBackend.BIDI, CallOptions.DEFAULT), new StreamObserver<>() {
                        @Override
                        public void onNext(byte[] value) {
                            received.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            done.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            done.complete(null);
                        }
                    });
            for (int i = 0; i < 20; i++) {
                byte[] m = bytes(100 + i, i);
                out.onNext(m);
                // ping-pong: each answer arrives while the call is still open in both directions
                assertArrayEquals(m, received.poll(10, TimeUnit.SECONDS), "echo of message " + i);
            }
            out.onCompleted();
            done.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void messagesOf4And16MiBPassBothWays() throws Exception {
        try (Setup s = new Setup()) {
            for (int size : new int[] {4 << 20, 16 << 20}) {
                byte[] m = bytes(size, size);
                byte[] reply = ClientCalls.blockingUnaryCall(s.channel, GrpcBackend.UNARY, CallOptions.DEFAULT, m);
                assertArrayEquals(m, reply, size + " bytes there and back");
            }
            Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(
                    s.channel,
                    GrpcBackend.SERVER_STREAM,
                    CallOptions.DEFAULT,
                    ByteBuffer.allocate(8).putInt(2).putInt(16 << 20).array());
            assertEquals(16 << 20, it.next().length);
            assertEquals(16 << 20, it.next().length);
        }
    }

    @Test
    void trailersOnlyResponseKeepsStatusAndDescription() throws Exception {
        try (Setup s = new Setup()) {
            s.backend.failWith = Status.NOT_FOUND.withDescription("no such thing: 100% gone\n(é)");
            AtomicReference<Metadata> head = new AtomicReference<>();
            AtomicReference<Metadata> tail = new AtomicReference<>();
            StatusRuntimeException e = assertThrows(
                    StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(
                            io.grpc.ClientInterceptors.intercept(
                                    s.channel, MetadataUtils.newCaptureMetadataInterceptor(head, tail)),
                            GrpcBackend.FAIL,
                            CallOptions.DEFAULT,
                            new byte[0]));
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
            assertEquals("no such thing: 100% gone\n(é)", e.getStatus().getDescription());
            assertEquals("done", tail.get().get(GrpcBackend.TRAILER));
        }
    }

    @Test
    void twoHundredConcurrentCallsShareOneChannel() throws Exception {
        try (Setup s = new Setup()) {
            List<CompletableFuture<byte[]>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                CompletableFuture<byte[]> r = new CompletableFuture<>();
                ClientCalls.asyncUnaryCall(
                        s.channel.newCall(GrpcBackend.UNARY, CallOptions.DEFAULT),
                        ByteBuffer.allocate(4).putInt(i).array(),
                        observer(r));
                replies.add(r);
            }
            for (int i = 0; i < 200; i++) {
                assertEquals(
                        i,
                        ByteBuffer.wrap(replies.get(i).get(30, TimeUnit.SECONDS))
                                .getInt());
            }
        }
    }

    @Test
    void clientCancelReachesTheServer() throws Exception {
        try (Setup s = new Setup()) {
            ClientCall<byte[], byte[]> call = s.channel.newCall(GrpcBackend.HANG, CallOptions.DEFAULT);
            CompletableFuture<byte[]> reply = new CompletableFuture<>();
            ClientCalls.asyncUnaryCall(call, new byte[] {1}, observer(reply));
            s.backend.arrived.get(10, TimeUnit.SECONDS);
            call.cancel("the client lost interest", null);
            s.backend.cancelled.get(10, TimeUnit.SECONDS); // the server saw its call cancelled through the proxy
            Throwable t = assertThrows(Exception.class, () -> reply.get(10, TimeUnit.SECONDS));
            assertEquals(Status.Code.CANCELLED, Status.fromThrowable(t).getCode());
        }
    }

    @Test
    void serverFailingAfterAMessageReachesTheClient() throws Exception {
        try (Setup s = new Setup()) {
            Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(
                    s.channel, GrpcBackend.FAIL_AFTER_ONE, CallOptions.DEFAULT, new byte[] {42});
            assertArrayEquals(new byte[] {42}, it.next());
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, it::next);
            assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
            assertEquals("gave up after one", e.getStatus().getDescription());
        }
    }

    @Test
    void callsFromOneChannelSpreadOverTwoBackends() throws Exception {
        try (GrpcBackend one = new GrpcBackend("one");
                GrpcBackend two = new GrpcBackend("two")) {
            LoadBalancer lb = LoadBalancer.builder()
                    .backends(List.of(Backend.of(one.address), Backend.of(two.address)))
                    .selection(SelectionAlgorithm.roundRobin())
                    .build();
            LoadBalancedProxy app = LoadBalancedProxy.builder(lb)
                    .peers(b -> HttpPeer.builder(b.address())
                            .protocol(UpstreamProtocol.H2)
                            .tag(b)
                            .build())
                    .build();
            try (ProxyFixture proxy = new ProxyFixture(app)) {
                ManagedChannel channel = GrpcBackend.channel(proxy.address);
                try {
                    Map<String, Integer> counts = new HashMap<>();
                    for (int i = 0; i < 10; i++) {
                        byte[] who = ClientCalls.blockingUnaryCall(
                                channel, GrpcBackend.WHO, CallOptions.DEFAULT, new byte[0]);
                        counts.merge(new String(who, StandardCharsets.UTF_8), 1, Integer::sum);
                    }
                    assertEquals(Map.of("one", 5, "two", 5), counts, "round robin per call, not per connection");
                } finally {
                    GrpcBackend.closeChannel(channel);
                }
            } finally {
                lb.close();
            }
        }
    }

    static <T> StreamObserver<T> observer(CompletableFuture<T> result) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.complete(null);
            }
        };
    }
}
