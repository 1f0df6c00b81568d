package net.proxy.bench.lru;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import net.proxy.lru.TinyUfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Throughput of {@link TinyUfo} beside Caffeine from two threads: reads only, and 90 % reads / 10 % writes.
 * Keys are drawn from a Zipf (alpha 1.0) trace over {@code cacheSize / 2} keys, all of them cached, so
 * every read is a hit and every write replaces a value (the shape of Caffeine's own GetPutBenchmark).
 * Caffeine is built as users build it ({@code maximumSize}, default executor).
 *
 * <p>Run: {@code bench/run lru} (or {@code java -jar bench/target/benchmarks.jar TinyUfoBenchmark -t 2}).
 * Last measured with {@code bench/run lru} (JDK 17, quiet 2-core machine, 2026-11-26): reads 4.04× Caffeine (4.57× at cacheSize=1024, 3.56×
 * at 65536); 90/10 mix 5.69× and 1.45×.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
public class TinyUfoBenchmark {
    private static final int TRACE = 1 << 16;
    private static final int MASK = TRACE - 1;

    /** Maximum entries of each cache; half that many keys are in use. */
    @Param({"1024", "65536"})
    public int cacheSize;

    private Integer[] trace;
    private TinyUfo<Integer, Integer> ufo;
    private Cache<Integer, Integer> caffeine;

    /** Per-thread position in the shared trace, starting at a random offset. */
    @State(Scope.Thread)
    public static class Cursor {
        int index = ThreadLocalRandom.current().nextInt(TRACE);

        int next() {
            return index++ & MASK;
        }
    }

    /** Builds the trace and fills both caches with every key in use. */
    @Setup
    public void setUp() {
        int keys = cacheSize / 2;
        Integer[] boxed = new Integer[keys];
        ufo = TinyUfo.builder().weightLimit(cacheSize).build();
        caffeine = Caffeine.newBuilder().maximumSize(cacheSize).build();
        for (int i = 0; i < keys; i++) {
            boxed[i] = i;
            ufo.forcePut(boxed[i], boxed[i], 1);
            caffeine.put(boxed[i], boxed[i]);
        }
        ZipfKeys zipf = new ZipfKeys(keys, 1.0, 42);
        trace = new Integer[TRACE];
        for (int i = 0; i < TRACE; i++) {
            trace[i] = boxed[zipf.next()];
        }
    }

    /**
     * Reads from our TinyUfo.
     *
     * @param cursor the thread's position in the trace
     * @return the value
     */
    @Benchmark
    public Integer tinyUfoRead(Cursor cursor) {
        return ufo.get(trace[cursor.next()]);
    }

    /**
     * Reads from Caffeine.
     *
     * @param cursor the thread's position in the trace
     * @return the value
     */
    @Benchmark
    public Integer caffeineRead(Cursor cursor) {
        return caffeine.getIfPresent(trace[cursor.next()]);
    }

    /**
     * Nine reads in ten, one write, on our TinyUfo.
     *
     * @param cursor the thread's position in the trace
     * @return the value read, or the key written
     */
    @Benchmark
    public Integer tinyUfoReadWrite(Cursor cursor) {
        int i = cursor.next();
        Integer key = trace[i];
        if (i % 10 == 0) {
            ufo.put(key, key, 1);
            return key;
        }
        return ufo.get(key);
    }

    /**
     * Nine reads in ten, one write, on Caffeine.
     *
     * @param cursor the thread's position in the trace
     * @return the value read, or the key written
     */
    @Benchmark
    public Integer caffeineReadWrite(Cursor cursor) {
        int i = cursor.next();
        Integer key = trace[i];
        if (i % 10 == 0) {
            caffeine.put(key, key);
            return key;
        }
        return caffeine.getIfPresent(key);
    }
}
