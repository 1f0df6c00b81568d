/**
 * The built-in {@link net.proxy.lb.HealthCheck health checks}, which speak through the same connector and parser as
 * the proxy: {@link net.proxy.lb.health.TcpHealthCheck} (a connection, and its TLS handshake, can be made),
 * {@link net.proxy.lb.health.HttpHealthCheck} (an HTTP/1.1 request, over TLS when the backend's peer has TLS
 * settings, gets the expected status) and {@link net.proxy.lb.health.GrpcHealthCheck} (the standard gRPC health
 * service, {@code /grpc.health.v1.Health/Check}, answers {@code SERVING} over HTTP/2: prior knowledge, or ALPN
 * {@code h2} over TLS). Connections are made with {@code net.proxy.l4}'s {@link net.proxy.l4.Connector}, HTTP/1
 * responses parsed with {@code net.proxy.http}'s strict HTTP/1 parser and gRPC spoken over Netty's HTTP/2 codec.
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
 *
 * HealthCheck grpc = GrpcHealthCheck.builder().service("helloworld.Greeter").build();
 * }</pre>
 */
package net.proxy.lb.health;
