package net.proxy.bench.ketama;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.proxy.ketama.Bucket;
import net.proxy.ketama.Continuum;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Lookups per second of {@link Continuum} beside {@link TreeMapRing} (the same points in a
 * {@code TreeMap<Long, InetSocketAddress>} with {@code ceilingEntry}), and the time to build each ring.
 * {@code servers} IPv4 upstreams of weight 1 (160 points each); 4,096 pre-generated random URI keys of
 * 30 to 60 bytes, taken in turn. Both rings hash the key with CRC-32, so the lookup ratio understates
 * the difference between the searches themselves. Setup checks that both rings pick the same server for
 * every key. Bytes per point: {@link KetamaFootprint}, run by the suite after JMH.
 *
 * <p>Run: {@code bench/run ketama}. Last measured (JDK 17, quiet 2-core machine, 2026-11-26): lookups 85.3 M/s against 9.29 M/s with
 * 100 servers (9.2x), 78.6 M/s against 17.4 M/s with 10 (4.5x), 0 B against 24 to 48 B allocated per
 * lookup; builds 0.98 ms against 2.24 ms (100 servers) and 50 us against 68 us (10); 6.3 against 64.8
 * heap bytes per point.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KetamaBenchmark {

    private static final int KEYS = 4096;

    /** The number of upstream servers, each of weight 1. */
    @Param({"10", "100"})
    public int servers;

    private List<Bucket> buckets;
    private Continuum continuum;
    private TreeMapRing treeMapRing;
    private byte[][] keys;
    private int next;

    /** Builds both rings and the keys, and checks the rings agree on every key. */
    @Setup
    public void setUp() {
        buckets = upstreams(servers);
        continuum = Continuum.of(buckets);
        treeMapRing = TreeMapRing.of(buckets);
        keys = keys(KEYS, 1);
        for (byte[] key : keys) {
            if (!Objects.equals(continuum.node(key), treeMapRing.node(key))) {
                throw new IllegalStateException("the rings disagree on " + new String(key, StandardCharsets.US_ASCII));
            }
        }
    }

    static List<Bucket> upstreams(int count) {
        List<Bucket> upstreams = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            upstreams.add(Bucket.of(new InetSocketAddress("10.20." + i / 250 + "." + (1 + i % 250), 8080)));
        }
        return upstreams;
    }

    static byte[][] keys(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] keys = new byte[count][];
        for (int i = 0; i < count; i++) {
            StringBuilder uri = new StringBuilder("/objects/");
            int length = 30 + random.nextInt(31);
            while (uri.length() < length) {
                uri.append(Long.toHexString(random.nextLong()));
            }
            uri.setLength(length);
            keys[i] = uri.toString().getBytes(StandardCharsets.US_ASCII);
        }
        return keys;
    }

    private byte[] nextKey() {
        return keys[next++ & (KEYS - 1)];
    }

    /** Our lookup: CRC-32 of the key and a binary search over the packed int[] of point hashes. */
    @Benchmark
    public InetSocketAddress continuum() {
        return continuum.node(nextKey());
    }

    /** The peer's lookup: CRC-32 of the key and {@code TreeMap.ceilingEntry}, wrapping to the first entry. */
    @Benchmark
    public InetSocketAddress treeMap() {
        return treeMapRing.node(nextKey());
    }

    /** Building our ring: points into one long[], sort, split into int[] hashes and char[] nodes. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Continuum buildContinuum() {
        return Continuum.of(buckets);
    }

    /** Building the peer's ring: the same points put one by one into a TreeMap. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object buildTreeMap() {
        return TreeMapRing.of(buckets);
    }
}
