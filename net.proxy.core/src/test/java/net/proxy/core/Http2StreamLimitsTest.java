package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import net.proxy.core.Http2Client.Report;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-connection stream limits of {@link Http2Options} and the independence of streams, with the Python clients of
 * {@code src/test/python/h2_requests.py}: streams above {@code maxConcurrentStreams} are refused while the others
 * complete, a header list above {@code maxHeaderListSize} never reaches the origin, a stalled or failing stream
 * does not hold up the others, and a normal client's traffic is untouched by the default limits.
 */
@ExtendWith(LeakDetection.class)
class Http2StreamLimitsTest {
    private static final long REFUSED_STREAM = 0x7;

    private final CountDownLatch release = new CountDownLatch(1);

    /** Holds /hold/* and /stall until {@link #release}, closes /fail without an answer, answers the rest. */
    private RecordingOrigin origin() throws IOException {
        return new RecordingOrigin((r, out) -> {
            if (r.target().startsWith("/hold") || r.target().equals("/stall")) {
                RecordingOrigin.await(release);
            }
            if (r.target().equals("/fail")) {
                throw new IOException("/fail: the origin closes without an answer");
            }
            RecordingOrigin.ok(out, "ok " + r.target());
        });
    }

    @Test
    void streamsAboveMaxConcurrentStreamsAreRefusedWhileTheOthersComplete() throws Exception {
        concurrentStreams("ack");
    }

    /**
     * A client that never acknowledges the proxy's SETTINGS is held to the same limit: a server that applied the
     * limit only on the acknowledgement (as Netty did before 4.2) would let it open any number of streams.
     */
    @Test
    void streamsAboveMaxConcurrentStreamsAreRefusedAlsoBeforeTheClientAcknowledgesSettings() throws Exception {
        concurrentStreams("noack");
    }

    private void concurrentStreams(String ack) throws Exception {
        try (RecordingOrigin origin = origin();
                ProxyFixture f = new ProxyFixture(
                        ProxyFixture.to(HttpPeer.of(origin.address())),
                        b -> b.http2(
                                Http2Options.builder().maxConcurrentStreams(4).build()));
                Http2Client c = Http2Client.start(f.address, "h2_requests.py", "concurrent", "6", ack, "4")) {
            try {
                assertEquals("2", c.awaitEvent("refused").get("count"), "two of six streams refused");
                ProxyFixture.eventually(() -> origin.seen.size() == 4, "four requests at the origin");
            } finally {
                release.countDown();
            }
            c.send("go");
            Report r = c.finish();
            for (int id : new int[] {1, 3, 5, 7}) {
                assertEquals(200, r.status(id), r.toString());
            }
            for (int id : new int[] {9, 11}) {
                assertEquals(REFUSED_STREAM, r.rst(id), r.toString());
            }
            assertEquals(4, origin.seen.size(), "only the admitted streams reached the origin");
        }
    }

    @Test
    void aHeaderListAboveMaxHeaderListSizeIsAnswered431AndNeverReachesTheOrigin() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok");
                ProxyFixture f = new ProxyFixture(
                        ProxyFixture.to(HttpPeer.of(origin.address())),
                        b -> b.http2(
                                Http2Options.builder().maxHeaderListSize(4096).build()))) {
            Report r = Http2Client.run(f.address, "h2_requests.py", "header-size", "4500");
            assertEquals(431, r.status(1), r.toString());
            assertEquals(200, r.status(3), "the connection serves on: " + r);
            assertEquals(
                    List.of("/after"),
                    origin.seen.stream().map(RecordingOrigin.Seen::target).toList());

            // far above the limit Netty ends the connection instead of decoding all of it
            Report huge = Http2Client.run(f.address, "h2_requests.py", "header-size", "12000");
            assertTrue(huge.status(1) == 431 || huge.rst(1) >= 0 || huge.goaway() >= 0, huge.toString());
            assertEquals(1, origin.seen.size(), "nothing more at the origin: " + origin.seen);
        }
    }

    @Test
    void aStalledAndAFailingStreamDoNotHoldUpTheOthers() throws Exception {
        try (RecordingOrigin origin = origin();
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            Report r;
            try {
                r = Http2Client.run(f.address, "h2_requests.py", "slow");
            } finally {
                release.countDown();
            }
            assertEquals(0, r.status(1), "/stall is still waiting: " + r);
            assertEquals("0", r.stream(1).get("end"));
            assertEquals(502, r.status(3), "/fail: " + r);
            for (int id : new int[] {5, 7, 9}) {
                assertEquals(200, r.status(id), r.toString());
                assertEquals("ok /fast/" + id, r.body(id));
            }
        }
    }

    @Test
    void aNormalClientIsUnaffectedByTheDefaultLimits() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin((r, out) -> RecordingOrigin.ok(out, "ok " + r.target()));
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())))) {
            Report r = Http2Client.run(f.address, "h2_requests.py", "normal", "50", "5");
            assertEquals("0", r.conn().get("goaways"), r.toString());
            assertEquals("0", r.conn().get("closed"), r.toString());
            assertEquals("5", r.conn().get("ping_acks"), r.toString());
            assertEquals(50, r.streams().size());
            int i = 0;
            for (int id : r.streams().keySet()) {
                assertEquals(200, r.status(id), r.toString());
                assertEquals("ok /normal/" + i++, r.body(id));
            }
            assertEquals(50, origin.complete().size());
        }
    }
}
