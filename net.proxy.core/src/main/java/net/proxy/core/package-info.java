/**
 * The composition module of net.proxy: it assembles the other modules into a programmable HTTP proxy. The user
 * writes a {@link net.proxy.core.ProxyHttp} (Pingora's phases: a context per request, the upstream peer, and
 * {@code default} filters for the request, the response, their bodies and trailers, errors and logging);
 * {@link net.proxy.core.HttpProxy} runs it on every request; {@link net.proxy.core.Server} hosts it on event loops.
 *
 * <pre>{@code
 * final class MyProxy implements ProxyHttp<Void> {
 *     public Void newContext() { return null; }
 *     public HttpPeer upstreamPeer(Session session, Void ctx) {
 *         return HttpPeer.of(new InetSocketAddress("127.0.0.1", 8080));
 *     }
 *     public void upstreamRequestFilter(Session session, RequestHeader upstream, Void ctx) {
 *         upstream.headers().set("X-Forwarded-Proto", "http");
 *     }
 * }
 * HttpProxy<Void> proxy = HttpProxy.builder(new MyProxy())
 *         .listen(new InetSocketAddress("127.0.0.1", 6188))
 *         .build();
 * Server server = Server.builder().threads(2).build().add(proxy).start();
 * }</pre>
 *
 * <p>What comes from where: listeners, connectors, streams and their digests from {@code net.proxy.l4}; TLS from
 * {@code net.proxy.tls}; heads, the HTTP/1 parser and serializer from {@code net.proxy.http}; every timeout from a
 * {@code net.proxy.timeout} wheel driven by each event loop; per-connection and per-key limits from
 * {@code net.proxy.limits}; load balancing from {@code net.proxy.lb} ({@link net.proxy.core.LoadBalancedProxy}).
 * The engine itself is protocol-neutral: one request pipeline over a downstream session and an upstream session,
 * with the wire format only in their implementations.
 *
 * <p>Clients speak HTTP/1.1 or HTTP/2 on every listener: ALPN {@code h2} on TLS, prior knowledge (told apart by the
 * connection preface) on clear text. Each HTTP/2 stream is one {@link net.proxy.core.Session} that runs through all
 * phases on its own; malformed requests (RFC 9113 §8.2-8.3) are refused before any phase, flow control bounds memory,
 * and {@link net.proxy.core.Http2Options} sets the stream, header and frame-rate limits:
 *
 * <pre>{@code
 * HttpProxy.builder(new MyProxy())
 *         .tls(TlsServerSettings.builder().certificate(CertificateKey.fromPem(cert, key)).build()) // h2 + http/1.1
 *         .http2(Http2Options.builder().maxConcurrentStreams(256).build())
 *         .build();
 * }</pre>
 *
 * <p>Upstreams speak HTTP/1.1 or HTTP/2, as each {@link net.proxy.core.HttpPeer}'s
 * {@link net.proxy.core.UpstreamProtocol} says: {@code H1} (the default), {@code H2} (prior knowledge on plain text,
 * ALPN {@code h2} on TLS) or {@code H2_OR_H1} (TLS, whatever the origin selects by ALPN). HTTP/2 connections are
 * multiplexed and shared per event loop: 100 streams per connection at most by default (or fewer if the origin says
 * so), a 1 MiB stream and 16 MiB connection receive window bounding what a slow client makes the proxy hold, push
 * disabled, optional keep-alive PINGs with a 5 s answer time; {@link net.proxy.core.HttpPeerBuilder} sets them.
 * {@code HttpPeer.builder(address).protocol(UpstreamProtocol.H2).build()} is an h2c peer.
 *
 * <p>gRPC passes through HTTP/2 on both sides (every call shape, metadata, trailers, cancellation). The proxy knows a
 * gRPC call ({@link net.proxy.core.Session#isGrpc()}) and treats it as gRPC: errors it makes itself are answered
 * trailers-only with a {@link net.proxy.core.GrpcStatus} ({@link net.proxy.core.GrpcCode}), the call's
 * {@code grpc-timeout} bounds its upstream attempts, and {@link net.proxy.core.GrpcRetry} names the methods retried
 * on a trailers-only status:
 *
 * <pre>{@code
 * HttpProxy.builder(LoadBalancedProxy.builder(lb)
 *                 .peers(b -> HttpPeer.builder(b.address()).protocol(UpstreamProtocol.H2).build())
 *                 .build())
 *         .grpcRetry(GrpcRetry.of(Set.of("/shop.Cart/Get"), GrpcCode.UNAVAILABLE))
 *         .build();
 * }</pre>
 *
 * <p>WebSocket and other HTTP/1.1 upgrades, WebSocket over HTTP/2 (RFC 8441) and {@code CONNECT} become byte tunnels
 * once the origin accepts ({@code 101}) or {@link net.proxy.core.ProxyHttp#connectPeer} names a destination (405
 * otherwise); the body filter phases see the tunnel's bytes, and
 * {@link net.proxy.core.HttpProxyBuilder#tunnelIdleTimeout} (1 hour) replaces the request timeouts. A
 * {@link net.proxy.core.CustomProtocol} carries HTTP between proxies in a framing of the user's own
 * ({@link net.proxy.core.CustomCodec}), selected by ALPN or forced:
 *
 * <pre>{@code
 * CustomProtocol frames = CustomProtocol.of("x-frames", MyFrameCodec::new);
 * HttpProxy.builder(app).listen(address).customProtocol(frames).forceCustomProtocol(true).build();
 * HttpPeer.builder(coreAddress).customProtocol(frames).build(); // [x-frames, http/1.1] over TLS
 * }</pre>
 */
package net.proxy.core;
