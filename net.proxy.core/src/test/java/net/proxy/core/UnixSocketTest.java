package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.Unpooled;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import net.proxy.core.internal.Transport;
import net.proxy.http.ResponseHeader;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Unix domain sockets on both sides: an origin listening on one, a proxy listening on another. */
@ExtendWith(LeakDetection.class)
class UnixSocketTest {

    static ProxyHttp<Void> answering(String text) {
        return new ProxyHttp<>() {
            @Override
            public Void newContext() {
                return null;
            }

            @Override
            public boolean requestFilter(Session session, Void ctx) {
                session.writeResponse(ResponseHeader.of(200), Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
                return true;
            }

            @Override
            public HttpPeer upstreamPeer(Session session, Void ctx) {
                throw new IllegalStateException("answers itself");
            }
        };
    }

    @Test
    void proxiesToAnOriginOnAUnixSocketAndListensOnOne(@TempDir Path dir) throws Exception {
        assumeTrue(Transport.best().supportsUnixSockets(), "native epoll is not available");
        UnixDomainSocketAddress originPath = UnixDomainSocketAddress.of(dir.resolve("origin.sock"));
        UnixDomainSocketAddress proxyPath = UnixDomainSocketAddress.of(dir.resolve("proxy.sock"));
        Server origin = Server.builder().threads(1).build()
                .add(HttpProxy.builder(answering("via unix")).listen(originPath).build()).start();
        try (ProxyFixture f = new ProxyFixture(FailureTest.to(HttpPeer.of(originPath)), b -> b.listen(proxyPath))) {
            assertEquals("via unix", ProxyFixture.curl(f.url("/tcp")).out());
            assertEquals("via unix", ProxyFixture.curl("--unix-socket", proxyPath.getPath().toString(),
                    "http://localhost/uds").out());
        } finally {
            origin.shutdownNow();
        }
    }
}
