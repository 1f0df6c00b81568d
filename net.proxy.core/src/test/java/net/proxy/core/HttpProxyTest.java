package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class HttpProxyTest {

    /** A proxy that sends everything to one origin. */
    static final class ToOrigin implements ProxyHttp<Void> {
        final HttpPeer peer;

        ToOrigin(Origin origin) {
            this.peer = HttpPeer.of(origin.address());
        }

        @Override
        public Void newContext() {
            return null;
        }

        @Override
        public HttpPeer upstreamPeer(Session session, Void ctx) {
            return peer;
        }
    }

    @Test
    void proxiesGetAndReusesUpstreamConnection() throws Exception {
        try (Origin origin = Origin.answering("hello"); ProxyFixture f = new ProxyFixture(new ToOrigin(origin))) {
            ProxyFixture.Curl c = ProxyFixture.curl(f.url("/a"), f.url("/b"), f.url("/c"));
            assertEquals(0, c.exit(), c.err());
            assertEquals("hellohellohello", c.out());
            assertEquals(3, origin.requests.size());
            assertEquals("/b", origin.requests.get(1).target());
            assertEquals(1, origin.connections.get(), "one pooled upstream connection");
            assertTrue(f.proxy.reuseRatio() > 0.6, "reuse ratio " + f.proxy.reuseRatio());
        }
    }
}
