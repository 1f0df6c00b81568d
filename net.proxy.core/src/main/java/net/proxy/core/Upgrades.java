package net.proxy.core;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import net.proxy.http.RequestHeader;

/**
 * The switch of protocols a request asks for, on its way to an HTTP/1.1 origin: which protocol, and the fields that
 * ask the origin for it (RFC 9110 §7.8; RFC 8441 for WebSocket over HTTP/2; RFC 6455 §4.1 for the WebSocket key).
 */
final class Upgrades {
    private Upgrades() {}

    /**
     * The protocol this request asks an origin to switch to: HTTP/1.1's {@code Upgrade} (but not {@code h2c}, whose
     * upgrade RFC 9113 §3.1 retired: such a request is served as HTTP/1.1) or HTTP/2's extended {@code CONNECT}
     * {@code :protocol} (RFC 8441); null when there is none or this downstream cannot carry a tunnel.
     */
    static String protocol(RequestHeader request, Downstream down) {
        String p = request.isUpgrade() ? request.headers().get("Upgrade") : down.connectProtocol();
        return p == null || p.equalsIgnoreCase("h2c") || down.tunnelEnd() == null ? null : p;
    }

    /**
     * Adds to the upstream copy of the request the one hop-by-hop field that is forwarded, the switch of protocols
     * ({@code Connection: upgrade}, {@code Upgrade}); a WebSocket that came as an RFC 8441 extended CONNECT, which
     * has no {@code Sec-WebSocket-Key}, gets one for the HTTP/1.1 handshake (RFC 6455 §4.1: 16 random bytes).
     */
    static void forward(RequestHeader h, String protocol) {
        h.headers().add("Connection", "upgrade").add("Upgrade", protocol);
        if (protocol.equalsIgnoreCase("websocket") && !h.headers().contains("Sec-WebSocket-Key")) {
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            h.headers().add("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(nonce));
        }
    }
}
