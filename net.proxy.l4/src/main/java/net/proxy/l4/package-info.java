/**
 * Listeners, connectors, streams, connection filtering, PROXY protocol and the L4 proxy.
 *
 * <pre>{@code
 * try (Transport transport = Transport.create(2)) {           // epoll if available, else NIO
 *   Connector connector = Connector.of(transport);
 *   L4Proxy proxy = L4Proxy.builder(connector)
 *       .upstream(Peer.builder("127.0.0.1", 8080).proxyProtocol(ProxyProtocol.V2).build())
 *       .idleTimeout(Duration.ofMinutes(1))
 *       .build();
 *   Listener listener = Listener.builder(transport)
 *       .endpoint(Endpoint.tcp("127.0.0.1", 8443))
 *       .tls(TlsServerSettings.builder().certificate(CertificateKey.fromPem(cert, key)).build())
 *       .filter(ConnectionFilter.denying(List.of(Cidr.parse("10.0.0.0/8"))))
 *       .handler(proxy)
 *       .build()
 *       .start();
 * }
 * }</pre>
 */
package net.proxy.l4;
