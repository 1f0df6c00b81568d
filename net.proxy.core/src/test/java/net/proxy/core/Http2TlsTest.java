package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import net.proxy.core.Http2Client.Report;
import net.proxy.testkit.LeakDetection;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.TlsServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP/2 chosen by ALPN on a TLS listener takes the same path as prior knowledge on clear text: a normal client is
 * served, an abusive one gets {@code GOAWAY(ENHANCE_YOUR_CALM)}, a malformed request is refused. The Python clients
 * speak TLS with ALPN {@code h2} and fail unless the proxy chose it.
 */
@ExtendWith(LeakDetection.class)
class Http2TlsTest {
    /** The certificates made by net.proxy.tls/src/test/resources/net/proxy/tls/certs/generate.sh. */
    private static final Path CERTS =
            Path.of("../net.proxy.tls/src/test/resources/net/proxy/tls/certs").toAbsolutePath();

    private static ProxyFixture proxy(RecordingOrigin origin, Http2Options http2) {
        TlsServerSettings tls = TlsServerSettings.builder()
                .certificate(CertificateKey.fromPem(CERTS.resolve("server-ec.pem"), CERTS.resolve("server-ec.key")))
                .build();
        return new ProxyFixture(
                ProxyFixture.to(HttpPeer.of(origin.address())),
                b -> b.tls(tls).http2(http2).ticker(new ManualTicker()));
    }

    @Test
    void aNormalClientIsServedOverTlsWithAlpnH2() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin((r, out) -> RecordingOrigin.ok(out, "ok " + r.target()));
                ProxyFixture f = proxy(origin, Http2Options.defaults())) {
            Report r = Http2Client.runTls(f.address, CERTS.resolve("ca.pem"), "h2_requests.py", "normal", "20", "2");
            assertEquals("0", r.conn().get("goaways"), r.toString());
            assertEquals("2", r.conn().get("ping_acks"), r.toString());
            assertEquals(20, r.streams().size(), r.toString());
            for (int id : r.streams().keySet()) {
                assertEquals(200, r.status(id), r.toString());
            }
            assertEquals(20, origin.complete().size());
        }
    }

    @Test
    void rapidResetOverTlsGetsEnhanceYourCalm() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok");
                ProxyFixture f = proxy(
                        origin,
                        Http2Options.builder()
                                .rstStreamRate(Http2Options.FrameRate.of(10, Duration.ofSeconds(1), 20))
                                .build())) {
            Report r = Http2Client.runTls(f.address, CERTS.resolve("ca.pem"), "h2_abuse.py", "rapid-reset", "50");
            assertEquals(0xb, r.goaway(), r.toString());
            assertTrue(r.closed(), r.toString());
        }
    }

    @Test
    void aMalformedRequestOverTlsIsRefusedAndTheConnectionServesOn() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok");
                ProxyFixture f = proxy(origin, Http2Options.defaults())) {
            Report r = Http2Client.runTls(
                    f.address, CERTS.resolve("ca.pem"), "h2_requests.py", "malformed", "uppercase-name-with-body");
            assertEquals(1, r.rst(1), r.toString());
            assertEquals(200, r.status(3), r.toString());
            assertEquals(1, origin.seen.size(), "only GET /after: " + origin.seen);
        }
    }
}
