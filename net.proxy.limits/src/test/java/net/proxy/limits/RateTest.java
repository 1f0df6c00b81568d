package net.proxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RateTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    /** Pingora's custom estimate: 10% of the previous interval plus 90% of the current one. */
    private static final Function<RateComponents, Double> NINETY_TEN =
            c -> (c.prevSamples() * 0.1 + c.currSamples() * 0.9) / c.intervalSeconds();

    private final FakeTicker ticker = new FakeTicker();
    private final Rate rate = Rate.builder().interval(SECOND).ticker(ticker).build();

    @Test
    void reproducesPingorasObserveAndRateVector() {
        assertEquals(3, rate.observe(1, 3));
        assertEquals(5, rate.observe(1, 2));
        assertEquals(0.0, rate.rate(1));

        ticker.advance(SECOND);
        assertEquals(4, rate.observe(1, 4));
        assertEquals(5.0, rate.rate(1));

        ticker.advance(SECOND);
        assertEquals(4.0, rate.rate(1));

        ticker.advance(SECOND);
        assertEquals(0.0, rate.rate(1));
    }

    @Test
    void reproducesPingorasNinetyTenCustomEstimate() {
        assertEquals(3, rate.observe(1, 3));
        assertEquals(5, rate.observe(1, 2));
        assertEquals(5 * 0.9, rate.rateWith(1, NINETY_TEN));
        assertEquals(4.5, rate.rateWith(1, NINETY_TEN));

        ticker.advance(SECOND);
        assertEquals(4, rate.observe(1, 4));
        assertEquals(5 * 0.1 + 4 * 0.9, rate.rateWith(1, NINETY_TEN));

        ticker.advance(SECOND);
        assertEquals(4 * 0.1, rate.rateWith(1, NINETY_TEN));

        ticker.advance(SECOND);
        assertEquals(0.0, rate.rateWith(1, NINETY_TEN));
    }

    @Test
    void proportionalEstimateWeighsThePreviousIntervalByWhatRemainsOfIt() {
        rate.observe("k", 10);
        ticker.advance(SECOND);
        rate.observe("k", 2);
        ticker.advance(Duration.ofMillis(250));
        RateComponents c = rate.rateWith("k", Function.identity());
        assertEquals(new RateComponents(10, 2, SECOND, 0.25), c);
        assertEquals(10 * 0.75 + 2, rate.rateWith("k", RateComponents::proportionalEstimate));
    }

    @Test
    void twoIdleIntervalsForgetEverything() {
        rate.observe("k", 9);
        ticker.advance(Duration.ofMillis(2500));
        assertEquals(new RateComponents(0, 0, SECOND, 0.0), rate.rateWith("k", Function.identity()));
        assertEquals(1, rate.observe("k", 1), "the stale interval was cleared, not carried over");
    }

    @Test
    void rateIsPerSecondWhateverTheInterval() {
        Rate perMinute =
                Rate.builder().interval(Duration.ofMinutes(1)).ticker(ticker).build();
        perMinute.observe("k", 120);
        ticker.advance(Duration.ofMinutes(1));
        assertEquals(2.0, perMinute.rate("k"));
    }

    @Test
    void keysAreCountedApart() {
        rate.observe("a", 7);
        rate.observe("b", 1);
        ticker.advance(SECOND);
        assertEquals(7.0, rate.rate("a"));
        assertEquals(1.0, rate.rate("b"));
    }

    @Test
    void concurrentObservationsOfOneKeyAreExact() throws Exception {
        CountMinSketchTest.runConcurrently(4, () -> {
            for (int i = 0; i < 25_000; i++) {
                rate.observe("hot", 1);
            }
        });
        assertEquals(100_001, rate.observe("hot", 1));
        ticker.advance(SECOND);
        assertEquals(100_001.0, rate.rate("hot"));
    }

    @Test
    void rejectsBadInputWithClearMessages() {
        assertEquals(
                "interval: PT0S (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> Rate.of(Duration.ZERO))
                        .getMessage());
        assertEquals(
                "interval: PT-1S (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> Rate.of(Duration.ofSeconds(-1)))
                        .getMessage());
        assertEquals(
                "interval: not set (expected: a positive Duration)",
                assertThrows(IllegalStateException.class, () -> Rate.builder().build())
                        .getMessage());
        assertEquals(
                "events: -2 (expected: >= 0)",
                assertThrows(IllegalArgumentException.class, () -> rate.observe("k", -2))
                        .getMessage());
        assertEquals(
                "rows: 0 (expected: > 0)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Rate.builder().sketch(0, 1))
                        .getMessage());
        assertEquals(
                "currentIntervalFraction: 1.5 (expected: in [0, 1])",
                assertThrows(IllegalArgumentException.class, () -> new RateComponents(0, 0, SECOND, 1.5))
                        .getMessage());
    }
}
