package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
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
 * Custom protocols over TLS: a peer offers ALPN {@code [custom, http/1.1]}; a listener that knows the custom id
 * selects it, one that does not answers HTTP/1.1 and the peer falls back to it (Pingora's connector does the same).
 */
@ExtendWith(LeakDetection.class)
class CustomProtocolTlsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        Peers.assume(TlsProxyTest.hasOpenssl(), "openssl");
        TlsProxyTest.selfSigned(
                "/CN=localhost", "DNS:localhost,IP:127.0.0.1", dir.resolve("server.key"), dir.resolve("server.pem"));
    }

    private static TlsServerSettings serverTls() {
        return TlsServerSettings.builder()
                .certificate(CertificateKey.fromPem(dir.resolve("server.pem"), dir.resolve("server.key")))
                .build();
    }

    private static HttpPeer customPeer(ProxyFixture to) throws Exception {
        TlsClientSettings trust = TlsClientSettings.builder()
                .trustRoots(Pem.certificates(dir.resolve("server.pem")))
                .build();
        return HttpPeer.builder(new InetSocketAddress(InetAddress.getLoopbackAddress(), to.address.getPort()))
                .tls(trust, "localhost")
                .customProtocol(FrameCodec.PROTOCOL)
                .build();
    }

    /** A proxy to {@code peer} that reports the ALPN protocol of each upstream connection it uses. */
    private static ProxyHttp<Void> reportingAlpn(HttpPeer peer, BlockingQueue<String> alpn) {
        return new ProxyFixture.ToPeer(peer) {
            @Override
            public void connectedToUpstream(Session s, boolean reused, HttpPeer p, StreamDigest d, Void ctx) {
                alpn.add(d.tls() == null ? "none" : String.valueOf(d.tls().applicationProtocol()));
            }
        };
    }

    @Test
    void peerOfferingCustomAlpnSpeaksItToAListenerThatSelectsIt() throws Exception {
        try (Origin origin = Origin.answering("through custom tls");
                ProxyFixture b = new ProxyFixture(
                        ProxyFixture.to(HttpPeer.of(origin.address())),
                        x -> x.tls(serverTls()).customProtocol(FrameCodec.PROTOCOL))) {
            BlockingQueue<String> alpn = new LinkedBlockingQueue<>();
            try (ProxyFixture a = new ProxyFixture(reportingAlpn(customPeer(b), alpn))) {
                ProxyFixture.Curl c = ProxyFixture.curl(a.url("/1"), a.url("/2"));
                assertEquals(0, c.exit(), c.err());
                assertEquals("through custom tlsthrough custom tls", c.out());
                assertEquals("x-frames", alpn.poll(5, TimeUnit.SECONDS), "the listener selected the custom id");
                assertEquals(1, a.proxy.upstreamStats().reused(), "the custom TLS connection was pooled");
            }
            // the same listener still serves HTTP/1.1 and HTTP/2 clients (custom id first, then h2, http/1.1)
            ProxyFixture.Curl h2 = ProxyFixture.curl(
                    "--http2",
                    "-w",
                    " %{http_version}",
                    "--resolve",
                    "localhost:" + b.address.getPort() + ":127.0.0.1",
                    "--cacert",
                    dir.resolve("server.pem").toString(),
                    "https://localhost:" + b.address.getPort() + "/h2");
            assertEquals("through custom tls 2", h2.out(), h2.err());
        }
    }

    @Test
    void peerFallsBackToHttp11WhenTheOriginDoesNotSelectTheCustomId() throws Exception {
        try (ProxyFixture plainTls = new ProxyFixture(
                ProxyFixture.answering(s -> "h1 over tls " + s.request().version()), x -> x.tls(serverTls()))) {
            BlockingQueue<String> alpn = new LinkedBlockingQueue<>();
            try (ProxyFixture a = new ProxyFixture(reportingAlpn(customPeer(plainTls), alpn))) {
                ProxyFixture.Curl c = ProxyFixture.curl(a.url("/1"), a.url("/2"));
                assertEquals(0, c.exit(), c.err());
                assertTrue(c.out().startsWith("h1 over tls"), c.out());
                assertEquals("http/1.1", alpn.poll(5, TimeUnit.SECONDS), "HTTP/1.1 selected, spoken");
                assertEquals(1, a.proxy.upstreamStats().reused(), "the HTTP/1.1 fallback connection was pooled");
            }
        }
    }

    @Test
    void validatesIdsAndCombinations() {
        assertThrows(IllegalArgumentException.class, () -> CustomProtocol.of("", FrameCodec::new));
        assertThrows(IllegalArgumentException.class, () -> CustomProtocol.of("x".repeat(256), FrameCodec::new));
        assertThrows(IllegalArgumentException.class, () -> CustomProtocol.of("h2", FrameCodec::new));
        assertEquals(
                255, CustomProtocol.of("x".repeat(255), FrameCodec::new).alpn().length());
        assertThrows(
                IllegalArgumentException.class,
                () -> HttpPeer.builder(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1))
                        .protocol(UpstreamProtocol.H2)
                        .customProtocol(FrameCodec.PROTOCOL)
                        .build());
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> HttpProxy.builder(ProxyFixture.answering(s -> ""))
                        .forceCustomProtocol(true)
                        .build());
        assertEquals("forceCustomProtocol: true (expected: a customProtocol to force)", e.getMessage());
    }
}
