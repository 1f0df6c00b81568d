package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;
import net.proxy.http.Http1Serializer;
import net.proxy.http.HttpHeaders;
import net.proxy.http.HttpVersion;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.http.netty.ByteBufHttp1;

/** HTTP/1 wire helpers of the engine: hop-by-hop removal and heads written into pooled buffers. */
final class Http1Wire {
    /*
     * Hop-by-hop fields (RFC 9110 §7.6.1) describe one connection and are never forwarded: Connection and every
     * field it names, Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding (re-added by the engine when it
     * frames a body as chunked) and Upgrade (the engine does not tunnel upgrades yet). The fields are found by
     * name without materialising any string (only a Connection value is read), and the Connection tokens seen are
     * returned so keep-alive can be decided without another scan.
     *
     * [1] RFC 9110 §7.6.1 Connection, https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1
     */

    private static final String[] HOP_BY_HOP = {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    /** A {@code close} token was in {@code Connection}. */
    static final int CONNECTION_CLOSE = 1;
    /** A {@code keep-alive} token was in {@code Connection}. */
    static final int CONNECTION_KEEP_ALIVE = 2;

    static final ByteBuf CONTINUE_100 = Unpooled.unreleasableBuffer(Unpooled.directBuffer(25)
                    .writeBytes("HTTP/1.1 100 Continue\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
            .asReadOnly();

    private Http1Wire() {}

    /**
     * Removes the hop-by-hop fields, including those listed in {@code Connection}; returns the
     * {@link #CONNECTION_CLOSE} and {@link #CONNECTION_KEEP_ALIVE} tokens that {@code Connection} held.
     */
    static int stripHopByHop(HttpHeaders h) {
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
        h.removeAll(HOP_BY_HOP);
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

    /** The request head in a new direct buffer, serialized through a per-thread scratch array. */
    static ByteBuf encode(ByteBufAllocator alloc, RequestHeader head) {
        int n = Http1Serializer.encodedLength(head);
        byte[] scratch = scratch(n);
        Http1Serializer.encode(head, scratch, 0);
        return copy(alloc, scratch, n);
    }

    /** The response head in a new direct buffer, serialized through a per-thread scratch array. */
    static ByteBuf encode(ByteBufAllocator alloc, ResponseHeader head) {
        int n = Http1Serializer.encodedLength(head);
        byte[] scratch = scratch(n);
        Http1Serializer.encode(head, scratch, 0);
        return copy(alloc, scratch, n);
    }

    /**
     * The first {@code n} bytes of {@code scratch} in a new I/O buffer. A buffer with a memory address is filled by
     * one copy to that address: {@code writeBytes} would check the new buffer's reference count and bounds first.
     */
    private static ByteBuf copy(ByteBufAllocator alloc, byte[] scratch, int n) {
        ByteBuf out = alloc.ioBuffer(n);
        if (out.hasMemoryAddress() && out.writableBytes() >= n) {
            PlatformDependent.copyMemory(scratch, 0, out.memoryAddress() + out.writerIndex(), n);
            return out.writerIndex(out.writerIndex() + n);
        }
        return out.writeBytes(scratch, 0, n);
    }

    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[4096];
        }
    };

    /** A per-thread array of at least {@code n} bytes, for a head being encoded (overwritten by the next). */
    static byte[] scratch(int n) {
        byte[] b = SCRATCH.get();
        if (b.length < n) {
            b = new byte[Math.max(n, b.length * 2)];
            SCRATCH.set(b);
        }
        return b;
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
            case "GET":
            case "HEAD":
            case "OPTIONS":
            case "TRACE":
            case "PUT":
            case "DELETE":
                return true;
            default:
                return false;
        }
    }
}
