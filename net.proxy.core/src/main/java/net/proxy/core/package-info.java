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
 * with the wire format (HTTP/1 today) only in their implementations.
 */
package net.proxy.core;
