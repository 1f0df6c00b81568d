package net.proxy.lb.health;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hand-written health messages, byte for byte. */
@ExtendWith(LeakDetection.class)
class GrpcHealthProtoTest {

    static byte[] request(String service) {
        ByteBuf b = GrpcHealthProto.request(ByteBufAllocator.DEFAULT, service);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static int status(String hex) {
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        try {
            return GrpcHealthProto.status(b);
        } finally {
            b.release();
        }
    }

    static String malformed(String hex) {
        return assertThrows(IllegalArgumentException.class, () -> status(hex)).getMessage();
    }

    @Test
    void requestForTheWholeServerIsAnEmptyMessage() {
        assertArrayEquals(ByteBufUtil.decodeHexDump("0000000000"), request(""));
    }

    @Test
    void requestCarriesTheServiceAsField1() {
        assertArrayEquals(ByteBufUtil.decodeHexDump("00000000050a03612e62"), request("a.b"));
        byte[] long200 = request("x".repeat(200));
        assertEquals(5 + 1 + 2 + 200, long200.length);
        assertArrayEquals(ByteBufUtil.decodeHexDump("00000000cb0ac801"), java.util.Arrays.copyOf(long200, 8));
    }

    @Test
    void readsTheStatusAndSkipsUnknownFields() {
        assertEquals(1, status("00000000020801"));
        assertEquals(2, status("00000000020802"));
        assertEquals(0, status("0000000000"), "an absent status is UNKNOWN");
        // field 2 varint, field 3 bytes "ab", field 4 fixed64, field 5 fixed32, then status 3
        assertEquals(3, status("0000000016" + "1007" + "1a026162" + "210102030405060708" + "2d01020304" + "0803"));
    }

    @Test
    void rejectsMalformedMessages() {
        assertEquals("no response message", malformed(""));
        assertEquals("truncated message prefix", malformed("0000"));
        assertEquals("compressed response message (flags 1, none asked for)", malformed("01000000020801"));
        assertEquals("truncated message: 1 of 2 bytes", malformed("000000000208"));
        assertEquals("more than one response message", malformed("0000000002080100000000020801"));
        assertEquals("malformed message: truncated varint", malformed("000000000208ff"));
        assertEquals("malformed message: wire type 7", malformed("00000000010f"));
        assertEquals("malformed message: field runs past the end", malformed("00000000021205"));
    }

    @Test
    void namesStatusesAndCodesAndDecodesMessages() {
        assertEquals("SERVICE_UNKNOWN", GrpcHealthProto.statusName(3));
        assertEquals("9", GrpcHealthProto.statusName(9));
        assertEquals("12 UNIMPLEMENTED", GrpcHealthProto.codeName("12"));
        assertEquals("99", GrpcHealthProto.codeName("99"));
        assertEquals("x", GrpcHealthProto.codeName("x"));
        assertEquals("unknown service a/b ü %zz", GrpcHealthProto.decodeMessage("unknown service a%2Fb %C3%BC %zz"));
    }

    @Test
    void grpcTimeoutUsesAtMostEightDigits() {
        assertEquals("1000m", GrpcHealthCheck.grpcTimeout(Duration.ofSeconds(1)));
        assertEquals("1m", GrpcHealthCheck.grpcTimeout(Duration.ofNanos(1)));
        assertEquals("100000S", GrpcHealthCheck.grpcTimeout(Duration.ofSeconds(100_000)));
    }
}
