package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tunnel an HTTP/1.1 upgrade becomes, byte for byte with scripted peers: the orders in which the 101, the
 * request's body and the first tunnel bytes can arrive (Pingora's #946 among them), half-closes, an upgrade the
 * origin declines, and the tunnel's idle timeout on an injected clock (the request timeouts no longer apply).
 */
@ExtendWith(LeakDetection.class)
class TunnelTest {
    private static final String UPGRADE = "GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: demo\r\n";
    private static final String SWITCHED =
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: demo\r\n\r\n";

    private final ManualTicker ticker = new ManualTicker();

    /** An origin that accepts one connection and leaves the talking to the test. */
    private static final class ScriptedOrigin implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());

        ScriptedOrigin() throws IOException {}

        HttpPeer peer() {
            return HttpPeer.of(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        }

        Socket accept() throws IOException {
            server.setSoTimeout(10_000);
            Socket s = server.accept();
            s.setSoTimeout(10_000);
            return s;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private Socket client(ProxyFixture f) throws IOException {
        Socket s = new Socket(f.address.getAddress(), f.address.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads exactly {@code text}'s length and checks it. */
    private static void expect(Socket s, String text) throws IOException {
        byte[] got = s.getInputStream().readNBytes(text.length());
        assertEquals(text, new String(got, StandardCharsets.ISO_8859_1));
    }

    /** Reads a head up to its blank line. */
    private static String head(Socket s) throws IOException {
        String h = Origin.readHead(s.getInputStream());
        assertTrue(h != null, "a head arrived");
        return h;
    }

    private ProxyFixture proxy(ProxyHttp<Void> app) {
        return new ProxyFixture(app, b -> b.ticker(ticker));
    }

    @Test
    void theHundredAndOneRightAfterARequestWithAnEmptyBodyKeepsTheTunnel() throws Exception {
        // Pingora #946: a 101 read before the request's empty body tore the tunnel down
        try (ScriptedOrigin o = new ScriptedOrigin();
                ProxyFixture f = proxy(ProxyFixture.to(o.peer()));
                Socket c = client(f)) {
            send(c, UPGRADE + "Content-Length: 0\r\n\r\n");
            try (Socket up = o.accept()) {
                String h = head(up);
                assertTrue(h.contains("Upgrade: demo") && h.contains("Connection: upgrade"), h);
                send(up, SWITCHED + "hello from origin");
                assertTrue(head(c).startsWith("HTTP/1.1 101"), "the client got the 101");
                expect(c, "hello from origin");
                send(c, "hello from client");
                expect(up, "hello from client");
                send(up, "and back");
                expect(c, "and back");
            }
        }
    }

    @Test
    void aChunkedRequestBodyEndsBeforeTheTunnelBytesOnTheOriginSide() throws Exception {
        try (ScriptedOrigin o = new ScriptedOrigin();
                ProxyFixture f = proxy(ProxyFixture.to(o.peer()));
                Socket c = client(f)) {
            send(c, UPGRADE + "Transfer-Encoding: chunked\r\n\r\n");
            send(c, "3\r\nabc\r\n0\r\n\r\n");
            try (Socket up = o.accept()) {
                head(up);
                expect(up, "3\r\nabc\r\n0\r\n\r\n");
                send(up, SWITCHED);
                head(c);
                send(c, "tunnel bytes");
                expect(up, "tunnel bytes");
            }
        }
    }

    @Test
    void bytesSentBeforeTheHundredAndOneFollowTheRequestHead() throws Exception {
        try (ScriptedOrigin o = new ScriptedOrigin();
                ProxyFixture f = proxy(ProxyFixture.to(o.peer()));
                Socket c = client(f)) {
            send(c, UPGRADE + "\r\nearly bytes");
            try (Socket up = o.accept()) {
                head(up);
                send(up, SWITCHED);
                expect(up, "early bytes");
                String h = head(c);
                assertTrue(h.startsWith("HTTP/1.1 101") && h.contains("Upgrade: demo"), h);
                assertTrue(h.contains("Connection: upgrade"), h);
            }
        }
    }

    @Test
    void halfClosesPassBothWaysAndTheFiltersSeeEachEnd() throws Exception {
        try (ScriptedOrigin o = new ScriptedOrigin()) {
            WebSocketTest.Metered app = new WebSocketTest.Metered(o.peer());
            try (ProxyFixture f = proxy(app);
                    Socket c = client(f)) {
                send(c, UPGRADE + "\r\n");
                try (Socket up = o.accept()) {
                    head(up);
                    send(up, SWITCHED);
                    head(c);
                    send(c, "last words");
                    c.shutdownOutput();
                    expect(up, "last words");
                    assertEquals(-1, up.getInputStream().read(), "the origin saw the client's FIN");
                    send(up, "still talking");
                    expect(c, "still talking");
                    up.shutdownOutput();
                    assertEquals(-1, c.getInputStream().read(), "the client saw the origin's FIN");
                    assertEquals(Optional.empty(), app.ended.poll(10, TimeUnit.SECONDS), "a normal end");
                    assertTrue(app.clientEndSeen.get(), "requestBodyFilter saw the client's end");
                    assertEquals(10, app.fromClient.get());
                    assertEquals(13, app.fromOrigin.get());
                }
            }
        }
    }

    @Test
    void anUpgradeTheOriginDeclinesIsAnOrdinaryResponseOnAKeptConnection() throws Exception {
        try (ScriptedOrigin o = new ScriptedOrigin();
                ProxyFixture f = proxy(ProxyFixture.to(o.peer()));
                Socket c = client(f)) {
            send(c, UPGRADE + "\r\n");
            try (Socket up = o.accept()) {
                head(up);
                send(up, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nplain");
                String h = head(c);
                assertTrue(h.startsWith("HTTP/1.1 200") && !h.contains("Connection: close"), h);
                expect(c, "plain");
                send(c, "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
                String next = head(up);
                assertTrue(next.startsWith("GET /next"), next);
                send(up, "HTTP/1.1 204 No Content\r\n\r\n");
                assertTrue(head(c).startsWith("HTTP/1.1 204"));
            }
        }
    }

    @Test
    void aHundredAndOneNobodyAskedForIs502() throws Exception {
        try (ScriptedOrigin o = new ScriptedOrigin();
                ProxyFixture f = proxy(ProxyFixture.to(o.peer()));
                Socket c = client(f)) {
            send(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            try (Socket up = o.accept()) {
                head(up);
                send(up, SWITCHED);
                assertTrue(head(c).startsWith("HTTP/1.1 502"));
            }
        }
    }

    @Test
    void anIdleTunnelClosesAfterItsOwnTimeoutNotTheRequestTimeouts() throws Exception {
        try (ScriptedOrigin o = new ScriptedOrigin()) {
            WebSocketTest.Metered app = new WebSocketTest.Metered(o.peer());
            try (ProxyFixture f =
                            new ProxyFixture(app, b -> b.ticker(ticker).tunnelIdleTimeout(Duration.ofMinutes(10)));
                    Socket c = client(f)) {
                send(c, UPGRADE + "\r\n");
                try (Socket up = o.accept()) {
                    head(up);
                    send(up, SWITCHED);
                    head(c);
                    // past the read (60 s) and total (300 s) timeouts of a request, a byte every 9 minutes
                    for (int i = 0; i < 3; i++) {
                        ticker.advance(Duration.ofMinutes(9));
                        send(c, "ping");
                        expect(up, "ping");
                    }
                    ticker.advance(Duration.ofMinutes(9));
                    assertEquals(Optional.empty(), Optional.ofNullable(app.ended.poll()), "still open");
                    Optional<ProxyError> e = ticker.advanceUntil(app.ended, Duration.ofSeconds(30));
                    assertTrue(e.isPresent() && e.get().getMessage().contains("tunnel idle"), e.toString());
                    assertEquals(-1, c.getInputStream().read(), "the client's connection closed");
                    assertEquals(-1, up.getInputStream().read(), "the origin's connection closed");
                }
            }
        }
    }
}
