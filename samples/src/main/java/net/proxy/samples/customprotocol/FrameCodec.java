package net.proxy.samples.customprotocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import net.proxy.core.CustomCodec;
import net.proxy.core.CustomProtocol;
import net.proxy.core.CustomProtocolException;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;

/**
 * The sample's framing for a {@link CustomProtocol}: frames of {@code type (1 byte) | flags (1) | length (4) | payload}.
 * Types: 1 request head ({@code METHOD target\n} then {@code name: value\n} lines), 2 response head
 * ({@code status\n} then lines), 3 body piece, 4 end (trailer lines). Flag 1 on a head: no body follows.
 * One message at a time per connection, as the {@link CustomCodec} SPI defines; payloads of at most 1 MiB.
 */
public final class FrameCodec implements CustomCodec {
    private static final int REQUEST_HEAD = 1;
    private static final int RESPONSE_HEAD = 2;
    private static final int DATA = 3;
    private static final int END = 4;
    private static final int MAX_PAYLOAD = 1 << 20;

    /** The protocol: ALPN id {@code x-frames}, a new codec per connection. */
    public static final CustomProtocol PROTOCOL = CustomProtocol.of("x-frames", FrameCodec::new);

    /** A codec for one connection. */
    public FrameCodec() {}

    @Override
    public boolean decode(ByteBuf in, Receiver out) {
        if (in.readableBytes() < 6) {
            return false;
        }
        int start = in.readerIndex();
        int type = in.getUnsignedByte(start);
        int flags = in.getUnsignedByte(start + 1);
        int length = in.getInt(start + 2);
        if (type < REQUEST_HEAD || type > END) {
            throw new CustomProtocolException("frame type " + type + " (expected: 1..4)");
        }
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new CustomProtocolException("frame length " + length + " (expected: 0.." + MAX_PAYLOAD + ")");
        }
        if (in.readableBytes() < 6 + length) {
            return false;
        }
        in.skipBytes(6);
        if (type == DATA) {
            out.body(in.readRetainedSlice(length));
            return true;
        }
        String text = in.readCharSequence(length, StandardCharsets.UTF_8).toString();
        String[] lines = text.split("\n", -1);
        boolean end = (flags & 1) != 0;
        switch (type) {
            case REQUEST_HEAD: {
                String[] start0 = lines[0].split(" ", 2);
                if (start0.length != 2) {
                    throw new CustomProtocolException("request line '" + lines[0] + "' (expected: METHOD target)");
                }
                RequestHeader h = RequestHeader.of(start0[0], start0[1]);
                fields(lines, 1, h.headers());
                out.requestHead(h, end);
                return true;
            }
            case RESPONSE_HEAD: {
                ResponseHeader h;
                try {
                    h = ResponseHeader.of(Integer.parseInt(lines[0]));
                } catch (IllegalArgumentException e) {
                    throw new CustomProtocolException("status '" + lines[0] + "' (expected: 100..999)");
                }
                fields(lines, 1, h.headers());
                out.responseHead(h, end);
                return true;
            }
            default: {
                HttpHeaders t = HttpHeaders.create();
                fields(lines, 0, t);
                out.end(t.isEmpty() ? null : t);
                return true;
            }
        }
    }

    private static void fields(String[] lines, int from, HttpHeaders into) {
        for (int i = from; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new CustomProtocolException("field line '" + lines[i] + "' (expected: name: value)");
            }
            into.add(lines[i].substring(0, colon), lines[i].substring(colon + 1).trim());
        }
    }

    @Override
    public ByteBuf encodeRequestHead(ByteBufAllocator alloc, RequestHeader head, boolean end) {
        return text(alloc, REQUEST_HEAD, end, head.method() + " " + head.target() + "\n", head.headers());
    }

    @Override
    public ByteBuf encodeResponseHead(ByteBufAllocator alloc, ResponseHeader head, boolean end) {
        return text(alloc, RESPONSE_HEAD, end, head.status() + "\n", head.headers());
    }

    @Override
    public ByteBuf encodeBody(ByteBufAllocator alloc, ByteBuf data) {
        ByteBuf frame = alloc.buffer(6 + data.readableBytes());
        frame.writeByte(DATA).writeByte(0).writeInt(data.readableBytes()).writeBytes(data);
        data.release();
        return frame;
    }

    @Override
    public ByteBuf encodeEnd(ByteBufAllocator alloc, HttpHeaders trailers) {
        return text(alloc, END, false, "", trailers);
    }

    private static ByteBuf text(ByteBufAllocator alloc, int type, boolean end, String first, HttpHeaders fields) {
        StringBuilder sb = new StringBuilder(first);
        if (fields != null) {
            for (int i = 0; i < fields.size(); i++) {
                sb.append(fields.name(i)).append(": ").append(fields.value(i)).append('\n');
            }
        }
        byte[] payload = sb.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = alloc.buffer(6 + payload.length);
        frame.writeByte(type).writeByte(end ? 1 : 0).writeInt(payload.length).writeBytes(payload);
        return frame;
    }
}
