package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tunnels over HTTP/2 streams, driven by {@code src/test/python/h2_tunnel.py} (the h2 library): WebSocket by
 * extended CONNECT (RFC 8441) bridged to an HTTP/1.1 upgrade at the {@code ws} origin of Node.js, and a plain
 * CONNECT (RFC 9113 §8.5) allowed or refused by {@link ProxyHttp#connectPeer}.
 */
@ExtendWith(LeakDetection.class)
class Http2TunnelTest {
    private static final Path SCRIPT = Path.of("src/test/python/h2_tunnel.py").toAbsolutePath();

    private static String run(InetSocketAddress proxy, String scenario, String arg)
            throws IOException, InterruptedException {
        Http2Client.require();
        Process p = new ProcessBuilder(
                        "/usr/bin/python3",
                        SCRIPT.toString(),
                        proxy.getAddress().getHostAddress(),
                        Integer.toString(proxy.getPort()),
                        scenario,
                        arg)
                .directory(SCRIPT.getParent().toFile())
                .redirectErrorStream(true) // a traceback joins the output the assertions show
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "h2_tunnel.py ended");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aWebSocketByExtendedConnectIsBridgedToAnHttp11Upgrade() throws Exception {
        try (NodeWs ws = NodeWs.server();
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(ws.address)))) {
            String out = run(f.address, "websocket", "/chat");
            assertTrue(out.contains("\"settings_enable_connect_protocol\": 1"), out);
            assertTrue(out.contains("\":status\": \"200\""), out);
            assertTrue(out.contains("\"sec-websocket-protocol\": \"chat.v2\""), out);
            assertTrue(!out.contains("sec-websocket-accept"), "the HTTP/1.1 handshake stays upstream: " + out);
            // what the origin saw: an HTTP/1.1 upgrade with a key of the proxy's making
            assertTrue(out.contains("\"upgrade\": \"websocket\""), out);
            assertTrue(out.contains("\"sec-websocket-version\": \"13\""), out);
            assertTrue(out.matches(".*\"sec-websocket-key\": \"[A-Za-z0-9+/]{22}==\".*"), out);
            assertTrue(out.contains("\"origin\": \"http://app.example\""), out);
            assertTrue(out.contains("\"echoes\": [true, true, true, true]"), out);
            assertTrue(out.contains("\"pong\": \"hi\""), out);
            assertTrue(out.contains("\"close\": [4003, \"over h2\"]"), out);
            assertTrue(out.contains("\"ended\": true"), out);
        }
    }

    @Test
    void anIdleTunnelOnAStreamEndsAtTheTunnelIdleTimeout() throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (NodeWs ws = NodeWs.server()) {
            WebSocketTest.Metered app = new WebSocketTest.Metered(HttpPeer.of(ws.address));
            try (ProxyFixture f =
                    new ProxyFixture(app, b -> b.ticker(ticker).tunnelIdleTimeout(Duration.ofMinutes(10)))) {
                Http2Client.require();
                Process p = new ProcessBuilder(
                                "/usr/bin/python3",
                                SCRIPT.toString(),
                                f.address.getAddress().getHostAddress(),
                                Integer.toString(f.address.getPort()),
                                "idle",
                                "/chat")
                        .directory(SCRIPT.getParent().toFile())
                        .redirectErrorStream(true)
                        .start();
                try {
                    BufferedReader out =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    assertEquals("idle", out.readLine());
                    // past the request timeouts (read 60 s, total 300 s) the stream stays; at 10 minutes it ends
                    Optional<ProxyError> e = ticker.advanceUntil(app.ended, Duration.ofMinutes(1));
                    assertTrue(e.isPresent() && e.get().getMessage().contains("tunnel idle"), e.toString());
                    p.getOutputStream().write('\n');
                    p.getOutputStream().flush();
                    String result = out.readLine();
                    assertTrue(
                            result != null
                                    && result.contains("\"status\": \"200\"")
                                    && result.contains("\"echoed\": true")
                                    && result.contains("\"ended\": true"),
                            String.valueOf(result));
                } finally {
                    p.destroy();
                }
            }
        }
    }

    @Test
    void aPlainConnectTunnelsWhereConnectPeerAllows() throws Exception {
        try (Origin origin = Origin.answering("inside");
                ProxyFixture f = new ProxyFixture(
                        new ConnectTunnelTest.AllowList(Set.of(origin.address().getPort())))) {
            String out =
                    run(f.address, "connect", "127.0.0.1:" + origin.address().getPort());
            assertTrue(out.contains("\":status\": \"200\""), out);
            assertTrue(out.contains("HTTP/1.1 200 X"), out);
            assertTrue(out.contains("inside"), out);
            assertEquals(
                    List.of("/through"),
                    origin.requests.stream().map(Origin.Request::target).toList());
        }
    }

    @Test
    void aConnectNobodyAllowedIs405() throws Exception {
        try (Origin origin = Origin.answering("secret");
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            String out =
                    run(f.address, "connect", "127.0.0.1:" + origin.address().getPort());
            assertTrue(out.contains("\":status\": \"405\""), out);
            assertEquals(0, origin.requests.size());
        }
    }
}
