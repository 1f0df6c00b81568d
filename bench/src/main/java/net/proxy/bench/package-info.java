/**
 * Benchmark support: {@link net.proxy.bench.Report} turns a JMH CSV result into a table of our figures
 * beside the peer's, and the suite's headline ratio.
 *
 * <p>Suites live in sub-packages ({@code net.proxy.bench.ketama}, ...) and are described by
 * {@code bench/suites/SUITE.properties}; run one with
 * <pre>{@code
 * bench/run ketama
 * }</pre>
 */
package net.proxy.bench;
