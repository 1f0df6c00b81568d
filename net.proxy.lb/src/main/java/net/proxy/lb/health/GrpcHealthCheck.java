package net.proxy.lb.health;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import net.proxy.l4.Peer;
import net.proxy.l4.Stream;
import net.proxy.lb.Backend;
import net.proxy.tls.TlsDigest;

/**
 * Healthy when the backend's standard gRPC health service answers {@code SERVING} for the configured service
 * within the timeout ([1], [2]). Each check opens a new connection with {@code net.proxy.l4}'s
 * {@link net.proxy.l4.Connector}, speaks HTTP/2 over it with Netty's HTTP/2 codec (prior knowledge on plain TCP,
 * ALPN {@code h2} over TLS when the backend's peer has TLS settings; the peer's ALPN list is replaced by
 * {@code h2}), and calls {@code /grpc.health.v1.Health/Check} with {@code HealthCheckRequest{service}} and a
 * {@code grpc-timeout} of the check's timeout. The protobuf messages are encoded by hand; no gRPC or protobuf
 * library is needed.
 *
 * <p>The backend is healthy only when the answer has HTTP status 200, an {@code application/grpc} content type,
 * {@code grpc-status: 0} and {@code HealthCheckResponse.status == SERVING}. Otherwise the check fails with an
 * {@link IOException} that names it, the backend and the reason: a refused connection or failed TLS handshake, no
 * {@code h2} by ALPN, another serving status ({@code "status NOT_SERVING (expected: SERVING)"}), a non-zero
 * {@code grpc-status} with its message ({@code "grpc-status 5 NOT_FOUND: unknown service"} for a service the server
 * does not know, {@code "grpc-status 12 UNIMPLEMENTED: ..."} for a server without the health service), another HTTP
 * status, a malformed message or HTTP/2 error, a reset stream or a connection closed first; or with a
 * {@link java.net.SocketTimeoutException} when the timeout elapses first.
 *
 * <pre>{@code
 * HealthCheck check = GrpcHealthCheck.builder().service("helloworld.Greeter")
 *         .interval(Duration.ofSeconds(2)).fall(2).build();
 * }</pre>
 *
 * <p>References: [1] gRPC Health Checking Protocol, https://github.com/grpc/grpc/blob/master/doc/health-checking.md
 * [2] grpc/health/v1/health.proto, https://github.com/grpc/grpc-proto/blob/master/grpc/health/v1/health.proto
 * [3] gRPC over HTTP2, https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
 */
public final class GrpcHealthCheck extends ConnectingCheck {
    private static final String USER_AGENT = "net.proxy-health-check";
    private static final String ALPN_H2 = "h2";
    static final String CODEC_NAME = "net.proxy.lb.health.h2";
    static final String NAME = "net.proxy.lb.health.grpc";

    private final String service;
    private final String authority;
    private final String grpcTimeout;

    GrpcHealthCheck(GrpcHealthCheckBuilder b) {
        super(b);
        this.service = b.service;
        this.authority = b.authority;
        this.grpcTimeout = grpcTimeout(b.timeout);
    }

    /**
     * Starts building a check of the whole server (service {@code ""}): timeout 1 s, interval 5 s, rise 1, fall 1,
     * HTTP/2 with prior knowledge.
     *
     * @return a new builder
     */
    public static GrpcHealthCheckBuilder builder() {
        return new GrpcHealthCheckBuilder();
    }

    /** The peer with TLS settings offering only {@code h2} by ALPN (gRPC is HTTP/2 only). */
    @Override
    Peer adapt(Peer peer) {
        if (peer.tls().isEmpty()) {
            return peer;
        }
        return peer.toBuilder().tls(peer.tls().get().withAlpn(ALPN_H2)).build();
    }

    @Override
    String describe(Peer peer) {
        return "gRPC health check " + (service.isEmpty() ? "of the server" : "of service " + service)
                + (peer.tls().isPresent() ? " over TLS" : "");
    }

    @Override
    void exchange(Stream stream, Backend backend, String what, CompletableFuture<Void> result) {
        TlsDigest tls = stream.digest().tls();
        if (tls != null && !ALPN_H2.equals(tls.applicationProtocol())) {
            result.completeExceptionally(failure(
                    what,
                    backend,
                    "ALPN " + (tls.applicationProtocol() == null ? "none" : tls.applicationProtocol())
                            + " (expected: h2)",
                    null));
            return;
        }
        CompletableFuture<Integer> status = new CompletableFuture<>();
        status.whenComplete((serving, err) -> {
            if (err != null) {
                result.completeExceptionally(failure(what, backend, err.getMessage(), err.getCause()));
            } else if (serving != GrpcHealthProto.SERVING) {
                result.completeExceptionally(failure(
                        what, backend, "status " + GrpcHealthProto.statusName(serving) + " (expected: SERVING)", null));
            } else {
                result.complete(null);
            }
        });
        Channel ch = stream.channel();
        ch.pipeline()
                .addLast(
                        CODEC_NAME,
                        Http2FrameCodecBuilder.forClient()
                                .gracefulShutdownTimeoutMillis(0)
                                .build())
                .addLast(NAME, new GrpcCheckHandler(request(backend, tls != null), service, status));
        stream.resumeReading();
    }

    private Http2Headers request(Backend backend, boolean tls) {
        return new DefaultHttp2Headers()
                .method("POST")
                .scheme(tls ? "https" : "http")
                .path(GrpcHealthProto.PATH)
                .authority(authority != null ? authority : hostPort(backend))
                .add("content-type", "application/grpc")
                .add("te", "trailers")
                .add("user-agent", USER_AGENT)
                .add("grpc-timeout", grpcTimeout);
    }

    /** The {@code grpc-timeout} value for {@code timeout}: at most 8 digits, in milliseconds or else seconds. */
    static String grpcTimeout(Duration timeout) {
        long millis = timeout.toMillis();
        if (millis <= 99_999_999L) {
            return Math.max(1, millis) + "m";
        }
        return Math.min(99_999_999L, timeout.toSeconds()) + "S";
    }
}
