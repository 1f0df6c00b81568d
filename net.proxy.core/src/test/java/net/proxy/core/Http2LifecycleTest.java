package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.proxy.core.Http2Client.Report;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How HTTP/2 connections and streams end, with the interactive clients of {@code src/test/python/h2_flow.py}: a
 * graceful shutdown lets the stream in flight finish after {@code GOAWAY(NO_ERROR)}, an idle connection is closed
 * after {@link Http2Options#idleTimeout()} and not before (on a {@link ManualTicker}), and a stream the client
 * cancels mid-response closes its upstream connection instead of pooling it.
 */
@ExtendWith(LeakDetection.class)
class Http2LifecycleTest {
    private static final long NO_ERROR = 0;

    private final CountDownLatch release = new CountDownLatch(1);

    private RecordingOrigin origin() throws IOException {
        return new RecordingOrigin((r, out) -> {
            switch (r.target()) {
                case "/hold" -> {
                    RecordingOrigin.await(release);
                    RecordingOrigin.ok(out, "held");
                }
                case "/big" -> RecordingOrigin.large(out, 16 << 20);
                default -> RecordingOrigin.ok(out, "ok " + r.target());
            }
        });
    }

    @Test
    void gracefulShutdownSendsGoAwayAndLetsTheStreamInFlightComplete() throws Exception {
        try (RecordingOrigin origin = origin()) {
            // stopped by the graceful shutdown under test, not closed: Server.shutdownNow() after shutdown() throws
            // RejectedExecutionException (HttpProxy.closeNow on event loops that are gone)
            ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())));
            Thread stopper = new Thread(f.server::shutdown, "graceful-shutdown");
            try (Http2Client c = Http2Client.start(f.address, "h2_flow.py", "shutdown")) {
                try {
                    c.awaitEvent("sent");
                    ProxyFixture.eventually(() -> origin.seen.size() == 1, "the request at the origin");
                    stopper.start();
                    Map<String, String> goaway = c.awaitEvent("goaway");
                    assertEquals(NO_ERROR, Long.parseLong(goaway.get("code")), goaway.toString());
                    assertEquals("1", goaway.get("last"), "GOAWAY covers stream 1, the last one: " + goaway);
                    assertTrue(stopper.isAlive(), "the server waits for the stream in flight");
                } finally {
                    release.countDown();
                }
                Report r = c.finish();
                assertEquals(200, r.status(1), r.toString());
                assertEquals("held", r.body(1));
                assertTrue(r.closed(), "the proxy closed the connection after the last stream: " + r);
                assertEquals(0, r.status(3), "a stream opened after the GOAWAY is not served: " + r);
                assertEquals(
                        List.of("/hold"),
                        origin.seen.stream().map(RecordingOrigin.Seen::target).toList());
                stopper.join(TimeUnit.SECONDS.toMillis(10));
                assertFalse(stopper.isAlive(), "the graceful shutdown ended");
            } finally {
                if (stopper.getState() == Thread.State.NEW) {
                    f.close();
                }
            }
        }
    }

    @Test
    void anIdleConnectionGetsGoAwayAfterTheIdleTimeoutAndNotBefore() throws Exception {
        ManualTicker ticker = new ManualTicker();
        long start = ticker.getAsLong();
        try (RecordingOrigin origin = origin();
                ProxyFixture f = new ProxyFixture(
                        ProxyFixture.to(HttpPeer.of(origin.address())),
                        b -> b.http2(Http2Options.builder()
                                        .idleTimeout(Duration.ofSeconds(30))
                                        .build())
                                .ticker(ticker));
                Http2Client c = Http2Client.start(f.address, "h2_flow.py", "idle")) {
            c.awaitEvent("ready");
            ticker.advance(Duration.ofSeconds(29));
            // the event loop's wheel ticks every 10 ms: ten ticks at 29 s, and no GOAWAY
            assertNull(c.events.poll(100, TimeUnit.MILLISECONDS), "no GOAWAY before the idle timeout");
            c.send("ping");
            assertEquals("0", c.awaitEvent("pong").get("goaways"), "open and answering at 29 s");
            Map<String, String> e = ticker.advanceUntil(c.events, Duration.ofMillis(250));
            assertEquals("goaway", e.get(""), e.toString());
            assertEquals(NO_ERROR, Long.parseLong(e.get("code")));
            assertTrue(
                    ticker.getAsLong() - start >= Duration.ofSeconds(30).toNanos(),
                    "GOAWAY at " + Duration.ofNanos(ticker.getAsLong() - start));
            assertEquals("1", c.awaitEvent("closed").get("closed"), "the proxy closed the connection");
            Report r = c.finish();
            assertEquals(NO_ERROR, r.goaway(), r.toString());
        }
    }

    @Test
    void aStreamCancelledMidResponseClosesItsUpstreamConnection() throws Exception {
        try (RecordingOrigin origin = origin();
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            Report r = Http2Client.run(f.address, "h2_flow.py", "cancel");
            assertEquals(200, r.status(1), r.toString());
            assertTrue(Long.parseLong(r.stream(1).get("length")) < 16 << 20, "cancelled mid-response: " + r);
            assertEquals(null, r.conn().get("frames.RSTSTREAM"), "no RST_STREAM answers the client's: " + r);
            assertEquals(200, r.status(3), r.toString());
            assertEquals("ok /next", r.body(3));
            ProxyFixture.eventually(() -> origin.closedByPeer.get() >= 1, "the proxy closed the first connection");
            assertEquals(2, origin.connections.get(), "GET /next went on a new upstream connection");
            assertEquals(2, origin.seen.get(1).connection(), origin.seen.toString());
        }
    }
}
