package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import net.proxy.core.internal.Transport;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Unix domain sockets on both sides: an origin listening on one, a proxy listening on another. */
@ExtendWith(LeakDetection.class)
class UnixSocketTest {

    @Test
    void proxiesToAnOriginOnAUnixSocketAndListensOnOne(@TempDir Path dir) throws Exception {
        Peers.assume(Transport.best().supportsUnixSockets(), "native epoll");
        UnixDomainSocketAddress originPath = UnixDomainSocketAddress.of(dir.resolve("origin.sock"));
        UnixDomainSocketAddress proxyPath = UnixDomainSocketAddress.of(dir.resolve("proxy.sock"));
        Server origin = Server.builder()
                .threads(1)
                .build()
                .add(HttpProxy.builder(ProxyFixture.answering(s -> "via unix"))
                        .listen(originPath)
                        .build())
                .start();
        try (ProxyFixture f = new ProxyFixture(FailureTest.to(HttpPeer.of(originPath)), b -> b.listen(proxyPath))) {
            assertEquals("via unix", ProxyFixture.curl(f.url("/tcp")).out());
            assertEquals(
                    "via unix",
                    ProxyFixture.curl("--unix-socket", proxyPath.getPath().toString(), "http://localhost/uds")
                            .out());
        } finally {
            origin.shutdownNow();
        }
    }
}
