package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;
import net.proxy.http.Http1Serializer;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.http.netty.ByteBufHttp1;

/** HTTP/1 wire helpers of the engine: heads and last chunks written into pooled buffers. */
final class Http1Wire {
    static final ByteBuf CONTINUE_100 = Unpooled.unreleasableBuffer(Unpooled.directBuffer(25)
                    .writeBytes("HTTP/1.1 100 Continue\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
            .asReadOnly();

    private Http1Wire() {}

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
}
