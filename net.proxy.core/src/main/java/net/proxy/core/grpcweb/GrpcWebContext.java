package net.proxy.core.grpcweb;

import net.proxy.http.HttpHeaders;

/**
 * The per-request context of a {@link GrpcWeb} bridge: the wrapped application's own context, and what the bridge
 * learnt about the request. Only the bridge creates it.
 *
 * @param <C> the wrapped application's context type
 */
public final class GrpcWebContext<C> {
    private final C app;

    /** Whether the request is a gRPC-web call (POST with a gRPC-web content type). */
    boolean grpcWeb;
    /** {@code application/grpc-web-text}: base64 bodies. */
    boolean text;
    /** The request content type's suffix after the gRPC-web type ({@code +proto}), or empty. */
    String suffix = "";
    /** Whether the response is converted (the origin answered with {@code application/grpc}). */
    boolean converting;
    /** The base64 decoder of a text request's body, new per attempt. */
    Base64Chunks.Decoder decoder;
    /** The gRPC status fields of a trailers-only response, moved out of its head. */
    HttpHeaders trailersOnly;
    /** The {@code Access-Control-Allow-Origin} value for this request, or null. */
    String allowOrigin;

    GrpcWebContext(C app) {
        this.app = app;
    }

    /**
     * The wrapped application's context for this request.
     *
     * @return what the application's {@code newContext()} returned
     */
    public C app() {
        return app;
    }

    /**
     * Whether the request is a gRPC-web call the bridge converts: a {@code POST} whose content type is
     * {@code application/grpc-web} or {@code application/grpc-web-text} (with an optional {@code +proto} or other
     * suffix). Known once {@code earlyRequestFilter} ran.
     *
     * @return whether the bridge converts this request
     */
    public boolean isGrpcWeb() {
        return grpcWeb;
    }

    /**
     * Whether the call uses the text (base64) encoding, {@code application/grpc-web-text}.
     *
     * @return whether the bodies are base64
     */
    public boolean isText() {
        return text;
    }
}
