package net.proxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InflightTest {

    private final Inflight inflight = Inflight.of();

    @Test
    void estimateIsVisibleWhileTheGuardIsHeld() {
        try (Inflight.Guard first = inflight.incr("upstream-a")) {
            assertEquals(1, first.estimate());
            try (Inflight.Guard second = inflight.incr("upstream-a")) {
                assertEquals(2, second.estimate());
                assertEquals(2, first.current());
                assertEquals(2, inflight.get("upstream-a"));
            }
            assertEquals(1, inflight.get("upstream-a"));
        }
        assertEquals(0, inflight.get("upstream-a"));
    }

    @Test
    void closingTwiceDecrementsOnce() {
        Inflight.Guard held = inflight.incr("k");
        Inflight.Guard guard = inflight.incr("k");
        assertFalse(guard.isClosed());
        guard.close();
        guard.close();
        assertTrue(guard.isClosed());
        assertEquals(1, inflight.get("k"));
        held.close();
        assertEquals(0, inflight.get("k"));
    }

    @Test
    void weightedGuardsDecrementTheirWeight() {
        try (Inflight.Guard guard = inflight.incr("bytes", 4096)) {
            assertEquals(4096, guard.estimate());
            assertEquals("bytes", guard.key());
        }
        assertEquals(0, inflight.get("bytes"));
    }

    @Test
    void concurrentCloseOfOneGuardDecrementsExactlyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            Inflight.Guard guard = inflight.incr("race");
            CountMinSketchTest.runConcurrently(2, guard::close);
            assertEquals(0, inflight.get("race"));
        }
    }

    @Test
    void manyThreadsBalanceToZero() throws Exception {
        CountMinSketchTest.runConcurrently(4, () -> {
            for (int i = 0; i < 20_000; i++) {
                try (Inflight.Guard guard = inflight.incr("hot")) {
                    assertTrue(guard.estimate() >= 1 && guard.estimate() <= 4, () -> "" + guard.estimate());
                }
            }
        });
        assertEquals(0, inflight.get("hot"));
    }

    @Test
    void rejectsNegativeWeights() {
        assertEquals(
                "n: -1 (expected: >= 0)",
                assertThrows(IllegalArgumentException.class, () -> inflight.incr("k", -1))
                        .getMessage());
        assertEquals(
                "slots: 0 (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> Inflight.of(4, 0))
                        .getMessage());
    }
}
