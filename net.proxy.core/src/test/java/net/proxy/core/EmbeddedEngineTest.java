package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import net.proxy.http.HttpHeaders;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.AcceptSequence;
import net.proxy.l4.StreamKind;
import net.proxy.l4.Transport;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine driven through Netty's {@link EmbeddedChannel}, byte for byte: requests written in, the exact response
 * bytes read out, with no socket and no other thread.
 */
@ExtendWith(LeakDetection.class)
class EmbeddedEngineTest {
    private final Transport transport = Transport.create(1);

    @AfterEach
    void close() {
        transport.close();
    }

    /** A proxy whose requestFilter answers every request with {@code answer}; the channel it serves. */
    private EmbeddedChannel serve(BiFunction<Session, Void, Boolean> answer) {
        return serve(answer, b -> b);
    }

    private EmbeddedChannel serve(
            BiFunction<Session, Void, Boolean> answer, UnaryOperator<HttpProxyBuilder<Void>> config) {
        HttpProxyBuilder<Void> builder = HttpProxy.builder(new ProxyHttp<Void>() {
            @Override
            public Void newContext() {
                return null;
            }

            @Override
            public boolean requestFilter(Session session, Void ctx) {
                return answer.apply(session, ctx);
            }

            @Override
            public HttpPeer upstreamPeer(Session session, Void ctx) {
                throw new IllegalStateException("every request is answered by requestFilter");
            }
        });
        HttpProxy<Void> proxy = config.apply(builder).build();
        proxy.start(transport);
        EmbeddedChannel ch = new EmbeddedChannel();
        AcceptSequence.builder()
                .handler(stream -> proxy.serve(stream, stream.channel().eventLoop()))
                .build()
                .adopt(ch, StreamKind.VIRTUAL, "embedded");
        ch.pipeline().fireChannelActive();
        return ch;
    }

    private static String exchange(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        ch.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void aWholeResponseIsFramedByItsLengthAndTheConnectionServesTheNextRequest() {
        EmbeddedChannel ch = serve((s, c) -> {
            s.writeResponse(ResponseHeader.of(200), ascii("ok"));
            return true;
        });
        String twoPipelined = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
        assertEquals(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                exchange(ch, twoPipelined));
        assertTrue(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void aStreamedResponseWithTrailersIsChunkedToAnHttp11Client() {
        EmbeddedChannel ch = serve((s, c) -> {
            s.writeResponseHead(ResponseHeader.of(200));
            s.writeResponseBody(ascii("hello"), false);
            s.writeResponseBody(ascii(" world"), false);
            s.writeResponseTrailers(HttpHeaders.of("X-Checksum", "42"));
            return true;
        });
        assertEquals(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n"
                        + "X-Checksum: 42\r\n\r\n",
                exchange(ch, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertTrue(ch.isActive(), "the connection serves the next request");
        ch.finishAndReleaseAll();
    }

    @Test
    void aStreamedResponseToAnHttp10ClientIsCloseDelimitedAndDropsTrailers() {
        EmbeddedChannel ch = serve((s, c) -> {
            s.writeResponseHead(ResponseHeader.of(200));
            s.writeResponseBody(ascii("bye"), false);
            s.writeResponseTrailers(HttpHeaders.of("X-Checksum", "42"));
            return true;
        });
        assertEquals(
                "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbye", exchange(ch, "GET / HTTP/1.0\r\nHost: x\r\n\r\n"));
        assertFalse(ch.isActive(), "the end of the body is the end of the connection");
        ch.finishAndReleaseAll();
    }

    @Test
    void aTrailersOnlyStyleResponseAndAnErrorEndTheRequestNotTheConnection() {
        EmbeddedChannel ch = serve((s, c) -> {
            if (s.request().target().equals("/grpc")) {
                ResponseHeader h = ResponseHeader.of(200);
                h.headers().add("grpc-status", "14");
                s.writeResponse(h, null, HttpHeaders.of("grpc-message", "unavailable"));
            } else {
                s.respondError(403);
            }
            return true;
        });
        assertEquals(
                "HTTP/1.1 200 OK\r\ngrpc-status: 14\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
                        + "grpc-message: unavailable\r\n\r\n",
                exchange(ch, "POST /grpc HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
        assertEquals(
                "HTTP/1.1 403 Forbidden\r\nCache-Control: private, no-store\r\nContent-Length: 0\r\n\r\n",
                exchange(ch, "GET /denied HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertTrue(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void streamedWritesOutsideAnOpenResponseAreRejectedAndReleased() {
        ByteBuf late = ascii("late");
        EmbeddedChannel ch = serve((s, c) -> {
            assertThrows(IllegalStateException.class, () -> s.writeResponseBody(late, true));
            s.writeResponse(ResponseHeader.of(204), null);
            assertThrows(IllegalStateException.class, () -> s.writeResponseHead(ResponseHeader.of(200)));
            return true;
        });
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n", exchange(ch, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(0, late.refCnt(), "a rejected body is released");
        ch.finishAndReleaseAll();
    }

    @Test
    void aMalformedRequestIsAnswered400AndTheConnectionClosed() {
        EmbeddedChannel ch = serve((s, c) -> {
            throw new AssertionError("a malformed request reaches no phase");
        });
        String out = exchange(ch, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 400 "), out);
        assertTrue(out.contains("Connection: close"), out);
        assertFalse(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void theLastRequestAConnectionMayCarryIsAnsweredWithConnectionClose() {
        EmbeddedChannel ch = serve(
                (s, c) -> {
                    s.writeResponse(ResponseHeader.of(200), ascii("ok"));
                    return true;
                },
                b -> b.maxRequestsPerConnection(2));
        assertEquals(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", exchange(ch, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                exchange(ch, "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertFalse(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionOverItsRequestRateIsAnswered429AndClosedBeforeAnyPhase() {
        ManualTicker ticker = new ManualTicker();
        java.util.concurrent.atomic.AtomicInteger phases = new java.util.concurrent.atomic.AtomicInteger();
        EmbeddedChannel ch = serve(
                (s, c) -> {
                    phases.incrementAndGet();
                    s.writeResponse(ResponseHeader.of(200), ascii("ok"));
                    return true;
                },
                b -> b.ticker(ticker).requestRatePerConnection(1, java.time.Duration.ofSeconds(1), 1));
        String get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        assertTrue(exchange(ch, get + get).startsWith("HTTP/1.1 200"), "one per second plus a burst of one");
        ticker.advance(java.time.Duration.ofSeconds(1));
        assertTrue(exchange(ch, get).startsWith("HTTP/1.1 200"), "refilled after a second");
        ticker.advance(java.time.Duration.ofSeconds(1));
        String flood = exchange(ch, get + get);
        assertTrue(flood.startsWith("HTTP/1.1 200"), flood);
        assertTrue(
                flood.endsWith("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
                flood);
        assertEquals(4, phases.get(), "the refused request reached no phase");
        assertFalse(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void sessionIsSealedSoOnlyTheEngineImplementsIt() {
        assertTrue(Session.class.isSealed());
        assertEquals(ExchangeSession.class, Session.class.getPermittedSubclasses()[0]);
        assertEquals(1, Session.class.getPermittedSubclasses().length);
    }
}
