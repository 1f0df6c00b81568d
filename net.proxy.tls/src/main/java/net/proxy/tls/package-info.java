/**
 * TLS settings, certificate loading, engines and handshake digests.
 *
 * <pre>{@code
 * TlsServerSettings server = TlsServerSettings.builder()
 *     .certificate(CertificateKey.fromPem(Path.of("a.pem"), Path.of("a.key")))   // SNI from SANs
 *     .certificate(CertificateKey.fromPem(Path.of("b.pem"), Path.of("b.key")))
 *     .alpn("h2", "http/1.1")
 *     .clientAuth(ClientAuth.OPTIONAL).trustedClientRoots(Pem.certificates(Path.of("ca.pem")))
 *     .onHandshakeComplete(d -> d.peerCertificate().map(CertificateInfo::subject).orElse(null))
 *     .build();
 * TlsAcceptor acceptor = TlsAcceptor.of(server);     // acceptor.update(newSettings) hot-swaps
 * acceptor.handshake(channel).thenAccept(digest -> System.out.println(digest.engine()));
 *
 * TlsConnector upstream = TlsConnector.of(TlsClientSettings.builder()
 *     .trustRoots(Pem.certificates(Path.of("ca.pem"))).alpn("h2").build());
 * upstream.handshake(connectedChannel, "origin.example");
 * }</pre>
 */
package net.proxy.tls;
