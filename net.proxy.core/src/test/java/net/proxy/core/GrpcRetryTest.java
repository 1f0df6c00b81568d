package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import net.proxy.lb.Backend;
import net.proxy.lb.LoadBalancer;
import net.proxy.lb.SelectionAlgorithm;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gRPC retries with grpc-java on both sides: a call that never reached a server is retried whatever its method; a
 * trailers-only status is retried only for the methods and codes of {@link GrpcRetry}; nothing is retried once the
 * server sent a message.
 */
@ExtendWith(LeakDetection.class)
class GrpcRetryTest {

    /** Two backends behind a round-robin {@link LoadBalancedProxy} configured by {@code config}. */
    private static final class Pair implements AutoCloseable {
        final GrpcBackend one;
        final GrpcBackend two;
        final LoadBalancer lb;
        final ProxyFixture proxy;
        final ManagedChannel channel;

        Pair(UnaryOperator<HttpProxyBuilder<LoadBalancedProxy.Attempt>> config) throws Exception {
            one = new GrpcBackend("one");
            two = new GrpcBackend("two");
            lb = LoadBalancer.builder()
                    .backends(List.of(Backend.of(one.address), Backend.of(two.address)))
                    .selection(SelectionAlgorithm.roundRobin())
                    .build();
            proxy = new ProxyFixture(
                    LoadBalancedProxy.builder(lb)
                            .peers(b -> HttpPeer.builder(b.address())
                                    .protocol(UpstreamProtocol.H2)
                                    .tag(b)
                                    .build())
                            .build(),
                    config);
            channel = GrpcBackend.channel(proxy.address);
        }

        int calls(io.grpc.MethodDescriptor<?, ?> m) {
            return one.calls(m) + two.calls(m);
        }

        @Override
        public void close() {
            GrpcBackend.closeChannel(channel);
            proxy.close();
            lb.close();
            one.close();
            two.close();
        }
    }

    private static String who(ManagedChannel channel) {
        return new String(
                ClientCalls.blockingUnaryCall(channel, GrpcBackend.WHO, CallOptions.DEFAULT, new byte[0]),
                StandardCharsets.UTF_8);
    }

    @Test
    void aRetryableMethodIsRetriedOnUnavailableOnTheOtherBackend() throws Exception {
        try (Pair p = new Pair(b -> b.grpcRetry(GrpcRetry.of(Set.of("/test.Echo/Who"), GrpcCode.UNAVAILABLE)))) {
            p.one.whoFails = Status.UNAVAILABLE.withDescription("one is draining");
            for (int i = 0; i < 4; i++) {
                assertEquals("two", who(p.channel), "call " + i);
            }
            assertEquals(2, p.one.calls(GrpcBackend.WHO), "round robin sent every other call to one first");
            assertEquals(4, p.two.calls(GrpcBackend.WHO));
        }
    }

    @Test
    void aServiceWildcardAndAPredicateSelectMethodsToo() throws Exception {
        for (GrpcRetry retry : new GrpcRetry[] {
            GrpcRetry.of(Set.of("/test.Echo/*"), GrpcCode.UNAVAILABLE),
            GrpcRetry.matching(m -> m.endsWith("/Who"), GrpcCode.UNAVAILABLE, GrpcCode.RESOURCE_EXHAUSTED)
        }) {
            try (Pair p = new Pair(b -> b.grpcRetry(retry))) {
                p.one.whoFails = Status.UNAVAILABLE;
                assertEquals("two", who(p.channel));
                assertEquals("two", who(p.channel));
            }
        }
    }

