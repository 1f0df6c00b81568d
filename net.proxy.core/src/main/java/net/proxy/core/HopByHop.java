package net.proxy.core;

import net.proxy.http.HttpHeaders;
import net.proxy.http.HttpVersion;

/**
 * Hop-by-hop fields: what describes one connection and is never forwarded, whatever the protocols on either side.
 */
final class HopByHop {
    /*
     * Hop-by-hop fields (RFC 9110 §7.6.1) describe one connection and are never forwarded: Connection and every
     * field it names, Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding (the protocol writer re-frames
     * the body) and Upgrade (upgrades are a tunnel decision, not a forwarded field). RFC 9113 §8.2.2 makes the same
     * fields malformed in HTTP/2, so one list serves every pairing. The fields are found by name without
     * materialising any string (only a Connection value is read), and the Connection tokens seen are returned so
     * keep-alive can be decided without another scan.
     *
     * [1] RFC 9110 §7.6.1 Connection, https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1
     * [2] RFC 9113 §8.2.2 Connection-Specific Header Fields, https://www.rfc-editor.org/rfc/rfc9113#section-8.2.2
     */

    private static final String[] FIELDS = {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    /** A {@code close} token was in {@code Connection}. */
    static final int CONNECTION_CLOSE = 1;
    /** A {@code keep-alive} token was in {@code Connection}. */
    static final int CONNECTION_KEEP_ALIVE = 2;

    private HopByHop() {}

    /**
     * Removes the hop-by-hop fields, including those listed in {@code Connection}; returns the
     * {@link #CONNECTION_CLOSE} and {@link #CONNECTION_KEEP_ALIVE} tokens that {@code Connection} held.
     */
    static int strip(HttpHeaders h) {
        int flags = 0;
        int i = h.indexOf("Connection", 0);
        while (i >= 0) {
            if (h.valueEqualsIgnoreCase(i, "keep-alive")) {
                flags |= CONNECTION_KEEP_ALIVE;
            } else if (h.valueEqualsIgnoreCase(i, "close")) {
                flags |= CONNECTION_CLOSE;
            } else {
                flags |= connectionTokens(h, h.value(i));
            }
            i = h.indexOf("Connection", i + 1);
        }
        h.removeAll(FIELDS);
        return flags;
    }

    /** Handles a list-valued {@code Connection}: removes the fields it names, returns its close/keep-alive flags. */
    private static int connectionTokens(HttpHeaders h, String value) {
        int flags = 0;
        for (String token : value.split(",")) {
            String t = token.trim();
            if (t.equalsIgnoreCase("close")) {
                flags |= CONNECTION_CLOSE;
            } else if (t.equalsIgnoreCase("keep-alive")) {
                flags |= CONNECTION_KEEP_ALIVE;
            } else if (!t.isEmpty() && !t.equalsIgnoreCase("Connection")) {
                h.remove(t);
            }
        }
        return flags;
    }

    /**
     * Whether a message of {@code version} whose {@code Connection} held the tokens in {@code flags} keeps its
     * connection: HTTP/1.1 unless {@code close}, HTTP/1.0 only with {@code keep-alive} (RFC 9112 §9.3).
     */
    static boolean keepAlive(HttpVersion version, int flags) {
        if ((flags & CONNECTION_CLOSE) != 0) {
            return false;
        }
        return version != HttpVersion.HTTP_1_0 || (flags & CONNECTION_KEEP_ALIVE) != 0;
    }
}
