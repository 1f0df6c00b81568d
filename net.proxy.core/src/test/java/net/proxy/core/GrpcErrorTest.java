package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.proxy.limits.GcraLimiter;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Errors the proxy makes itself, answered to grpc-java the gRPC way (a trailers-only response with
 * {@code grpc-status} and {@code grpc-message}), and the call's deadline ({@code grpc-timeout}): on the injected
 * clock ({@link ManualTicker}) and once for real.
 */
@ExtendWith(LeakDetection.class)
class GrpcErrorTest {
    private static final Metadata.Key<String> STATUS = Metadata.Key.of("x-status", Metadata.ASCII_STRING_MARSHALLER);

    private final ManualTicker ticker = new ManualTicker();

    static HttpPeer h2(InetSocketAddress address) {
        return GrpcProxyTest.h2(address);
    }

    /** Calls {@code Unary} through {@code proxy}; returns the status it failed with. */
    static Status fails(ProxyFixture proxy, CallOptions options, Metadata headers) {
        ManagedChannel channel = GrpcBackend.channel(proxy.address);
        try {
            StatusRuntimeException e = assertThrows(
                    StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(
                            ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
                            GrpcBackend.UNARY,
                            options,
                            new byte[] {1}));
            return e.getStatus();
        } finally {
            GrpcBackend.closeChannel(channel);
        }
    }