    @Test
    void whenEveryBackendFailsTheClientGetsTheLastAnswer() throws Exception {
        try (Pair p = new Pair(b -> b.grpcRetry(GrpcRetry.of(Set.of("/test.Echo/Who"), GrpcCode.UNAVAILABLE)))) {
            p.one.whoFails = Status.UNAVAILABLE.withDescription("one is down");
            p.two.whoFails = Status.UNAVAILABLE.withDescription("two is down");
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> who(p.channel));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertTrue(
                    e.getStatus().getDescription().endsWith(" is down"),
                    "no other backend left: the origin's answer, not the proxy's: " + e.getStatus());
            assertEquals(1, p.one.calls(GrpcBackend.WHO));
            assertEquals(1, p.two.calls(GrpcBackend.WHO));
        }
    }

    @Test
    void whenRetriesRunOutTheLastAnswerPasses() throws Exception {
        try (Pair p = new Pair(
                b -> b.maxRetries(1).grpcRetry(GrpcRetry.of(Set.of("/test.Echo/Who"), GrpcCode.RESOURCE_EXHAUSTED)))) {
            p.one.whoFails = Status.RESOURCE_EXHAUSTED.withDescription("one is full");
            p.two.whoFails = Status.RESOURCE_EXHAUSTED.withDescription("two is full");
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> who(p.channel));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
            assertTrue(
                    e.getStatus().getDescription().endsWith(" is full"),
                    e.getStatus().toString());
            assertEquals(2, p.calls(GrpcBackend.WHO), "one retry");
        }
    }

    @Test
    void aMethodNotConfiguredIsNotRetried() throws Exception {
        try (Pair p = new Pair(b -> b.grpcRetry(GrpcRetry.of(Set.of("/test.Echo/Unary"), GrpcCode.UNAVAILABLE)))) {
            p.one.whoFails = Status.UNAVAILABLE.withDescription("one is down");
            p.two.whoFails = Status.UNAVAILABLE.withDescription("two is down");
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> who(p.channel));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().endsWith(" is down"), "the server's own status passes");
            assertEquals(1, p.calls(GrpcBackend.WHO), "not retried");
        }
    }

    @Test
    void aCodeNotConfiguredIsNotRetried() throws Exception {
        try (Pair p = new Pair(b -> b.grpcRetry(GrpcRetry.of(Set.of("/test.Echo/Who"), GrpcCode.UNAVAILABLE)))) {
            p.one.whoFails = Status.INTERNAL.withDescription("broken");
            p.two.whoFails = Status.INTERNAL.withDescription("broken");
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> who(p.channel));
            assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
            assertEquals("broken", e.getStatus().getDescription());
            assertEquals(1, p.calls(GrpcBackend.WHO));
        }
    }

    @Test
    void withoutGrpcRetryNothingTheServerAnsweredIsRetried() throws Exception {
        try (Pair p = new Pair(b -> b)) {
            p.one.whoFails = Status.UNAVAILABLE;
            p.two.whoFails = Status.UNAVAILABLE;
            assertThrows(StatusRuntimeException.class, () -> who(p.channel));
            assertEquals(1, p.calls(GrpcBackend.WHO));
        }
    }

    @Test
    void neverARetryAfterTheServerSentAMessage() throws Exception {
        try (Pair p = new Pair(b -> b.grpcRetry(GrpcRetry.of(Set.of("/test.Echo/*"), GrpcCode.UNAVAILABLE)))) {
            p.one.failAfterOne = Status.UNAVAILABLE.withDescription("after one");
            p.two.failAfterOne = Status.UNAVAILABLE.withDescription("after one");
            Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(
                    p.channel, GrpcBackend.FAIL_AFTER_ONE, CallOptions.DEFAULT, new byte[] {9});
            assertArrayEquals(new byte[] {9}, it.next());
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, it::next);
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertEquals("after one", e.getStatus().getDescription());
            assertEquals(1, p.calls(GrpcBackend.FAIL_AFTER_ONE));
        }
    }

    @Test
    void aRefusedStreamIsRetriedWhateverTheMethod() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        try (H2Origin origin = new H2Origin(c -> {
                    if (seen.incrementAndGet() == 1) {
                        c.reset(Http2Error.REFUSED_STREAM); // RFC 9113 §8.7: not processed
                        return;
                    }
                    byte[] reply = "second".getBytes(StandardCharsets.US_ASCII);
                    byte[] frame = new byte[5 + reply.length]; // a gRPC message: flag, length, bytes
                    frame[4] = (byte) reply.length;
                    System.arraycopy(reply, 0, frame, 5, reply.length);
                    c.head(new DefaultHttp2Headers().status("200").set("content-type", "application/grpc"), false);
                    c.data(frame, false);
                    c.head(new DefaultHttp2Headers().set("grpc-status", "0"), true);
                });
                ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(GrpcProxyTest.h2(origin.address())))) {
            ManagedChannel channel = GrpcBackend.channel(proxy.address);
            try {
                byte[] reply =
                        ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, CallOptions.DEFAULT, new byte[] {1});
                assertEquals("second", new String(reply, StandardCharsets.US_ASCII));
                assertEquals(2, seen.get());
            } finally {
                GrpcBackend.closeChannel(channel);
            }
        }
    }

    /** The README's gRPC example, on free ports: it compiles, balances, and retries a draining backend's calls. */
    @Test
    void readmeExampleWorksAsPrinted() throws Exception {
        try (GrpcBackend one = new GrpcBackend("one");
                GrpcBackend two = new GrpcBackend("two")) {
            one.whoFails = Status.UNAVAILABLE;
            LoadBalancer lb = LoadBalancer.builder()
                    .backends(List.of(Backend.of(one.address), Backend.of(two.address)))
                    .selection(SelectionAlgorithm.roundRobin())
                    .build();
            HttpProxy<?> proxy = HttpProxy.builder(LoadBalancedProxy.builder(lb)
                            .peers(b -> HttpPeer.builder(b.address())
                                    .protocol(UpstreamProtocol.H2)
                                    .tag(b)
                                    .build())
                            .build())
                    .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .grpcRetry(GrpcRetry.of(Set.of("/test.Echo/Who", "/shop.Catalog/*"), GrpcCode.UNAVAILABLE))
                    .build();
            Server server = Server.builder().build().add(proxy).add(lb).start();
            ManagedChannel channel = GrpcBackend.channel(
                    (InetSocketAddress) server.boundAddresses().get(0));
            try {
                assertEquals("two", who(channel));
                assertEquals("two", who(channel));
            } finally {
                GrpcBackend.closeChannel(channel);
                server.shutdownNow();
            }
        }
    }

    @Test
    void grpcRetryValidatesEagerly() {
        assertEquals(
                "fullMethodNames: test.Echo/Who (expected: /package.Service/Method or /package.Service/*)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> GrpcRetry.of(Set.of("test.Echo/Who"), GrpcCode.UNAVAILABLE))
                        .getMessage());
        for (String bad : new String[] {"/", "//x", "/test.Echo", "/test.Echo/", "/a/b/c", "/test.Echo/W ho"}) {
            assertThrows(IllegalArgumentException.class, () -> GrpcRetry.of(Set.of(bad), GrpcCode.UNAVAILABLE), bad);
        }
        assertEquals(
                "codes: [] (expected: at least one status code)",
                assertThrows(IllegalArgumentException.class, () -> GrpcRetry.of(Set.of("/a.B/C")))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> GrpcRetry.of(Set.of("/a.B/C"), GrpcCode.OK));
        assertThrows(NullPointerException.class, () -> GrpcRetry.matching(null, GrpcCode.UNAVAILABLE));
        GrpcRetry r = GrpcRetry.of(Set.of("/a.B/C", "/x.Y/*"), GrpcCode.UNAVAILABLE);
        assertTrue(r.retries("/a.B/C", GrpcCode.UNAVAILABLE));
        assertTrue(r.retries("/x.Y/Anything", GrpcCode.UNAVAILABLE));
        assertTrue(!r.retries("/a.B/D", GrpcCode.UNAVAILABLE));
        assertTrue(!r.retries("/a.B/C", GrpcCode.INTERNAL));
        assertTrue(!r.retries("/", GrpcCode.UNAVAILABLE));
    }
}
