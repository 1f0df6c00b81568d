package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.proxy.core.Http2Client.Report;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The frame-rate and CONTINUATION limits of {@link Http2Options} against abusive clients written frame by frame
 * ({@code src/test/python/h2_abuse.py}): a client over a limit gets {@code GOAWAY(ENHANCE_YOUR_CALM)} and the
 * connection closes; a client at the limit is served. The limits are small and the proxy's clock is a
 * {@link ManualTicker} that does not move, so no token comes back during a test: what passes and what does not is
 * exact.
 */
@ExtendWith(LeakDetection.class)
class Http2AbuseTest {
    private static final long ENHANCE_YOUR_CALM = 0xb;

    private static final Http2Options SMALL = Http2Options.builder()
            .rstStreamRate(Http2Options.FrameRate.of(10, Duration.ofSeconds(1), 20))
            .settingsRate(Http2Options.FrameRate.of(2, Duration.ofSeconds(1), 5))
            .pingRate(Http2Options.FrameRate.of(2, Duration.ofSeconds(1), 5))
            .emptyDataRate(Http2Options.FrameRate.of(2, Duration.ofSeconds(1), 5))
            .maxContinuationFrames(4)
            .build();

    private static Report abuse(RecordingOrigin origin, String... scenario) throws Exception {
        try (ProxyFixture f = new ProxyFixture(
                ProxyFixture.to(HttpPeer.of(origin.address())),
                b -> b.http2(SMALL).ticker(new ManualTicker()))) {
            return Http2Client.run(f.address, "h2_abuse.py", scenario);
        }
    }

    /** GOAWAY(ENHANCE_YOUR_CALM) for {@code why} (its debug data), then the connection closed. */
    private static void assertCalmedDown(Report r, String why) {
        assertEquals(ENHANCE_YOUR_CALM, r.goaway(), r.toString());
        assertTrue(r.conn().get("debug").contains(why), r.toString());
        assertTrue(r.closed(), "the proxy closed the connection: " + r);
    }

    @Test
    void rapidResetAboveTheBurstGetsEnhanceYourCalm() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            assertCalmedDown(abuse(origin, "rapid-reset", "50"), "RST_STREAM frames above");
        }
    }

    /** Each stream opened and reset in a write of its own: some start exchanges, none past the burst. */
    @Test
    void pacedRapidResetGetsEnhanceYourCalmAtTheBurst() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            assertCalmedDown(abuse(origin, "rapid-reset-paced", "50"), "RST_STREAM frames above");
            assertTrue(origin.heads.get() <= 20, "at most the burst reached the origin: " + origin.heads);
        }
    }

    @Test
    void settingsFloodGetsEnhanceYourCalm() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            assertCalmedDown(abuse(origin, "settings", "30"), "SETTINGS frames above");
        }
    }

    @Test
    void pingFloodGetsEnhanceYourCalm() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            assertCalmedDown(abuse(origin, "ping", "30"), "PING frames above");
        }
    }

    @Test
    void emptyDataFloodGetsEnhanceYourCalm() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            assertCalmedDown(abuse(origin, "empty-data", "30"), "empty DATA frames above");
        }
    }

    /** DATA frames whose every payload byte is padding are empty too (CVE-2019-9518 with padding). */
    @Test
    void paddedEmptyDataFloodGetsEnhanceYourCalm() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            assertCalmedDown(abuse(origin, "empty-data-padded", "30"), "empty DATA frames above");
        }
    }

    @Test
    void moreContinuationFramesThanTheLimitGetEnhanceYourCalm() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            assertCalmedDown(abuse(origin, "continuation", "5", "split"), "more than 4 CONTINUATION frames");
            assertCalmedDown(abuse(origin, "continuation", "5", "empty"), "more than 4 CONTINUATION frames");
            assertEquals(0, origin.seen.size(), "no request of a refused header block reached the origin");
        }
    }

    @Test
    void aHeaderBlockWithContinuationFramesUpToTheLimitIsServed() throws Exception {
        try (RecordingOrigin origin = RecordingOrigin.answering("ok")) {
            for (String mode : new String[] {"split", "empty"}) {
                Report r = abuse(origin, "continuation", "4", mode);
                assertEquals(-1, r.goaway(), r.toString());
                assertEquals(200, r.status(1), r.toString());
                assertEquals("ok", r.body(1));
            }
            assertEquals(2, origin.seen.size());
        }
    }
}
