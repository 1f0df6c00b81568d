package net.proxy.core.grpcweb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.proxy.core.ErrorSource;
import net.proxy.core.FailToProxy;
import net.proxy.core.HttpPeer;
import net.proxy.core.ProxyError;
import net.proxy.core.ProxyHttp;
import net.proxy.core.Session;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.StreamDigest;

/**
 * The {@link GrpcWeb} bridge: every phase delegates to the application, with the gRPC-web conversion before
 * (requests) or after (responses) it. See {@link GrpcWeb} for the behaviour.
 */
final class GrpcWebBridge<C> implements ProxyHttp<GrpcWebContext<C>> {
    private static final String GRPC = "application/grpc";
    private static final String GRPC_WEB = "application/grpc-web";
    private static final String GRPC_WEB_TEXT = "application/grpc-web-text";
    private static final String[] STATUS_FIELDS = {"grpc-status", "grpc-message", "grpc-status-details-bin"};

    private final ProxyHttp<C> app;
    private final GrpcWebOptions options;

    GrpcWebBridge(ProxyHttp<C> app, GrpcWebOptions options) {
        this.app = app;
        this.options = options;
    }

    @Override
    public GrpcWebContext<C> newContext() {
        return new GrpcWebContext<>(app.newContext());
    }

    @Override
    public HttpPeer upstreamPeer(Session session, GrpcWebContext<C> ctx) {
        return app.upstreamPeer(session, ctx.app());
    }

    @Override
    public CompletionStage<HttpPeer> upstreamPeerAsync(Session session, GrpcWebContext<C> ctx) {
        return app.upstreamPeerAsync(session, ctx.app());
    }

    // ---- request -------------------------------------------------------------------------------------------

    @Override
    public void earlyRequestFilter(Session session, GrpcWebContext<C> ctx) {
        RequestHeader request = session.request();
        String type = request.headers().get("Content-Type");
        if ("POST".equals(request.method()) && type != null) {
            String t = type.toLowerCase(Locale.ROOT);
            if (t.startsWith(GRPC_WEB_TEXT)) {
                ctx.grpcWeb = true;
                ctx.text = true;
                ctx.suffix = type.substring(GRPC_WEB_TEXT.length());
            } else if (t.startsWith(GRPC_WEB)) {
                ctx.grpcWeb = true;
                ctx.suffix = type.substring(GRPC_WEB.length());
            }
        }
        if (options.cors()) {
            ctx.allowOrigin = options.allowOrigin(request.headers().get("Origin"));
        }
        app.earlyRequestFilter(session, ctx.app());
    }

    @Override
    public boolean requestFilter(Session session, GrpcWebContext<C> ctx) {
        return app.requestFilter(session, ctx.app());
    }

    @Override
    public CompletionStage<Boolean> requestFilterAsync(Session session, GrpcWebContext<C> ctx) {
        RequestHeader request = session.request();
        if (options.cors()
                && "OPTIONS".equals(request.method())
                && "POST".equalsIgnoreCase(request.headers().get("Access-Control-Request-Method"))) {
            preflight(session, ctx);
            return CompletableFuture.completedFuture(true);
        }
        return app.requestFilterAsync(session, ctx.app());
    }

    /** Answers a CORS preflight for a gRPC-web call. */
    private void preflight(Session session, GrpcWebContext<C> ctx) {
        if (ctx.allowOrigin == null) {
            session.writeResponse(ResponseHeader.of(403), null);
            return;
        }
        Set<String> allowed = new LinkedHashSet<>(GrpcWebOptions.BASE_ALLOWED_HEADERS);
        allowed.addAll(options.allowedHeaders());
        String asked = session.request().headers().get("Access-Control-Request-Headers");
        if (asked != null) {
            for (String name : asked.split(",")) {
                String n = name.trim().toLowerCase(Locale.ROOT);
                if (!n.isEmpty()) {
                    allowed.add(n);
                }
            }
        }
        ResponseHeader r = ResponseHeader.of(204);
        r.headers()
                .set("Access-Control-Allow-Origin", ctx.allowOrigin)
                .set("Access-Control-Allow-Methods", "POST")
                .set("Access-Control-Allow-Headers", String.join(", ", allowed))
                .set("Access-Control-Max-Age", Long.toString(options.maxAge().getSeconds()))
                .set("Vary", "Origin");
        session.writeResponse(r, null);
    }