    static Status fails(ProxyFixture proxy) {
        return fails(proxy, CallOptions.DEFAULT, new Metadata());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void refusedConnectionIsUnavailable() throws Exception {
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort());
        try (ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(nobody)))) {
            Status s = fails(proxy);
            assertEquals(Status.Code.UNAVAILABLE, s.getCode());
            assertEquals("proxy: the upstream refused the connection", s.getDescription());
        }
    }

    @Test
    void aProxyErrorIsOneHeadersFrameThatEndsTheStream() throws Exception {
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort());
        try (ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(nobody)))) {
            Http2Client.Report r = Http2Client.run(proxy.address, "h2_requests.py", "grpc", "/test.Echo/Unary");
            Map<String, String> s = r.stream(1);
            assertEquals(200, r.status(1), r.toString());
            assertEquals("1", s.get("end"), r.toString());
            assertEquals("application/grpc", s.get("h.content-type"));
            assertEquals("14", s.get("h.grpc-status"));
            assertEquals("proxy: the upstream refused the connection", s.get("h.grpc-message"));
            assertEquals(null, s.get("t.grpc-status"), "no separate trailers: " + r);
            assertEquals("1", r.conn().get("frames.HEADERS"), "trailers-only: one HEADERS frame: " + r);
            assertEquals(null, r.conn().get("frames.DATA"), "and no DATA: " + r);
        }
    }

    @Test
    void anOriginsTrailersOnlyAnswerStaysOneHeadersFrame() throws Exception {
        try (GrpcBackend backend = new GrpcBackend("one");
                ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(backend.address)))) {
            Http2Client.Report r = Http2Client.run(proxy.address, "h2_requests.py", "grpc", "/test.Echo/Fail");
            Map<String, String> s = r.stream(1);
            assertEquals(200, r.status(1), r.toString());
            assertEquals("5", s.get("h.grpc-status"), r.toString());
            assertEquals("no such thing", s.get("h.grpc-message"), r.toString());
            assertEquals("1", r.conn().get("frames.HEADERS"), "trailers-only: one HEADERS frame: " + r);
            assertEquals(null, r.conn().get("frames.DATA"), "and no DATA: " + r);
        }
    }

    @Test
    void aMalformedGrpcRequestIsInternalTrailersOnlyAndReachesNoOrigin() throws Exception {
        try (GrpcBackend backend = new GrpcBackend("one");
                ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(backend.address)))) {
            Http2Client.Report r = Http2Client.run(
                    proxy.address, "h2_requests.py", "grpc", "/test.Echo/Unary", "host", "elsewhere.test");
            Map<String, String> s = r.stream(1);
            assertEquals(200, r.status(1), r.toString());
            assertEquals("13", s.get("h.grpc-status"), r.toString());
            assertTrue(s.get("h.grpc-message").startsWith("proxy: "), r.toString());
            assertEquals(0, backend.calls(GrpcBackend.UNARY));
        }
    }

    @Test
    void upstreamClosingTheConnectionIsUnavailable() throws Exception {
        try (ServerSocket closer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(
                    () -> {
                        while (!closer.isClosed()) {
                            try (Socket s = closer.accept()) {
                                s.setSoLinger(true, 0);
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "closer");
            t.setDaemon(true);
            t.start();
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), closer.getLocalPort());
            try (ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(at)))) {
                Status s = fails(proxy);
                assertEquals(Status.Code.UNAVAILABLE, s.getCode(), s.toString());
                assertTrue(s.getDescription().startsWith("proxy: "), s.toString());
            }
        }
    }

    @Test
    void upstreamResetBeforeTheHeadIsUnavailable() throws Exception {
        try (H2Origin origin = new H2Origin(c -> c.reset(Http2Error.INTERNAL_ERROR));
                ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            Status s = fails(proxy);
            assertEquals(Status.Code.UNAVAILABLE, s.getCode());
            assertEquals("proxy: the upstream connection closed or the stream was reset", s.getDescription());
        }
    }

    /** An origin that answers a head, {@code body} as DATA, then resets the stream. */
    private static H2Origin resettingAfter(byte[] body) throws Exception {
        return new H2Origin(c -> {
            c.head(
                    new io.netty.handler.codec.http2.DefaultHttp2Headers()
                            .status("200")
                            .set("content-type", "application/grpc"),
                    false);
            c.data(body, false);
            c.reset(Http2Error.CANCEL);
        });
    }

    /** Reads a server stream of single-byte messages 42 through {@code proxy}; returns the status it ended with. */
    private static Status streamEnding(ProxyFixture proxy) {
        ManagedChannel channel = GrpcBackend.channel(proxy.address);
        try {
            java.util.Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(
                    channel, GrpcBackend.SERVER_STREAM, CallOptions.DEFAULT, new byte[8]);
            return assertThrows(StatusRuntimeException.class, () -> {
                        while (it.hasNext()) {
                            assertEquals(42, it.next()[0]);
                        }
                    })
                    .getStatus();
        } finally {
            GrpcBackend.closeChannel(channel);
        }
    }

    @Test
    void upstreamResetBetweenMessagesEndsTheCallUnavailable() throws Exception {
        try (H2Origin origin = resettingAfter(new byte[] {0, 0, 0, 0, 1, 42}); // one whole message
                ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            Status s = streamEnding(proxy);
            // on a message boundary the proxy ends the call with trailers, a status the client may retry
            assertEquals(Status.Code.UNAVAILABLE, s.getCode(), s.toString());
            assertEquals("proxy: the upstream connection closed or the stream was reset", s.getDescription());
        }
    }

    @Test
    void upstreamResetInsideAMessageResetsTheClientsStream() throws Exception {
        try (H2Origin origin = resettingAfter(new byte[] {0, 0, 0, 0, 1, 42, 0, 0, 0, 0, 9, 1, 2}); // 1.2 messages
                ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(origin.address())))) {
            Status s = streamEnding(proxy);
            // inside a message only a reset is honest (INTERNAL_ERROR), which grpc-java reports as INTERNAL
            assertEquals(Status.Code.INTERNAL, s.getCode(), s.toString());
        }
    }

    @Test
    void proxyStatusesMapToGrpcCodes() throws Exception {
        ProxyHttp<Void> app = new ProxyFixture.ToPeer(h2(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1))) {
            @Override
            public boolean requestFilter(Session session, Void ctx) {
                session.respondError(
                        Integer.parseInt(session.request().headers().get("x-status")));
                return true;
            }
        };
        Map<Integer, Status.Code> expected = Map.ofEntries(
                Map.entry(400, Status.Code.INTERNAL),
                Map.entry(401, Status.Code.UNAUTHENTICATED),
                Map.entry(403, Status.Code.PERMISSION_DENIED),
                Map.entry(404, Status.Code.UNIMPLEMENTED),
                Map.entry(429, Status.Code.RESOURCE_EXHAUSTED),
                Map.entry(500, Status.Code.UNKNOWN),
                Map.entry(501, Status.Code.UNIMPLEMENTED),
                Map.entry(502, Status.Code.UNAVAILABLE),
                Map.entry(503, Status.Code.UNAVAILABLE),
                Map.entry(504, Status.Code.UNAVAILABLE),
                Map.entry(418, Status.Code.UNKNOWN));
        try (ProxyFixture proxy = new ProxyFixture(app)) {
            for (Map.Entry<Integer, Status.Code> e : expected.entrySet()) {
                Metadata h = new Metadata();
                h.put(STATUS, e.getKey().toString());
                Status s = fails(proxy, CallOptions.DEFAULT, h);
                assertEquals(e.getValue(), s.getCode(), "HTTP " + e.getKey());
                assertEquals("proxy: HTTP " + e.getKey(), s.getDescription());
            }
        }
    }

    @Test
    void aFailingFilterIsInternal() throws Exception {
        ProxyHttp<Void> app = new ProxyFixture.ToPeer(h2(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1))) {
            @Override
            public boolean requestFilter(Session session, Void ctx) {
                throw new IllegalStateException("a bug in a filter");
            }
        };
        try (ProxyFixture proxy = new ProxyFixture(app)) {
            Status s = fails(proxy);
            assertEquals(Status.Code.INTERNAL, s.getCode());
            assertEquals("proxy: internal error", s.getDescription(), "no stack trace or class name leaks");
        }
    }

    @Test
    void rateLimitIsResourceExhausted() throws Exception {
        GcraLimiter limiter = GcraLimiter.builder()
                .rate(1, Duration.ofHours(1))
                .burst(0)
                .ticker(ticker)
                .build();
        RequestRateLimit limit = RequestRateLimit.perKey(limiter, s -> "everyone");
        try (GrpcBackend backend = new GrpcBackend("one")) {
            ProxyHttp<Void> app = new ProxyFixture.ToPeer(h2(backend.address)) {
                @Override
                public boolean requestFilter(Session session, Void ctx) {
                    return limit.reject(session);
                }
            };
            try (ProxyFixture proxy = new ProxyFixture(app)) {
                ManagedChannel channel = GrpcBackend.channel(proxy.address);
                try {
                    ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, CallOptions.DEFAULT, new byte[] {1});
                } finally {
                    GrpcBackend.closeChannel(channel);
                }
                Status s = fails(proxy);
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode());
                assertTrue(s.getDescription().startsWith("proxy: rate limit exceeded, retry after "), s.toString());
            }
        }
    }

    @Test
    void connectionRequestRateRefusalIsResourceExhausted() throws Exception {
        try (GrpcBackend backend = new GrpcBackend("one");
                ProxyFixture proxy = new ProxyFixture(
                        ProxyFixture.to(h2(backend.address)),
                        b -> b.requestRatePerConnection(1, Duration.ofHours(1), 0)
                                .ticker(ticker))) {
            ManagedChannel channel = GrpcBackend.channel(proxy.address);
            try {
                ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, CallOptions.DEFAULT, new byte[] {1});
                StatusRuntimeException e = assertThrows(
                        StatusRuntimeException.class,
                        () -> ClientCalls.blockingUnaryCall(
                                channel, GrpcBackend.UNARY, CallOptions.DEFAULT, new byte[] {1}));
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
                assertEquals(
                        "proxy: request rate of the connection exceeded",
                        e.getStatus().getDescription());
            } finally {
                GrpcBackend.closeChannel(channel);
            }
        }
    }

    @Test
    void upstreamConnectTimeoutIsDeadlineExceededOnTheInjectedClock() throws Exception {
        try (H2Origin origin = new H2Origin(c -> c.ok("never"))) {
            origin.hold = new java.util.concurrent.CountDownLatch(1); // the origin never sends its SETTINGS
            try (ProxyFixture proxy = new ProxyFixture(
                    ProxyFixture.to(HttpPeer.builder(origin.address())
                            .protocol(UpstreamProtocol.H2)
                            .connectTimeout(Duration.ofSeconds(2))
                            .build()),
                    b -> b.ticker(ticker))) {
                ManagedChannel channel = GrpcBackend.channel(proxy.address);
                try {
                    BlockingQueue<Status> outcome = new LinkedBlockingQueue<>();
                    ClientCalls.asyncUnaryCall(
                            channel.newCall(GrpcBackend.UNARY, CallOptions.DEFAULT), new byte[] {1}, failures(outcome));
                    Status s = ticker.advanceUntil(outcome, Duration.ofMillis(500));
                    assertEquals(Status.Code.DEADLINE_EXCEEDED, s.getCode());
                    assertEquals("proxy: the upstream connect timed out", s.getDescription());
                } finally {
                    GrpcBackend.closeChannel(channel);
                }
            } finally {
                origin.hold.countDown();
            }
        }
    }

    @Test
    void upstreamReadTimeoutIsDeadlineExceededOnTheInjectedClock() throws Exception {
        try (GrpcBackend backend = new GrpcBackend("one");
                ProxyFixture proxy = new ProxyFixture(
                        ProxyFixture.to(HttpPeer.builder(backend.address)
                                .protocol(UpstreamProtocol.H2)
                                .readTimeout(Duration.ofSeconds(5))
                                .build()),
                        b -> b.ticker(ticker))) {
            ManagedChannel channel = GrpcBackend.channel(proxy.address);
            try {
                BlockingQueue<Status> outcome = new LinkedBlockingQueue<>();
                ClientCalls.asyncUnaryCall(
                        channel.newCall(GrpcBackend.HANG, CallOptions.DEFAULT), new byte[] {1}, failures(outcome));
                backend.arrived.get(10, TimeUnit.SECONDS);
                Status s = ticker.advanceUntil(outcome, Duration.ofSeconds(1));
                assertEquals(Status.Code.DEADLINE_EXCEEDED, s.getCode());
                assertEquals("proxy: upstream read timed out", s.getDescription());
                backend.cancelled.get(10, TimeUnit.SECONDS); // the upstream stream was cancelled
            } finally {
                GrpcBackend.closeChannel(channel);
            }
        }
    }

    @Test
    void grpcTimeoutEndsTheCallOnTheInjectedClockAndCancelsTheUpstream() throws Exception {
        try (GrpcBackend backend = new GrpcBackend("one");
                ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(backend.address)), b -> b.ticker(ticker))) {
            ManagedChannel channel = GrpcBackend.channel(proxy.address);
            try {
                BlockingQueue<Status> outcome = new LinkedBlockingQueue<>();
                // the client's own deadline (30 s of real time) does not fire here: the proxy's clock runs faster
                ClientCalls.asyncUnaryCall(
                        channel.newCall(GrpcBackend.HANG, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
                        new byte[] {1},
                        failures(outcome));
                backend.arrived.get(10, TimeUnit.SECONDS);
                ticker.advance(Duration.ofSeconds(25));
                assertEquals(null, outcome.poll(50, TimeUnit.MILLISECONDS), "not before the deadline");
                Status s = ticker.advanceUntil(outcome, Duration.ofSeconds(1));
                assertEquals(Status.Code.DEADLINE_EXCEEDED, s.getCode());
                assertTrue(
                        s.getDescription().startsWith("proxy: deadline exceeded (the call's grpc-timeout of "),
                        s.toString());
                backend.cancelled.get(10, TimeUnit.SECONDS); // RST_STREAM(CANCEL) reached the server
            } finally {
                GrpcBackend.closeChannel(channel);
            }
        }
    }

    @Test
    void grpcTimeoutAfterAMessageEndsTheCallWithDeadlineExceededTrailers() throws Exception {
        try (GrpcBackend backend = new GrpcBackend("one");
                ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(backend.address)), b -> b.ticker(ticker))) {
            ManagedChannel channel = GrpcBackend.channel(proxy.address);
            try {
                BlockingQueue<Status> outcome = new LinkedBlockingQueue<>();
                BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
                ClientCalls.asyncServerStreamingCall(
                        channel.newCall(
                                GrpcBackend.ONE_THEN_HANG, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
                        new byte[] {7},
                        new io.grpc.stub.StreamObserver<byte[]>() {
                            @Override
                            public void onNext(byte[] value) {
                                messages.add(value);
                            }

                            @Override
                            public void onError(Throwable t) {
                                outcome.add(Status.fromThrowable(t));
                            }

                            @Override
                            public void onCompleted() {
                                outcome.add(Status.OK);
                            }
                        });
                assertEquals(7, messages.poll(10, TimeUnit.SECONDS)[0], "the first message went through");
                Status s = ticker.advanceUntil(outcome, Duration.ofSeconds(1));
                assertEquals(Status.Code.DEADLINE_EXCEEDED, s.getCode(), s.toString());
                assertTrue(
                        s.getDescription().startsWith("proxy: deadline exceeded (the call's grpc-timeout"),
                        s.toString());
                backend.cancelled.get(10, TimeUnit.SECONDS); // and the server's call was cancelled
            } finally {
                GrpcBackend.closeChannel(channel);
            }
        }
    }

    @Test
    void clientDeadlineAgainstAServerThatNeverAnswers() throws Exception {
        try (GrpcBackend backend = new GrpcBackend("one");
                ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(backend.address)))) {
            ManagedChannel channel = GrpcBackend.channel(proxy.address);
            try {
                StatusRuntimeException e = assertThrows(
                        StatusRuntimeException.class,
                        () -> ClientCalls.blockingUnaryCall(
                                channel,
                                GrpcBackend.HANG,
                                CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS),
                                new byte[] {1}));
                assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
                backend.cancelled.get(10, TimeUnit.SECONDS);
            } finally {
                GrpcBackend.closeChannel(channel);
            }
        }
    }

    @Test
    void theOriginGetsWhatIsLeftOfTheDeadline() throws Exception {
        try (H2Origin origin = new H2Origin(c -> c.reset(Http2Error.INTERNAL_ERROR));
                ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(origin.address())), b -> b.ticker(ticker))) {
            Status s = fails(proxy, CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.HOURS), new Metadata());
            assertEquals(Status.Code.UNAVAILABLE, s.getCode());
            H2Origin.Request r = origin.requests.poll(10, TimeUnit.SECONDS);
            assertNotNull(r);
            long sent = Grpc.parseTimeout(r.headers().get("grpc-timeout").toString());
            assertTrue(sent > 0 && sent <= TimeUnit.HOURS.toNanos(1), "grpc-timeout upstream: " + sent);
        }
    }

    @Test
    void malformedGrpcTimeoutIsInternal() throws Exception {
        try (GrpcBackend backend = new GrpcBackend("one");
                ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(backend.address)))) {
            String response = proxy.raw(
                    "POST /test.Echo/Unary HTTP/1.1\r\nHost: x\r\nContent-Type: application/grpc\r\n"
                            + "grpc-timeout: 123456789S\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    10_000);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("grpc-status: 13\r\n"), response);
            assertTrue(
                    response.contains("grpc-message: proxy: HTTP 400: malformed grpc-timeout: 123456789S\r\n"),
                    response);
            assertEquals(0, backend.calls(GrpcBackend.UNARY), "never reached the server");
        }
    }

    @Test
    void grpcWebAndPlainRequestsKeepHttpErrors() throws Exception {
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort());
        try (ProxyFixture proxy = new ProxyFixture(ProxyFixture.to(h2(nobody)))) {
            for (String type : new String[] {"application/grpc-web", "application/grpc-web-text", "application/json"}) {
                String response = proxy.raw(
                        "POST /test.Echo/Unary HTTP/1.1\r\nHost: x\r\nContent-Type: " + type
                                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        10_000);
                assertTrue(response.startsWith("HTTP/1.1 502"), type + ": " + response);
                assertTrue(!response.contains("grpc-status"), response);
            }
        }
    }

    static <T> io.grpc.stub.StreamObserver<T> failures(BlockingQueue<Status> outcome) {
        return new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(T value) {}

            @Override
            public void onError(Throwable t) {
                outcome.add(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                outcome.add(Status.OK);
            }
        };
    }
}
