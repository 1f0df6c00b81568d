package net.proxy.lru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CountMinSketchTest {

    @Test
    void countsEachKeyIndependently() {
        CountMinSketch sketch = new CountMinSketch(1000);
        for (int i = 0; i < 5; i++) {
            sketch.increment("hot".hashCode());
        }
        sketch.increment("warm".hashCode());
        assertEquals(5, sketch.frequency("hot".hashCode()));
        assertEquals(1, sketch.frequency("warm".hashCode()));
        assertEquals(0, sketch.frequency("cold".hashCode()));
    }

    @Test
    void saturatesAtFifteen() {
        CountMinSketch sketch = new CountMinSketch(1000);
        for (int i = 0; i < 100; i++) {
            sketch.increment(42);
        }
        assertEquals(CountMinSketch.MAX_COUNT, sketch.frequency(42));
    }

    @Test
    void halvesEveryCounterAfterTheSample() {
        CountMinSketch sketch = new CountMinSketch(1024);
        int sampleSize = 10 * 1024;
        for (int i = 0; i < 8; i++) {
            sketch.increment(7);
        }
        for (int i = 8; i < sampleSize - 1; i++) {
            sketch.increment(1_000_000 + i);
        }
        assertEquals(8, sketch.frequency(7));
        sketch.increment(2_000_000);
        assertEquals(4, sketch.frequency(7));
    }

    @Test
    void overestimatesRarelyWhenSizedForTheKeys() {
        int keys = 10_000;
        CountMinSketch sketch = new CountMinSketch(keys);
        for (int key = 0; key < keys; key++) {
            sketch.increment(key);
        }
        int wrong = 0;
        for (int key = 0; key < keys; key++) {
            if (sketch.frequency(key) != 1) {
                wrong++;
            }
        }
        assertTrue(wrong < keys / 100, "over-estimated keys: " + wrong);
        int phantom = 0;
        for (int key = keys; key < 2 * keys; key++) {
            phantom += sketch.frequency(key);
        }
        assertTrue(phantom < keys / 20, "phantom counts of unseen keys: " + phantom);
    }
}
