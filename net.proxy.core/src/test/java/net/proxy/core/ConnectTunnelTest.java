package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Set;
import net.proxy.testkit.LeakDetection;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.TlsServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code CONNECT} as a forward-proxy tunnel, driven by curl's {@code -p -x}: refused by default (no open relay),
 * allowed where {@link ProxyHttp#connectPeer} says so, with plain HTTP and TLS carried through.
 */
@ExtendWith(LeakDetection.class)
class ConnectTunnelTest {
    private static final Path CERTS =
            Path.of("../net.proxy.tls/src/test/resources/net/proxy/tls/certs").toAbsolutePath();

    /** Tunnels only to loopback ports on an allow-list; the destination is the request target, {@code host:port}. */
    static final class AllowList extends ProxyFixture.ToPeer {
        private final Set<Integer> ports;

        AllowList(Set<Integer> ports) {
            super(null);
            this.ports = ports;
        }

        @Override
        public HttpPeer connectPeer(Session session, Void ctx) {
            String target = session.request().target();
            int colon = target.lastIndexOf(':');
            int port = Integer.parseInt(target.substring(colon + 1));
            if (!target.startsWith("127.0.0.1:") || !ports.contains(port)) {
                return null;
            }
            return HttpPeer.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }

    @Test
    void connectIsRefusedWith405ByDefault() throws Exception {
        try (Origin origin = Origin.answering("secret");
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            ProxyFixture.Curl c = ProxyFixture.curl(
                    "-p",
                    "-x",
                    f.url(""),
                    "http://127.0.0.1:" + origin.address().getPort() + "/");
            assertTrue(c.err().contains("405"), c.err());
            assertEquals(0, origin.requests.size(), "nothing reached the origin");
        }
    }

    @Test
    void anAllowedDestinationIsTunnelledAndOthersAreRefused() throws Exception {
        try (Origin allowed = Origin.answering("through the tunnel");
                Origin other = Origin.answering("secret");
                ProxyFixture f =
                        new ProxyFixture(new AllowList(Set.of(allowed.address().getPort())))) {
            ProxyFixture.Curl c = ProxyFixture.curl(
                    "-p",
                    "-x",
                    f.url(""),
                    "http://127.0.0.1:" + allowed.address().getPort() + "/a",
                    "-i");
            assertTrue(c.out().startsWith("HTTP/1.1 200"), c.out()); // the proxy's answer to CONNECT
            assertTrue(c.out().endsWith("through the tunnel"), c.out());
            assertEquals("/a", allowed.requests.get(0).target());
            ProxyFixture.Curl refused = ProxyFixture.curl(
                    "-p", "-x", f.url(""), "http://127.0.0.1:" + other.address().getPort() + "/");
            assertTrue(refused.err().contains("405"), refused.err());
            assertEquals(0, other.requests.size());
        }
    }

    @Test
    void tlsToTheDestinationPassesThroughTheTunnel() throws Exception {
        TlsServerSettings tls = TlsServerSettings.builder()
                .certificate(CertificateKey.fromPem(CERTS.resolve("server-ec.pem"), CERTS.resolve("server-ec.key")))
                .build();
        try (ProxyFixture destination = new ProxyFixture(
                        ProxyFixture.answering(s -> "secure " + s.request().path()), b -> b.tls(tls));
                ProxyFixture f = new ProxyFixture(new AllowList(Set.of(destination.address.getPort())))) {
            ProxyFixture.Curl c = ProxyFixture.curl(
                    "-p",
                    "-x",
                    f.url(""),
                    "--cacert",
                    CERTS.resolve("ca.pem").toString(),
                    "https://127.0.0.1:" + destination.address.getPort() + "/inside");
            assertEquals("secure /inside", c.out(), c.err());
        }
    }
}
