package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.proxy.testkit.LeakDetection;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.TlsServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WebSocket through the proxy with the {@code ws} package of Node.js on both ends: the HTTP/1.1 upgrade reaches the
 * origin with its fields, the 101 turns the exchange into a tunnel, and messages, control frames, subprotocols and
 * permessage-deflate pass untouched, over clear text and TLS.
 */
@ExtendWith(LeakDetection.class)
class WebSocketTest {
    private static final Path CERTS =
            Path.of("../net.proxy.tls/src/test/resources/net/proxy/tls/certs").toAbsolutePath();

    /** Counts the tunnel bytes the body filter phases see, and how each exchange ended. */
    static final class Metered extends ProxyFixture.ToPeer {
        final AtomicLong fromClient = new AtomicLong();
        final AtomicLong fromOrigin = new AtomicLong();
        final AtomicBoolean clientEndSeen = new AtomicBoolean();
        final BlockingQueue<Optional<ProxyError>> ended = new LinkedBlockingQueue<>();

        Metered(HttpPeer peer) {
            super(peer);
        }

        @Override
        public ByteBuf requestBodyFilter(Session session, ByteBuf chunk, boolean endOfStream, Void ctx) {
            fromClient.addAndGet(chunk.readableBytes());
            if (endOfStream) {
                clientEndSeen.set(true);
            }
            return chunk;
        }

        @Override
        public ByteBuf responseBodyFilter(Session session, ByteBuf chunk, boolean endOfStream, Void ctx) {
            fromOrigin.addAndGet(chunk.readableBytes());
            return chunk;
        }

        @Override
        public void logging(Session session, ProxyError error, Void ctx) {
            ended.add(Optional.ofNullable(error));
        }
    }

    private static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":");
        assertTrue(i >= 0, name + " in " + json);
        int start = i + name.length() + 3;
        if (json.charAt(start) == '"') {
            return json.substring(start + 1, json.indexOf('"', start + 1));
        }
        int end = start;
        while (end < json.length() && json.charAt(end) != ',' && json.charAt(end) != '}') {
            end++;
        }
        return json.substring(start, end);
    }

    @Test
    void aConversationPassesWithSubprotocolDeflateControlFramesAndCloseCodes() throws Exception {
        try (NodeWs ws = NodeWs.server()) {
            Metered app = new Metered(HttpPeer.of(ws.address));
            try (ProxyFixture f = new ProxyFixture(app)) {
                String out = NodeWs.client("conversation", "ws://127.0.0.1:" + f.address.getPort() + "/chat");
                String info = out.substring(out.indexOf("\"info\""), out.indexOf("\"texts\""));
                assertEquals("chat.v2", field(out, "protocol"), out);
                assertTrue(field(out, "extensions").startsWith("permessage-deflate"), out);
                assertEquals("http://app.example", field(info, "origin"), info);
                assertEquals("kept", field(info, "x-custom"), info);
                assertEquals("websocket", field(info, "upgrade"), info);
                assertEquals("upgrade", field(info, "connection").toLowerCase(Locale.ROOT), info);
                assertEquals("chat.v2,chat.v1", field(info, "sec-websocket-protocol"), info);
                assertTrue(field(info, "sec-websocket-extensions").startsWith("permessage-deflate"), info);
                assertTrue(field(info, "sec-websocket-key").length() == 24, info);
                assertEquals("are you there", field(out, "pong"), out);
                assertEquals("4002", field(out, "code"), out);
                assertEquals("server says bye", field(out, "reason"), out);
                assertEquals(Optional.empty(), app.ended.poll(10, TimeUnit.SECONDS), "the tunnel ended normally");
                // 17 MiB of binary echoes went each way: the body filter phases saw the tunnel's bytes
                assertTrue(app.fromClient.get() > 17 << 20, "client bytes seen: " + app.fromClient);
                assertTrue(app.fromOrigin.get() > 17 << 20, "origin bytes seen: " + app.fromOrigin);
            }
        }
    }

    @Test
    void aCloseTheClientStartsReachesTheOriginAndComesBack() throws Exception {
        try (NodeWs ws = NodeWs.server();
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(ws.address)))) {
            String out = NodeWs.client("client-close", "ws://127.0.0.1:" + f.address.getPort() + "/");
            assertEquals("4001", field(out, "code"), out);
            assertEquals("client says bye", field(out, "reason"), out);
        }
    }

    @Test
    void fiftySocketsAtOnceKeepTheirOwnOrder() throws Exception {
        try (NodeWs ws = NodeWs.server();
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(ws.address)))) {
            String out = NodeWs.client("many", "ws://127.0.0.1:" + f.address.getPort() + "/", "50");
            assertEquals("50", field(out, "sockets"), out);
        }
    }

    @Test
    void anIdleSocketOutlivesTheRequestTimeoutsAndClosesAtTheTunnelIdleTimeout() throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (NodeWs ws = NodeWs.server()) {
            Metered app = new Metered(HttpPeer.of(ws.address));
            try (ProxyFixture f = new ProxyFixture(app, b -> b.ticker(ticker))) {
                Process client = NodeWs.startClient("idle", "ws://127.0.0.1:" + f.address.getPort() + "/");
                try {
                    BufferedReader out =
                            new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                    assertEquals("{\"stage\":\"idle\"}", out.readLine());
                    // half an hour without a byte: past the read (60 s), total (300 s) and keep-alive timeouts
                    for (int i = 0; i < 6; i++) {
                        ticker.advance(Duration.ofMinutes(5));
                    }
                    client.getOutputStream().write('\n');
                    client.getOutputStream().flush();
                    assertEquals("{\"stage\":\"echoed\"}", out.readLine());
                    // an hour after the last byte the tunnel's own timeout closes it (the logged reason says which
                    // timer ended it: a request timeout would have been told as such)
                    Optional<ProxyError> e = ticker.advanceUntil(app.ended, Duration.ofMinutes(5));
                    assertTrue(e.isPresent() && e.get().getMessage().contains("tunnel idle"), e.toString());
                    String closed = out.readLine();
                    assertTrue(closed != null && closed.contains("\"code\":1006"), "abnormal closure: " + closed);
                } finally {
                    client.destroy();
                }
            }
        }
    }

    @Test
    void wssThroughATlsListener() throws Exception {
        TlsServerSettings tls = TlsServerSettings.builder()
                .certificate(CertificateKey.fromPem(CERTS.resolve("server-ec.pem"), CERTS.resolve("server-ec.key")))
                .build();
        try (NodeWs ws = NodeWs.server()) {
            Metered app = new Metered(HttpPeer.of(ws.address));
            try (ProxyFixture f = new ProxyFixture(app, b -> b.tls(tls))) {
                String out = NodeWs.client(
                        "conversation",
                        "wss://127.0.0.1:" + f.address.getPort() + "/secure",
                        CERTS.resolve("ca.pem").toString());
                assertEquals("chat.v2", field(out, "protocol"), out);
                assertEquals("4002", field(out, "code"), out);
                assertEquals(Optional.empty(), app.ended.poll(10, TimeUnit.SECONDS), "the tunnel ended normally");
            }
        }
    }
}
