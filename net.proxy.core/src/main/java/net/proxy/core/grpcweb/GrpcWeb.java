package net.proxy.core.grpcweb;

import java.util.Objects;
import net.proxy.core.ProxyHttp;

/**
 * Bridges gRPC-web clients (browsers) to gRPC origins, as Pingora's {@code GrpcWebBridge} module does: one line
 * around the application,
 *
 * <pre>{@code
 * HttpProxy.builder(GrpcWeb.bridge(myApp)).listen(address).build();
 * HttpProxy.builder(GrpcWeb.bridge(myApp, GrpcWebOptions.builder().cors(true).build())).listen(address).build();
 * }</pre>
 *
 * <p><b>Why a decorator.</b> The bridge is a {@link ProxyHttp} that wraps the application's and delegates every
 * phase to it, converting before or after: the engine needs no module registry, the application keeps choosing the
 * peer, retrying and logging, and requests that are not gRPC-web pass through untouched. The application's context
 * is {@link GrpcWebContext#app()}.
 *
 * <p><b>What it converts</b> ([1]). A {@code POST} with content type {@code application/grpc-web} or
 * {@code application/grpc-web-text} (each with an optional {@code +proto}-style suffix), from an HTTP/1.1 or HTTP/2
 * client, goes upstream as gRPC: content type {@code application/grpc} (same suffix), {@code te: trailers}, the body
 * unchanged for binary calls and base64-decoded for text calls (streaming, across chunk boundaries, padding allowed
 * in the middle; malformed base64 fails the call). The upstream must speak HTTP/2: the application's
 * {@code HttpPeer} chooses it ({@code UpstreamProtocol.H2}). The response (when the origin answers
 * {@code application/grpc}) goes back with the gRPC-web content type, its {@code Content-Length} removed, its
 * messages unchanged (base64-encoded, chunk by chunk, for text calls), and its trailers, or a trailers-only
 * response's {@code grpc-status}, {@code grpc-message} and {@code grpc-status-details-bin} head fields, as the
 * trailer frame at the end of the body (flag {@code 0x80}, 4-byte length, {@code name:value\r\n} lines with
 * lower-case names), never as HTTP trailers: an HTTP/1.1 client gets a chunked body. A response of another content
 * type (an intermediary's error page, say) passes unchanged, for the client to map its HTTP status. A response that
 * ends without {@code grpc-status} gets {@code grpc-status: 2} (UNKNOWN). The application's trailer phases still
 * run, before the frame is made. When the proxy itself fails the call before a response started (no peer, connect
 * failure, timeout) the client gets HTTP 200 with a trailer frame carrying {@code grpc-status} 14 (UNAVAILABLE), 4
 * (DEADLINE_EXCEEDED) or 13 (INTERNAL) and a {@code grpc-message}; the application's {@code failToProxy} runs for
 * other requests only.
 *
 * <p><b>CORS</b> ({@link GrpcWebOptionsBuilder#cors}, off by default): an {@code OPTIONS} preflight with
 * {@code Access-Control-Request-Method: POST} is answered by the proxy (204 for an allowed origin, 403 otherwise)
 * and gRPC-web responses carry {@code Access-Control-Allow-Origin} and
 * {@code Access-Control-Expose-Headers: grpc-status, grpc-message}.
 *
 * <p>References: [1] gRPC-Web protocol, https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-WEB.md [2] gRPC over
 * HTTP2, https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md [3] Fetch standard, CORS protocol,
 * https://fetch.spec.whatwg.org/#http-cors-protocol
 */
public final class GrpcWeb {
    private GrpcWeb() {}

    /**
     * Wraps {@code app} in a gRPC-web bridge without CORS.
     *
     * @param app the application
     * @param <C> the application's context type
     * @return the bridge, to give to {@code HttpProxy.builder}
     */
    public static <C> ProxyHttp<GrpcWebContext<C>> bridge(ProxyHttp<C> app) {
        return bridge(app, GrpcWebOptions.DEFAULT);
    }

    /**
     * Wraps {@code app} in a gRPC-web bridge with {@code options}.
     *
     * @param app the application
     * @param options CORS settings
     * @param <C> the application's context type
     * @return the bridge, to give to {@code HttpProxy.builder}
     */
    public static <C> ProxyHttp<GrpcWebContext<C>> bridge(ProxyHttp<C> app, GrpcWebOptions options) {
        return new GrpcWebBridge<>(Objects.requireNonNull(app, "app"), Objects.requireNonNull(options, "options"));
    }
}
