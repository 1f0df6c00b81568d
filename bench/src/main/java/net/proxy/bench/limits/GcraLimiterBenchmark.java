package net.proxy.bench.limits;

import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.proxy.limits.GcraLimiter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One key's admission decision: {@link GcraLimiter#tryAcquire} (keyed, memory-bounded table) beside a
 * Bucket4j lock-free {@code Bucket.tryConsume(1)} (one bucket, no key), single thread.
 * {@code load=admitted}: the rate (10⁹/s, burst 1000) admits every call; {@code load=rejected}: one
 * request per hour with no burst, so every call after the first is refused (ours also computes the
 * retry-after).
 *
 * <p>Run: {@code bench/run limits}. Last measured (JDK 17, quiet 2-core machine, 2026-11-26): 1.03× Bucket4j admitted, 1.46× rejected.
 * Both sides are dominated by reading the clock (about 23 ns here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GcraLimiterBenchmark {

    /** Whether calls are admitted or rejected. */
    @Param({"admitted", "rejected"})
    public String load;

    private final String key = "203.0.113.7";
    private GcraLimiter limiter;
    private Bucket bucket;

    /** Builds both limiters for the load. */
    @Setup(Level.Trial)
    public void setUp() {
        boolean admitted = load.equals("admitted");
        long permits = admitted ? 1_000_000_000L : 1;
        Duration period = admitted ? Duration.ofSeconds(1) : Duration.ofHours(1);
        long burst = admitted ? 1000 : 0;
        limiter = GcraLimiter.builder().rate(permits, period).burst(burst).build();
        bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(burst + 1).refillGreedy(permits, period))
                .build();
    }

    /**
     * Our GCRA limiter.
     *
     * @return whether admitted
     */
    @Benchmark
    public boolean gcraTryAcquire() {
        return limiter.tryAcquire(key).allowed();
    }

    /**
     * Bucket4j's token bucket.
     *
     * @return whether admitted
     */
    @Benchmark
    public boolean bucket4jTryConsume() {
        return bucket.tryConsume(1);
    }
}
