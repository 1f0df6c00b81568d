package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Locale;
import net.proxy.http.HttpHeaders;
import net.proxy.http.Http1Serializer;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.http.netty.ByteBufHttp1;

/** HTTP/1 wire helpers of the engine: hop-by-hop removal and heads written into pooled buffers. */
final class Http1Wire {
    /*
     * Hop-by-hop fields (RFC 9110 §7.6.1) describe one connection and are never forwarded: Connection and every
     * field it names, Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding (re-added by the engine when it
     * frames a body as chunked) and Upgrade (the engine does not tunnel upgrades yet).
     *
     * [1] RFC 9110 §7.6.1 Connection, https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1
     */
    private static final String[] HOP_BY_HOP = {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    static final ByteBuf CONTINUE_100 = Unpooled.unreleasableBuffer(Unpooled.directBuffer(25)
            .writeBytes("HTTP/1.1 100 Continue\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
            .asReadOnly();

    private Http1Wire() {
    }

    /** Removes the hop-by-hop fields, including those listed in {@code Connection}. */
    static void stripHopByHop(HttpHeaders h) {
        int i = h.indexOf("Connection", 0);
        while (i >= 0) {
            for (String token : h.value(i).split(",")) {
                String t = token.trim();
                if (!t.isEmpty() && !t.toLowerCase(Locale.ROOT).equals("close")
                        && !t.equalsIgnoreCase("keep-alive")) {
                    h.remove(t);
                }
            }
            i = h.indexOf("Connection", i + 1);
        }
        for (String name : HOP_BY_HOP) {
            if (h.contains(name)) {
                h.remove(name);
            }
        }
    }

    /** The request head in a new buffer. */
    static ByteBuf encode(ByteBufAllocator alloc, RequestHeader head) {
        ByteBuf out = alloc.heapBuffer(Http1Serializer.encodedLength(head));
        ByteBufHttp1.encode(head, out);
        return out;
    }

    /** The response head in a new buffer. */
    static ByteBuf encode(ByteBufAllocator alloc, ResponseHeader head) {
        ByteBuf out = alloc.heapBuffer(Http1Serializer.encodedLength(head));
        ByteBufHttp1.encode(head, out);
        return out;
    }

    /** The last chunk with {@code trailers} in a new buffer. */
    static ByteBuf lastChunk(ByteBufAllocator alloc, HttpHeaders trailers) {
        ByteBuf out = alloc.heapBuffer(5);
        ByteBufHttp1.writeLastChunk(trailers, out);
        return out;
    }

    /** Whether requests with {@code method} are idempotent (RFC 9110 §9.2.2). */
    static boolean idempotent(String method) {
        switch (method) {
            case "GET": case "HEAD": case "OPTIONS": case "TRACE": case "PUT": case "DELETE":
                return true;
            default:
                return false;
        }
    }
}