    @Override
    public boolean proxyUpstreamFilter(Session session, GrpcWebContext<C> ctx) {
        return app.proxyUpstreamFilter(session, ctx.app());
    }

    @Override
    public ProxyError failToConnect(Session session, HttpPeer peer, GrpcWebContext<C> ctx, ProxyError error) {
        return app.failToConnect(session, peer, ctx.app(), error);
    }

    @Override
    public void connectedToUpstream(
            Session session, boolean reused, HttpPeer peer, StreamDigest digest, GrpcWebContext<C> ctx) {
        app.connectedToUpstream(session, reused, peer, digest, ctx.app());
    }

    @Override
    public void upstreamRequestFilter(Session session, RequestHeader upstreamRequest, GrpcWebContext<C> ctx) {
        if (ctx.grpcWeb) {
            HttpHeaders h = upstreamRequest.headers();
            h.set("Content-Type", GRPC + ctx.suffix);
            h.set("TE", "trailers");
            if (ctx.text) {
                h.remove("Content-Length"); // the decoded body is shorter
                ctx.decoder = new Base64Chunks.Decoder(); // every attempt sends the body from its start
            }
        }
        app.upstreamRequestFilter(session, upstreamRequest, ctx.app());
    }

    @Override
    public ByteBuf requestBodyFilter(Session session, ByteBuf chunk, boolean endOfStream, GrpcWebContext<C> ctx) {
        ByteBuf body = chunk;
        if (ctx.grpcWeb && ctx.text) {
            ByteBuf decoded = null;
            try {
                decoded = ctx.decoder.decode(chunk, chunk.alloc());
                if (endOfStream) {
                    ctx.decoder.finish();
                }
            } catch (Base64Chunks.MalformedBase64Exception e) {
                if (decoded != null) {
                    decoded.release();
                }
                throw ProxyError.status(400, ErrorSource.DOWNSTREAM, "grpc-web-text request body: " + e.getMessage());
            } finally {
                chunk.release();
            }
            body = decoded;
        }
        return app.requestBodyFilter(session, body, endOfStream, ctx.app());
    }

    // ---- response ------------------------------------------------------------------------------------------

    @Override
    public void upstreamResponseFilter(Session session, ResponseHeader response, GrpcWebContext<C> ctx) {
        if (ctx.grpcWeb) {
            HttpHeaders h = response.headers();
            String type = h.get("Content-Type");
            String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
            if (t.startsWith(GRPC) && !t.startsWith(GRPC_WEB)) {
                ctx.converting = true;
                // the origin's suffix ("+proto"), or else the request's: the client reads the type it asked for
                String suffix = type.substring(GRPC.length());
                h.set("Content-Type", (ctx.text ? GRPC_WEB_TEXT : GRPC_WEB) + (suffix.isEmpty() ? ctx.suffix : suffix));
                h.remove("Content-Length");
                if (h.contains("grpc-status")) { // trailers-only: the status goes to the trailer frame
                    HttpHeaders status = HttpHeaders.create();
                    for (String name : STATUS_FIELDS) {
                        for (String v : h.getAll(name)) {
                            status.add(name, v);
                        }
                        h.remove(name);
                    }
                    ctx.trailersOnly = status;
                }
            }
        }
        app.upstreamResponseFilter(session, response, ctx.app());
    }

    @Override
    public void responseFilter(Session session, ResponseHeader response, GrpcWebContext<C> ctx) {
        app.responseFilter(session, response, ctx.app());
        if (ctx.converting) {
            response.headers().remove("Content-Length");
        }
        if (ctx.grpcWeb) {
            cors(response.headers(), ctx);
        }
    }

    private static void cors(HttpHeaders h, GrpcWebContext<?> ctx) {
        if (ctx.allowOrigin != null) {
            h.set("Access-Control-Allow-Origin", ctx.allowOrigin)
                    .set("Access-Control-Expose-Headers", "grpc-status, grpc-message")
                    .set("Vary", "Origin");
        }
    }

