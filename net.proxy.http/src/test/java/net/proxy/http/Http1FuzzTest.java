package net.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.function.Function;

/**
 * Jazzer fuzz tests of request, response and chunked parsing. The first input byte picks the piece size the
 * rest is fed in (1 to 64 bytes) and whether a direct buffer is used, so splits are fuzzed too.
 *
 * <p>Properties: the only exceptions are {@link HttpParseException}s with one of the documented statuses (no
 * {@code IndexOutOfBoundsException}, no other {@code RuntimeException}); every call makes progress or asks for
 * more input (no endless loop); a parsed head, serialized and parsed again, gives the same head; decoded body
 * bytes never exceed the input. Small limits keep each input's memory bounded (no {@code OutOfMemoryError}).
 *
 * <p>A normal {@code mvn test} replays the committed seeds under
 * {@code src/test/resources/net/proxy/http/Http1FuzzTestInputs/<method>/} (regression mode). To fuzz for real,
 * one method per JVM: {@code JAZZER_FUZZ=1 ./mvnw -pl net.proxy.http test -Dtest=Http1FuzzTest#request}
 * (and {@code #response}, {@code #chunked}); each stops after {@code maxDuration}.
 */
class Http1FuzzTest {
    private static final HttpLimits LIMITS = HttpLimits.builder()
            .maxRequestLineLength(512)
            .maxHeadSize(2048)
            .maxHeaderCount(24)
            .maxChunkHeadSize(64)
            .maxTrailerSize(512)
            .maxBodySize(1 << 20)
            .build();
    private static final Set<Integer> STATUSES = Set.of(400, 413, 414, 431, 501, 505);

    @FuzzTest(maxDuration = "30s")
    void request(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Http1RequestParser parser = Http1RequestParser.create(LIMITS);
        feed(input, (buf) -> {
            RequestHeader head = parser.parse(buf);
            if (head != null) {
                byte[] again = Http1Serializer.toBytes(head);
                RequestHeader reparsed = Http1RequestParser.create(LIMITS).parse(again, 0, again.length);
                assertEquals(head.toString(), reparsed.toString());
                assertEquals(head.framing(), reparsed.framing());
            }
            return head == null ? null : head.framing();
        });
    }

    @FuzzTest(maxDuration = "30s")
    void response(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String method = (input[0] & 0x80) != 0 ? "HEAD" : "GET";
        Http1ResponseParser parser = Http1ResponseParser.create(LIMITS).requestMethod(method);
        feed(input, (buf) -> {
            ResponseHeader head = parser.parse(buf);
            if (head != null) {
                byte[] again = Http1Serializer.toBytes(head);
                ResponseHeader reparsed =
                        Http1ResponseParser.create(LIMITS).requestMethod(method).parse(again, 0, again.length);
                assertEquals(head.toString(), reparsed.toString());
            }
            return head == null ? null : head.framing();
        });
    }

    @FuzzTest(maxDuration = "30s")
    void chunked(byte[] input) {
        if (input.length == 0) {
            return;
        }
        feed(input, (buf) -> BodyFraming.CHUNKED);
    }

    /** Parses heads with {@code parseHead} (null: need more) and their bodies, piece by piece, until input ends. */
    private static void feed(byte[] input, Function<ByteBuffer, BodyFraming> parseHead) {
        int piece = 1 + (input[0] & 0x3f);
        boolean direct = (input[0] & 0x40) != 0;
        BodyDecoder body = null;
        try {
            for (int pos = 1; pos < input.length; pos += piece) {
                int n = Math.min(piece, input.length - pos);
                ByteBuffer buf = direct
                        ? ByteBuffer.allocateDirect(n).put(input, pos, n).flip()
                        : ByteBuffer.wrap(input, pos, n).slice();
                for (int rounds = 0; buf.hasRemaining(); rounds++) {
                    assertTrue(rounds <= 2 * n + 2, "no progress");
                    if (body == null) {
                        int before = buf.position();
                        BodyFraming framing = parseHead.apply(buf);
                        if (framing == null) {
                            assertEquals(n - before, buf.position() - before, "an incomplete head consumes all");
                            break;
                        }
                        body = BodyDecoder.of(framing, LIMITS);
                    } else {
                        int before = buf.position();
                        int data = body.decode(buf);
                        assertTrue(data >= 0 && data <= buf.position() - before, "data within the consumed bytes");
                        if (body.isComplete()) {
                            body = null;
                        } else {
                            assertTrue(
                                    data > 0 || !buf.hasRemaining(), "an incomplete body returns data or consumes all");
                        }
                    }
                }
            }
            if (body != null) {
                body.endOfInput();
            }
        } catch (HttpParseException e) {
            assertTrue(STATUSES.contains(e.status()), e.toString());
        }
    }
}
