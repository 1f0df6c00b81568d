package net.proxy.http.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;
import net.proxy.http.BodyDecoder;
import net.proxy.http.ChunkedEncoder;
import net.proxy.http.Http1Parser;
import net.proxy.http.Http1Serializer;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;

/**
 * Feeds Netty {@link ByteBuf}s to the HTTP/1 parser and body decoder without copying bodies, and writes heads and
 * chunks into {@code ByteBuf}s.
 *
 * <p>Ownership: {@link #parse}, {@link #decodeBody} and the {@code encode}/{@code write} methods never release
 * their input (the caller still owns it, with its reader index moved past what was consumed);
 * {@link #decodeBody} returns a retained slice that the caller must release; {@link #encodeChunk} takes
 * ownership of its data buffer and releases it on every path, also when it throws.
 *
 * <p>How: a heap buffer's head is parsed in its backing array; a direct or composite buffer's is copied, up to
 * 1 KiB at a time, to a per-thread array and parsed there (a head left incomplete at the end of the input is
 * kept by the parser, so that array holds nothing between calls).
 */
public final class ByteBufHttp1 {
    /** Per thread, the array direct bytes are copied to for parsing; it holds nothing between calls. */
    private static final FastThreadLocal<byte[]> PIECE = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[1024];
        }
    };

    private ByteBufHttp1() {}

    /**
     * Parses the readable bytes of {@code in} and moves its reader index past those the head used.
     *
     * @param parser the request or response parser of this connection
     * @param in the input; not released
     * @param <H> the head type
     * @return the head, or {@code null} if more bytes are needed (then {@code in} was fully consumed)
     * @throws net.proxy.http.HttpParseException as {@link Http1Parser#parse(ByteBuffer)} does
     */
    public static <H> H parse(Http1Parser<H> parser, ByteBuf in) {
        int index = in.readerIndex();
        int length = in.readableBytes();
        if (in.hasArray()) {
            H head = parser.parse(in.array(), in.arrayOffset() + index, length);
            in.skipBytes(parser.consumed());
            return head;
        }
        // direct and composite buffers: copied a piece at a time, which costs less than making a NIO view of
        // them (for pooled buffers, a new object per buffer)
        byte[] piece = PIECE.get();
        int pos = index;
        int end = index + length;
        H head = null;
        while (head == null && pos < end) {
            int n = Math.min(end - pos, piece.length);
            in.getBytes(pos, piece, 0, n);
            head = parser.parse(piece, 0, n);
            pos += parser.consumed();
        }
        in.readerIndex(pos);
        return head;
    }

    /**
     * Consumes framing and body bytes from {@code in} (see {@link BodyDecoder#decode(ByteBuffer)}) and returns
     * the body bytes found as a retained slice.
     *
     * @param decoder the body decoder
     * @param in the input; not released; its reader index moves past the consumed bytes
     * @return a retained slice of body bytes that the caller must release, or {@code null} if none were consumed
     * @throws net.proxy.http.HttpParseException for malformed chunked framing or an exceeded limit
     */
    public static ByteBuf decodeBody(BodyDecoder decoder, ByteBuf in) {
        return decode(decoder, in, false);
    }

    /**
     * Like {@link #decodeBody}, but when the body bytes found end where {@code in}'s readable bytes end (a body
     * with a known length, read whole), returns {@code in} itself, retained, with its reader index at the first
     * body byte: no derived buffer is made. When the result is {@code in}, the caller must treat {@code in} as
     * consumed (nothing of it is left to parse) and only release its own reference.
     *
     * @param decoder the body decoder
     * @param in the input; not released
     * @return {@code in} or a retained slice of body bytes, either of which the caller must release; or
     *     {@code null} if no body bytes were consumed
     * @throws net.proxy.http.HttpParseException for malformed chunked framing or an exceeded limit
     */
    public static ByteBuf takeBody(BodyDecoder decoder, ByteBuf in) {
        return decode(decoder, in, true);
    }

    private static ByteBuf decode(BodyDecoder decoder, ByteBuf in, boolean mayTake) {
        int length = in.readableBytes();
        if (length == 0) {
            return null;
        }
        int index = in.readerIndex();
        int n = decoder.skipData(length);
        int end;
        if (n >= 0) {
            end = index + n;
        } else {
            // chunk framing next: the decoder reads it through a view of the bytes
            ByteBuffer view =
                    in.nioBufferCount() == 1 ? in.internalNioBuffer(index, length) : in.nioBuffers(index, length)[0];
            int start = view.position();
            n = decoder.decode(view);
            end = index + view.position() - start;
        }
        if (n == 0) {
            in.readerIndex(end);
            return null;
        }
        if (mayTake && end == in.writerIndex()) {
            in.readerIndex(end - n);
            return in.retain();
        }
        in.readerIndex(end);
        return in.retainedSlice(end - n, n);
    }

    /**
     * Writes the request head at {@code out}'s writer index, growing it as needed.
     *
     * @param head the head
     * @param out the destination; not released
     */
    public static void encode(RequestHeader head, ByteBuf out) {
        write(out, Http1Serializer.encodedLength(head), (dst, off) -> Http1Serializer.encode(head, dst, off));
    }

    /**
     * Writes the response head at {@code out}'s writer index, growing it as needed.
     *
     * @param head the head
     * @param out the destination; not released
     */
    public static void encode(ResponseHeader head, ByteBuf out) {
        write(out, Http1Serializer.encodedLength(head), (dst, off) -> Http1Serializer.encode(head, dst, off));
    }

    /** Writes {@code length} bytes produced by {@code encoder}: in place for a heap buffer, else via an array. */
    private static void write(ByteBuf out, int length, ArrayEncoder encoder) {
        out.ensureWritable(length);
        if (out.hasArray()) {
            encoder.encode(out.array(), out.arrayOffset() + out.writerIndex());
            out.writerIndex(out.writerIndex() + length);
        } else {
            byte[] tmp = new byte[length];
            encoder.encode(tmp, 0);
            out.writeBytes(tmp);
        }
    }

    /** Writes into an array at an offset and returns the offset after the written bytes. */
    @FunctionalInterface
    private interface ArrayEncoder {
        int encode(byte[] dst, int off);
    }

    /**
     * Frames {@code data} as one chunk without copying it: returns a composite of the size line, {@code data}
     * and CRLF.
     *
     * @param data the chunk data, at least one readable byte; ownership passes to the result (released here if
     *     this method throws)
     * @param alloc allocates the framing bytes and the composite
     * @return the framed chunk, owned by the caller
     */
    public static ByteBuf encodeChunk(ByteBuf data, ByteBufAllocator alloc) {
        ByteBuf head = null;
        ByteBuf crlf = null;
        try {
            int size = data.readableBytes();
            head = alloc.buffer(ChunkedEncoder.chunkHeadLength(size));
            writeChunkHead(size, head);
            crlf = alloc.buffer(2).writeByte('\r').writeByte('\n');
        } catch (RuntimeException e) {
            data.release();
            if (head != null) {
                head.release();
            }
            throw e;
        }
        return alloc.compositeBuffer(3).addComponents(true, head, data, crlf);
    }

    /**
     * Writes a chunk-size line ({@code hex CRLF}) at {@code out}'s writer index.
     *
     * @param size the chunk data length, > 0
     * @param out the destination; not released
     */
    public static void writeChunkHead(long size, ByteBuf out) {
        byte[] tmp = new byte[18];
        out.writeBytes(tmp, 0, ChunkedEncoder.writeChunkHead(size, tmp, 0));
    }

    /**
     * Writes the last chunk ({@code 0 CRLF}), the trailers and the final CRLF at {@code out}'s writer index.
     *
     * @param trailers the trailer fields, possibly empty
     * @param out the destination; not released
     */
    public static void writeLastChunk(HttpHeaders trailers, ByteBuf out) {
        byte[] tmp = new byte[ChunkedEncoder.lastChunkLength(trailers)];
        out.writeBytes(tmp, 0, ChunkedEncoder.writeLastChunk(trailers, tmp, 0));
    }
}