    @Override
    public ByteBuf upstreamResponseBodyFilter(
            Session session, ByteBuf chunk, boolean endOfStream, GrpcWebContext<C> ctx) {
        return app.upstreamResponseBodyFilter(session, chunk, endOfStream, ctx.app());
    }

    @Override
    public ByteBuf responseBodyFilter(Session session, ByteBuf chunk, boolean endOfStream, GrpcWebContext<C> ctx) {
        ByteBuf out = app.responseBodyFilter(session, chunk, endOfStream, ctx.app());
        if (out == null || !ctx.converting || !ctx.text) {
            return out;
        }
        try {
            return Base64Chunks.encode(out, out.alloc());
        } finally {
            out.release();
        }
    }

    @Override
    public ByteBuf responseTrailersAsBody(Session session, HttpHeaders trailers, GrpcWebContext<C> ctx) {
        if (!ctx.converting) {
            return app.responseTrailersAsBody(session, trailers, ctx.app());
        }
        HttpHeaders t = trailers;
        if (ctx.trailersOnly != null) {
            t = ctx.trailersOnly.copy();
            for (int i = 0; i < trailers.size(); i++) {
                t.add(trailers.name(i), trailers.value(i));
            }
        }
        if (!t.isEmpty()) {
            app.upstreamResponseTrailerFilter(session, t, ctx.app());
            app.responseTrailerFilter(session, t, ctx.app());
        }
        if (!t.contains("grpc-status")) {
            t.set("grpc-status", Integer.toString(GrpcWebFrames.UNKNOWN))
                    .set("grpc-message", "upstream response ended without grpc-status");
        }
        return encoded(GrpcWebFrames.trailerFrame(t, ByteBufAllocator.DEFAULT), ctx);
    }

    private static ByteBuf encoded(ByteBuf frame, GrpcWebContext<?> ctx) {
        if (!ctx.text) {
            return frame;
        }
        try {
            return Base64Chunks.encode(frame, frame.alloc());
        } finally {
            frame.release();
        }
    }

    @Override
    public void upstreamResponseTrailerFilter(Session session, HttpHeaders trailers, GrpcWebContext<C> ctx) {
        app.upstreamResponseTrailerFilter(session, trailers, ctx.app());
    }

    @Override
    public void responseTrailerFilter(Session session, HttpHeaders trailers, GrpcWebContext<C> ctx) {
        app.responseTrailerFilter(session, trailers, ctx.app());
    }

    // ---- errors and logging --------------------------------------------------------------------------------

    @Override
    public ProxyError errorWhileProxy(
            HttpPeer peer, Session session, ProxyError error, GrpcWebContext<C> ctx, boolean upstreamReused) {
        return app.errorWhileProxy(peer, session, error, ctx.app(), upstreamReused);
    }

    @Override
    public FailToProxy failToProxy(Session session, ProxyError error, GrpcWebContext<C> ctx) {
        if (!ctx.grpcWeb || session.isResponseStarted()) {
            return app.failToProxy(session, error, ctx.app());
        }
        // a gRPC-web client reads the status from the trailer frame, not from the HTTP status
        ResponseHeader r = ResponseHeader.of(200);
        r.headers().set("Content-Type", (ctx.text ? GRPC_WEB_TEXT : GRPC_WEB) + ctx.suffix);
        cors(r.headers(), ctx);
        HttpHeaders t = HttpHeaders.of(
                "grpc-status",
                Integer.toString(GrpcWebFrames.statusOf(error)),
                "grpc-message",
                GrpcWebFrames.percentEncode("proxy: " + error.kind().name().toLowerCase(Locale.ROOT)));
        session.writeResponse(r, encoded(GrpcWebFrames.trailerFrame(t, ByteBufAllocator.DEFAULT), ctx));
        return new FailToProxy(200, false);
    }

    @Override
    public void logging(Session session, ProxyError error, GrpcWebContext<C> ctx) {
        app.logging(session, error, ctx.app());
    }
}
