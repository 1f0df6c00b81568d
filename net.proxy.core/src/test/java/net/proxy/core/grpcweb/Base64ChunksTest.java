package net.proxy.core.grpcweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.proxy.http.HttpHeaders;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The base64 of grpc-web-text bodies and the trailer frame, without sockets. */
@ExtendWith(LeakDetection.class)
class Base64ChunksTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    static String encode(String s) {
        ByteBuf in = Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
        ByteBuf out = Base64Chunks.encode(in, ALLOC);
        try {
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            in.release();
            out.release();
        }
    }

    /** Feeds {@code pieces} to one decoder, as chunks of one body. */
    static String decode(String... pieces) {
        Base64Chunks.Decoder d = new Base64Chunks.Decoder();
        StringBuilder sb = new StringBuilder();
        for (String p : pieces) {
            ByteBuf in = Unpooled.copiedBuffer(p, StandardCharsets.US_ASCII);
            try {
                ByteBuf out = d.decode(in, ALLOC);
                sb.append(out.toString(StandardCharsets.ISO_8859_1));
                out.release();
            } finally {
                in.release();
            }
        }
        d.finish();
        return sb.toString();
    }

    @Test
    void encodesLikeTheJdkWithPadding() {
        for (String s : new String[] {"", "a", "ab", "abc", "abcd", "\u0000\u00ff\u0080 binary"}) {
            assertEquals(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1)), encode(s), s);
        }
    }

    @Test
    void decodesAcrossChunkBoundariesAndPaddingInTheMiddle() {
        String whole = Base64.getEncoder().encodeToString("hello, grpc-web".getBytes(StandardCharsets.US_ASCII));
        for (int cut = 0; cut <= whole.length(); cut++) {
            assertEquals("hello, grpc-web", decode(whole.substring(0, cut), whole.substring(cut)), "cut " + cut);
        }
        assertEquals("ab" + "c" + "defg", decode("YWI=", "Yw", "==ZGVm", "Zw=", "="));
        assertEquals("ab", decode("YW\r\nI=\n"));
    }

    @Test
    void rejectsMalformedInput() {
        assertEquals(
                "invalid base64 character 0x2a at offset 2",
                assertThrows(Base64Chunks.MalformedBase64Exception.class, () -> decode("YW*="))
                        .getMessage());
        assertEquals(
                "misplaced base64 padding in the group ending at offset 3",
                assertThrows(Base64Chunks.MalformedBase64Exception.class, () -> decode("YW=I"))
                        .getMessage());
        assertEquals(
                "base64 body ends inside a 4-character group (2 characters left)",
                assertThrows(Base64Chunks.MalformedBase64Exception.class, () -> decode("YWJj", "YW"))
                        .getMessage());
    }

    @Test
    void trailerFrameIsFlag0x80LengthAndLowerCaseLines() {
        ByteBuf f = GrpcWebFrames.trailerFrame(HttpHeaders.of("Grpc-Status", "0", "grpc-message", "ok"), ALLOC);
        try {
            assertEquals(
                    "80000000" + "20"
                            + ByteBufUtil.hexDump(
                                    "grpc-status:0\r\ngrpc-message:ok\r\n".getBytes(StandardCharsets.US_ASCII)),
                    ByteBufUtil.hexDump(f));
        } finally {
            f.release();
        }
    }

    @Test
    void grpcMessagesArePercentEncoded() {
        assertEquals("a b%25c%C3%BC%0A", GrpcWebFrames.percentEncode("a b%cü\n"));
    }
}
