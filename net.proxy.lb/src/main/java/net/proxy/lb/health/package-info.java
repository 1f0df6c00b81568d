/**
 * The built-in {@link net.proxy.lb.HealthCheck health checks}, which speak through the same connector and parser as
 * the proxy: {@link net.proxy.lb.health.TcpHealthCheck} (a connection, and its TLS handshake, can be made) and
 * {@link net.proxy.lb.health.HttpHealthCheck} (an HTTP/1.1 request, over TLS when the backend's peer has TLS
 * settings, gets the expected status). Connections are made with {@code net.proxy.l4}'s
 * {@link net.proxy.l4.Connector} and responses parsed with {@code net.proxy.http}'s strict HTTP/1 parser.
 *
 * <pre>{@code
 * TlsConnector tls = TlsConnector.of(TlsClientSettings.builder().trustRoots(roots).build());
 * HealthCheck https = HttpHealthCheck.builder()
 *         .path("/healthz")
 *         .peers(b -> Peer.builder(b.address()).tls(tls).serverName("api.example").build())
 *         .timeout(Duration.ofMillis(500))
 *         .rise(2)
 *         .fall(3)
 *         .build();
 * LoadBalancer lb = LoadBalancer.builder().backends(backends).healthCheck(https).build();
 * }</pre>
 */
package net.proxy.lb.health;
