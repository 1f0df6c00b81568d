package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.proxy.l4.StreamDigest;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.Pem;
import net.proxy.tls.TlsClientSettings;
import net.proxy.tls.TlsServerSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 over TLS to upstreams: ALPN offered from the peer's protocol, h2 spoken when the origin selects it,
 * HTTP/1.1 when it does not (H2_OR_H1), a connect error when H2 is required; and the builder's checks.
 */
@ExtendWith(LeakDetection.class)
class H2TlsUpstreamTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void certificate() throws Exception {
        Peers.assume(TlsProxyTest.hasOpenssl(), "openssl");
        TlsProxyTest.selfSigned(
                "/CN=localhost", "DNS:localhost,IP:127.0.0.1", dir.resolve("server.key"), dir.resolve("server.pem"));
    }

    static TlsClientSettings trusting() {
        return TlsClientSettings.builder()
                .trustRoots(Pem.certificates(dir.resolve("server.pem")))
                .build();
    }

    static H2Origin.Options tls() {
        return H2Origin.Options.plain().tls(dir.resolve("server.pem"), dir.resolve("server.key"));
    }

    /** Sends every request to one peer and records the digest of each upstream connection used. */
    static final class Recording extends ProxyFixture.ToPeer {
        final BlockingQueue<StreamDigest> digests = new LinkedBlockingQueue<>();

        Recording(HttpPeer peer) {
            super(peer);
        }

        @Override
        public void connectedToUpstream(Session session, boolean reused, HttpPeer peer, StreamDigest digest, Void c) {
            digests.add(digest);
        }

        String alpn() throws InterruptedException {
            StreamDigest d = digests.poll(10, TimeUnit.SECONDS);
            return d.tls().applicationProtocol();
        }
    }

    static HttpPeer peer(InetSocketAddress address, UpstreamProtocol protocol) {
        return HttpPeer.builder(address)
                .tls(trusting(), "localhost")
                .protocol(protocol)
                .build();
    }

    @Test
    void h2OverTlsIsSelectedByAlpnAndCarriesBodies() throws Exception {
        try (H2Origin origin = new H2Origin(
                        c -> c.respond(
                                200,
                                ("echo:" + c.request.text()).getBytes(StandardCharsets.UTF_8),
                                true,
                                new DefaultHttp2Headers().add("x-done", "1")),
                        tls());
                ProxyFixture f = new ProxyFixture(new Recording(peer(origin.address(), UpstreamProtocol.H2)))) {
            String r = f.raw(H2UpstreamTest.post("/tls", "secret"), 10_000);
            assertTrue(r.startsWith("HTTP/1.1 200"), r);
            assertEquals("echo:secret", H2UpstreamTest.bodyOf(r));
            assertEquals("h2", ((Recording) f.proxy.app()).alpn());
            H2Origin.Request seen = origin.requests.poll(5, TimeUnit.SECONDS);
            assertEquals("https", seen.headers().scheme().toString());
            assertEquals("secret", seen.text());
            assertEquals(1, f.proxy.h2ConnectionsOpened());
        }
    }

    @Test
    void h2OrH1SpeaksH2WhenTheOriginSelectsIt() throws Exception {
        try (H2Origin origin = new H2Origin(c -> c.ok("over h2"), tls());
                ProxyFixture f = new ProxyFixture(new Recording(peer(origin.address(), UpstreamProtocol.H2_OR_H1)))) {
            assertEquals("over h2", H2UpstreamTest.bodyOf(f.raw(H2UpstreamTest.get("/"), 10_000)));
            assertEquals("h2", ((Recording) f.proxy.app()).alpn());
            assertEquals(1, f.proxy.h2ConnectionsOpened());
        }
    }

    /** The selected protocol decides: an H1 peer whose own settings offer h2 speaks HTTP/2 when the origin picks it. */
    @Test
    void anH1PeerWhoseSettingsOfferH2SpeaksWhatTheOriginSelects() throws Exception {
        TlsClientSettings offering = TlsClientSettings.builder()
                .trustRoots(Pem.certificates(dir.resolve("server.pem")))
                .alpn("h2", "http/1.1")
                .build();
        try (H2Origin origin = new H2Origin(c -> c.ok("negotiated"), tls());
                ProxyFixture f = new ProxyFixture(new Recording(HttpPeer.builder(origin.address())
                        .tls(offering, "localhost")
                        .build()))) {
            for (int i = 0; i < 3; i++) {
                assertEquals("negotiated", H2UpstreamTest.bodyOf(f.raw(H2UpstreamTest.get("/" + i), 10_000)));
            }
            assertEquals("h2", ((Recording) f.proxy.app()).alpn());
            assertEquals(1, origin.connections.get(), "the HTTP/2 connection was shared");
            assertEquals(3, origin.streamsPerConnection.get(0).get());
        }
    }

    /** An HTTPS origin that speaks HTTP/1.1 only: the engine itself, with ALPN {@code http/1.1} or none. */
    static ProxyFixture http11Origin(boolean alpn) {
        var settings = alpn
                ? TlsServerSettings.builder()
                        .certificate(CertificateKey.fromPem(dir.resolve("server.pem"), dir.resolve("server.key")))
                        .alpn("http/1.1")
                        .build()
                : TlsServerSettings.builder()
                        .certificate(CertificateKey.fromPem(dir.resolve("server.pem"), dir.resolve("server.key")))
                        .build();
        // HTTP/2 off: else the proxy would add ALPN h2 to the settings without ALPN
        return new ProxyFixture(
                ProxyFixture.answering(s -> "over " + s.protocol()),
                x -> x.tls(settings).http2(Http2Options.builder().enabled(false).build()));
    }

    @Test
    void h2OrH1FallsBackToHttp11WhenTheOriginOffersOnlyThat() throws Exception {
        for (boolean alpn : List.of(true, false)) {
            try (ProxyFixture origin = http11Origin(alpn);
                    ProxyFixture f = new ProxyFixture(new Recording(peer(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), origin.address.getPort()),
                            UpstreamProtocol.H2_OR_H1)))) {
                for (int i = 0; i < 3; i++) {
                    String r = f.raw(H2UpstreamTest.get("/" + i), 10_000);
                    assertEquals("over HTTP/1.1", H2UpstreamTest.bodyOf(r), r);
                }
                assertEquals(alpn ? "http/1.1" : null, ((Recording) f.proxy.app()).alpn());
                // requests that waited for the first connection (coalesced) open their own once it is HTTP/1.1
                List<java.util.concurrent.CompletableFuture<String>> clients = new java.util.ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    clients.add(H2UpstreamTest.async(f, H2UpstreamTest.get("/c" + i)));
                }
                for (var c : clients) {
                    assertEquals("over HTTP/1.1", H2UpstreamTest.bodyOf(c.get(20, TimeUnit.SECONDS)));
                }
                assertEquals(0, f.proxy.h2ConnectionsOpened());
            }
        }
    }

    @Test
    void h2ToAnOriginWithoutH2FailsToConnect() throws Exception {
        for (boolean alpn : List.of(true, false)) {
            try (ProxyFixture origin = http11Origin(alpn);
                    ProxyFixture f = new ProxyFixture(new TimeoutTest.Logged(peer(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), origin.address.getPort()),
                            UpstreamProtocol.H2)))) {
                String r = f.raw(H2UpstreamTest.get("/"), 10_000);
                assertTrue(r.startsWith("HTTP/1.1 502"), r);
                ProxyError e = ((TimeoutTest.Logged) f.proxy.app()).nextError();
                if (alpn) {
                    // an origin with ALPN but no h2 refuses the handshake (RFC 7301 no_application_protocol)
                    assertEquals(ErrorKind.TLS_HANDSHAKE_FAILURE, e.kind(), e.getMessage());
                } else {
                    assertEquals(ErrorKind.CONNECT_ERROR, e.kind(), e.getMessage());
                    assertTrue(e.getMessage().contains("selected ALPN none, not h2"), e.getMessage());
                }
            }
        }
    }

    @Test
    void theBuilderOffersTheProtocolsAlpnAndRefusesWhatCannotWork() {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8443);
        TlsClientSettings plain = trusting();
        HttpPeer h2 = HttpPeer.builder(a)
                .tls(plain, "localhost")
                .protocol(UpstreamProtocol.H2)
                .build();
        HttpPeer h2Again = HttpPeer.builder(a)
                .tls(plain, "localhost")
                .protocol(UpstreamProtocol.H2)
                .build();
        HttpPeer both = HttpPeer.builder(a)
                .tls(plain, "localhost")
                .protocol(UpstreamProtocol.H2_OR_H1)
                .build();
        HttpPeer h1 = HttpPeer.builder(a).tls(plain, "localhost").build();
        assertEquals(List.of("h2"), h2.l4().tls().get().settings().alpn());
        assertEquals(List.of("h2", "http/1.1"), both.l4().tls().get().settings().alpn());
        assertEquals(List.of(), h1.l4().tls().get().settings().alpn(), "H1 offers what the settings say");
        assertSame(h2.l4().tls().get().settings(), h2Again.l4().tls().get().settings(), "one derived copy");
        assertEquals(h2.poolKey(), h2Again.poolKey(), "peers from one settings instance share connections");
        assertNotEquals(h2.poolKey(), h1.poolKey(), "HTTP/1 and HTTP/2 connections are never mixed");
        assertNotEquals(h2.poolKey(), both.poolKey());
        assertNotEquals(
                HttpPeer.of(a).poolKey(),
                HttpPeer.builder(a).protocol(UpstreamProtocol.H2).build().poolKey());
        assertNotEquals(
                h2.poolKey(),
                HttpPeer.builder(a)
                        .tls(plain, "localhost")
                        .protocol(UpstreamProtocol.H2)
                        .maxH2Streams(10)
                        .build()
                        .poolKey());

        IllegalArgumentException plainText = assertThrows(
                IllegalArgumentException.class,
                () -> HttpPeer.builder(a).protocol(UpstreamProtocol.H2_OR_H1).build());
        assertTrue(plainText.getMessage().contains("H2_OR_H1 without TLS"), plainText.getMessage());
        TlsClientSettings onlyH1 = TlsClientSettings.builder().alpn("http/1.1").build();
        IllegalArgumentException alpn = assertThrows(
                IllegalArgumentException.class,
                () -> HttpPeer.builder(a)
                        .tls(onlyH1, "localhost")
                        .protocol(UpstreamProtocol.H2)
                        .build());
        assertTrue(alpn.getMessage().contains("offering ALPN [http/1.1]"), alpn.getMessage());
        TlsClientSettings custom =
                TlsClientSettings.builder().alpn("h2", "http/1.1").build();
        assertSame(
                custom,
                HttpPeer.builder(a)
                        .tls(custom, "localhost")
                        .protocol(UpstreamProtocol.H2)
                        .build()
                        .l4()
                        .tls()
                        .get()
                        .settings(),
                "a list that can negotiate h2 is kept");
        assertThrows(IllegalArgumentException.class, () -> HttpPeer.builder(a).maxH2Streams(0));
        assertThrows(IllegalArgumentException.class, () -> HttpPeer.builder(a).h2MaxFrameSize(1000));
    }
}
