package net.proxy.bench.ketama;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import net.proxy.bench.HeapFootprint;
import net.proxy.ketama.Bucket;
import net.proxy.ketama.Continuum;

/**
 * Prints the heap bytes per point of {@link Continuum} and of {@link TreeMapRing}, for 10 and 100
 * servers of weight 1. Measured: used heap after forced collections with {@value #RINGS} rings retained,
 * minus used heap before building them, divided by their points; the upstream addresses already exist,
 * so only the rings' own structures count. Computed (ours, from the layout {@link Continuum} documents):
 * an {@code int} hash and a {@code char} node index per point, 6 bytes, plus a slot index of
 * {@code 2^b + 1} ints with {@code b = floor(log2(points)) - 3}, plus three array headers. For the
 * TreeMap ring, each point is a {@code TreeMap.Entry} and a {@code Long} key.
 *
 * <p>Run by {@code bench/run ketama} after JMH, or {@code java -cp bench/target/benchmarks.jar
 * net.proxy.bench.ketama.KetamaFootprint}.
 */
public final class KetamaFootprint {

    private static final int RINGS = 40;

    private KetamaFootprint() {}

    /**
     * Prints the table.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("Heap bytes per point (measured over " + RINGS + " rings; addresses excluded)");
        System.out.printf(
                Locale.ROOT,
                "  %-8s %8s %12s %12s %12s %8s%n",
                "servers",
                "points",
                "Continuum",
                "(computed)",
                "TreeMap",
                "ratio");
        for (int servers : new int[] {10, 100}) {
            List<Bucket> buckets = KetamaBenchmark.upstreams(servers);
            int points = Continuum.of(buckets).points();
            double ours = measure(buckets, Continuum::of, points);
            int slotBits = Math.max(1, 31 - Integer.numberOfLeadingZeros(points) - 3);
            double computed = (points * 6.0 + ((1 << slotBits) + 1) * 4.0 + 3 * 16) / points;
            double treeMap = measure(buckets, TreeMapRing::of, points);
            System.out.printf(
                    Locale.ROOT,
                    "  %-8d %8d %12.1f %12.1f %12.1f %7.1fx%n",
                    servers,
                    points,
                    ours,
                    computed,
                    treeMap,
                    treeMap / ours);
        }
    }

    private static double measure(List<Bucket> buckets, Function<List<Bucket>, Object> build, int points) {
        long bytes = HeapFootprint.retainedBytes(() -> {
            Object[] rings = new Object[RINGS];
            for (int i = 0; i < RINGS; i++) {
                rings[i] = build.apply(buckets);
            }
            return rings;
        });
        return bytes / (double) RINGS / points;
    }
}
