package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import net.proxy.l4.Cidr;
import net.proxy.l4.ConnectionFilter;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PROXY protocol and connection filters on the HTTP proxy's own listeners, with raw sockets and curl. */
@ExtendWith(LeakDetection.class)
class AcceptSequenceTest {
    static final String GET = "GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    static ProxyHttp<Void> whoIsThere() {
        return ProxyFixture.answering(s -> {
            InetSocketAddress client = (InetSocketAddress) s.digest().clientAddress();
            return client.getAddress().getHostAddress() + ":" + client.getPort();
        });
    }

    @Test
    void proxyHeaderNamesTheClientAndASocketWithoutOneIsClosedUnanswered() throws Exception {
        try (ProxyFixture f =
                new ProxyFixture(whoIsThere(), b -> b.proxyProtocol(true).proxyHeaderTimeout(Duration.ofSeconds(5)))) {
            String v1 = f.raw("PROXY TCP4 203.0.113.7 127.0.0.1 5555 80\r\n" + GET, 5000);
            assertTrue(v1.startsWith("HTTP/1.1 200") && v1.endsWith("203.0.113.7:5555"), v1);
            ProxyFixture.Curl curl = ProxyFixture.curl("--haproxy-protocol", f.url("/who"));
            assertEquals(0, curl.exit(), curl.err());
            assertTrue(curl.out().startsWith("127.0.0.1:"), curl.out());
            String none = f.raw(GET, 5000);
            assertEquals("", none, "an HTTP request instead of a PROXY header gets no answer");
            ProxyFixture.eventually(() -> f.proxy.acceptStats().failed() >= 1, "the bad header counted");
            assertEquals(2, f.proxy.acceptStats().accepted());
        }
    }

    @Test
    void aSocketThatSendsNoProxyHeaderIsClosedAfterTheHeaderTimeoutOnTheEnginesClock() throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (ProxyFixture f = new ProxyFixture(
                        whoIsThere(),
                        b -> b.proxyProtocol(true)
                                .proxyHeaderTimeout(Duration.ofSeconds(5))
                                .ticker(ticker));
                java.net.Socket s = new java.net.Socket(f.address.getAddress(), f.address.getPort())) {
            java.util.concurrent.BlockingQueue<String> closed = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try {
                    closed.add("read " + s.getInputStream().read());
                } catch (java.io.IOException e) {
                    closed.add("read " + e.getMessage());
                }
            });
            reader.setDaemon(true);
            reader.start();
            String outcome = ticker.advanceUntil(closed, Duration.ofSeconds(1));
            assertTrue(outcome.equals("read -1") || outcome.equals("read Connection reset"), outcome);
            ProxyFixture.eventually(() -> f.proxy.acceptStats().failed() == 1, "the late header counted");
        }
    }

    @Test
    void connectionFilterSeesTheClientTheProxyHeaderNames() throws Exception {
        ConnectionFilter deny = ConnectionFilter.denying(List.of(Cidr.parse("203.0.113.0/24")));
        try (ProxyFixture f =
                new ProxyFixture(whoIsThere(), b -> b.proxyProtocol(true).connectionFilter(deny))) {
            assertEquals("", f.raw("PROXY TCP4 203.0.113.9 127.0.0.1 5555 80\r\n" + GET, 5000));
            String allowed = f.raw("PROXY TCP4 198.51.100.1 127.0.0.1 6666 80\r\n" + GET, 5000);
            assertTrue(allowed.endsWith("198.51.100.1:6666"), allowed);
            assertEquals(1, f.proxy.acceptStats().rejected());
        }
    }

    @Test
    void connectionFilterAloneClosesDeniedSocketsBeforeAnyByteIsRead() throws Exception {
        ConnectionFilter deny = ConnectionFilter.denying(List.of(Cidr.parse("127.0.0.0/8")));
        try (ProxyFixture f = new ProxyFixture(whoIsThere(), b -> b.connectionFilter(deny))) {
            ProxyFixture.Curl curl = ProxyFixture.curl(f.url("/who"));
            assertNotEquals(0, curl.exit(), "curl must see the connection closed: " + curl.out());
            assertEquals("", curl.out());
            assertEquals(1, f.proxy.acceptStats().rejected());
        }
        try (ProxyFixture open = new ProxyFixture(whoIsThere())) {
            assertTrue(ProxyFixture.curl(open.url("/who")).out().startsWith("127.0.0.1:"));
            assertEquals(1, open.proxy.acceptStats().accepted(), "every stream goes through the one l4 accept path");
        }
    }
}
