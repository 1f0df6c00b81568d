package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.proxy.http.HttpHeaders;
import net.proxy.http.HttpVersion;
import org.junit.jupiter.api.Test;

class HopByHopTest {

    @Test
    void removesTheConnectionFieldsAndEveryFieldConnectionNames() {
        HttpHeaders h = HttpHeaders.of(
                "Host", "x",
                "Connection", "keep-alive, X-Secret, Upgrade",
                "Keep-Alive", "timeout=5",
                "Proxy-Connection", "keep-alive",
                "TE", "trailers",
                "Trailer", "X-Sum",
                "Transfer-Encoding", "chunked",
                "Upgrade", "websocket",
                "X-Secret", "s",
                "X-Kept", "k");
        int flags = HopByHop.strip(h);
        assertEquals("[Host: x, X-Kept: k]", h.toString());
        assertEquals(HopByHop.CONNECTION_KEEP_ALIVE, flags);
    }

    @Test
    void reportsCloseAndKeepAliveTokensFromEveryConnectionField() {
        assertEquals(HopByHop.CONNECTION_CLOSE, HopByHop.strip(HttpHeaders.of("Connection", "close")));
        assertEquals(
                HopByHop.CONNECTION_CLOSE | HopByHop.CONNECTION_KEEP_ALIVE,
                HopByHop.strip(HttpHeaders.of("Connection", "Keep-Alive", "connection", "CLOSE")));
        assertEquals(0, HopByHop.strip(HttpHeaders.of("Host", "x")));
    }

    @Test
    void aConnectionTokenNamingConnectionItselfOrNothingRemovesNothingElse() {
        HttpHeaders h = HttpHeaders.of("Connection", "Connection, ,", "Host", "x");
        assertEquals(0, HopByHop.strip(h));
        assertEquals("[Host: x]", h.toString());
    }

    @Test
    void keepAliveFollowsRfc9112Persistence() {
        assertTrue(HopByHop.keepAlive(HttpVersion.HTTP_1_1, 0));
        assertFalse(HopByHop.keepAlive(HttpVersion.HTTP_1_1, HopByHop.CONNECTION_CLOSE));
        assertFalse(HopByHop.keepAlive(HttpVersion.HTTP_1_0, 0));
        assertTrue(HopByHop.keepAlive(HttpVersion.HTTP_1_0, HopByHop.CONNECTION_KEEP_ALIVE));
        assertFalse(
                HopByHop.keepAlive(HttpVersion.HTTP_1_0, HopByHop.CONNECTION_KEEP_ALIVE | HopByHop.CONNECTION_CLOSE));
    }
}
