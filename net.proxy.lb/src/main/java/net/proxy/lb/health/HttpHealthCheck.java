package net.proxy.lb.health;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import net.proxy.http.HttpParseException;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.http.netty.ByteBufHttp1;
import net.proxy.l4.Peer;
import net.proxy.l4.Stream;
import net.proxy.lb.Backend;

/**
 * Healthy when {@code GET path} answers with the expected status within the timeout. Each check opens a new
 * connection with {@code net.proxy.l4}'s {@link net.proxy.l4.Connector} (TLS when the backend's peer has TLS
 * settings), sends an HTTP/1.1 request with {@code Connection: close}, and reads only the response head with
 * {@code net.proxy.http}'s strict HTTP/1 parser; informational (1xx) responses before it are skipped.
 *
 * <p>A check fails with an {@link IOException} that names it, the backend and the reason: a refused connection or
 * failed TLS handshake, another status ({@code "status 503 (expected: 200)"}), a malformed response (the parser's
 * reason, the parser's exception as cause), a connection closed before the head; or with a
 * {@link java.net.SocketTimeoutException} when the timeout elapses first.
 *
 * <pre>{@code
 * HealthCheck check = HttpHealthCheck.builder().path("/healthz").host("api.example").expectStatus(204)
 *         .interval(Duration.ofSeconds(2)).rise(2).fall(3).build();
 * }</pre>
 */
public final class HttpHealthCheck extends ConnectingCheck {
    private static final String USER_AGENT = "net.proxy-health-check";

    private final String path;
    private final String host;
    private final int expectStatus;

    HttpHealthCheck(HttpHealthCheckBuilder b) {
        super(b);
        this.path = b.path;
        this.host = b.host;
        this.expectStatus = b.expectStatus;
    }

    /**
     * Starts building a check: {@code GET /} expecting 200, timeout 1 s, interval 5 s, rise 1, fall 1, plain HTTP.
     *
     * @return a new builder
     */
    public static HttpHealthCheckBuilder builder() {
        return new HttpHealthCheckBuilder();
    }

    @Override
    String describe(Peer peer) {
        return (peer.tls().isPresent() ? "HTTPS" : "HTTP") + " health check GET " + path;
    }

    @Override
    void exchange(Stream stream, Backend backend, String what, CompletableFuture<Void> result) {
        Channel ch = stream.channel();
        CompletableFuture<ResponseHeader> head = new CompletableFuture<>();
        head.whenComplete((response, err) -> {
            if (err != null) {
                result.completeExceptionally(responseFailure(what, backend, unwrap(err)));
            } else if (response.status() != expectStatus) {
                result.completeExceptionally(failure(
                        what, backend, "status " + response.status() + " (expected: " + expectStatus + ")", null));
            } else {
                result.complete(null);
            }
        });
        ch.pipeline().addLast(ResponseHeadReader.NAME, new ResponseHeadReader(head));
        ByteBuf request = ch.alloc().buffer(128);
        try {
            ByteBufHttp1.encode(request(backend), request);
        } catch (RuntimeException e) {
            request.release();
            head.completeExceptionally(e);
            return;
        }
        ch.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                head.completeExceptionally(f.cause());
            }
        });
        stream.resumeReading();
    }

    private RequestHeader request(Backend backend) {
        RequestHeader request = RequestHeader.of("GET", path);
        request.headers()
                .add("Host", host != null ? host : hostPort(backend))
                .add("User-Agent", USER_AGENT)
                .add("Connection", "close");
        return request;
    }

    private static IOException responseFailure(String what, Backend backend, Throwable err) {
        if (err instanceof HttpParseException) {
            return failure(what, backend, "malformed response: " + ((HttpParseException) err).reason(), err);
        }
        return failure(what, backend, message(err), err);
    }
}
