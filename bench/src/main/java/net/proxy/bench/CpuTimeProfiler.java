package net.proxy.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The benchmark JVM's CPU time per operation, summed over all of its threads: the benchmark threads, any thread a
 * timer keeps for itself, GC and JIT. {@code -prof net.proxy.bench.CpuTimeProfiler} adds two secondary results per
 * iteration: {@code cpu.time.norm} (CPU ns per operation) and {@code cpu.used} (CPU time over wall time: the cores
 * the JVM actually got).
 *
 * <p>Why: on a shared machine another process that takes the core for a while lowers the wall-clock throughput of
 * whichever benchmark runs at that moment, so the ratio of two benchmarks run minutes apart moves with the load;
 * the CPU time an operation costs moves much less (what remains is cache and memory-bandwidth interference). It
 * does not replace the throughput: a benchmark that waits (a hand-off, a parked thread) costs wall time but no
 * CPU time, and contention between threads shows up in both.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuStart;
    private long wallStart;

    /** Called by JMH. */
    public CpuTimeProfiler() {}

    @Override
    public String getDescription() {
        return "process CPU time per operation (all threads) and CPU time over wall time";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        wallStart = System.nanoTime();
        cpuStart = os.getProcessCpuTime();
    }

    @Override
    @SuppressWarnings("rawtypes") // the interface's own signature
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        long ops = result.getMetadata().getAllOps();
        return List.of(
                new ScalarResult(
                        "cpu.time.norm", ops == 0 ? Double.NaN : (double) cpu / ops, "ns/op", AggregationPolicy.AVG),
                new ScalarResult(
                        "cpu.used", wall == 0 ? Double.NaN : (double) cpu / wall, "cores", AggregationPolicy.AVG));
    }
}
