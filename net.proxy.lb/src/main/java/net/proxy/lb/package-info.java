/**
 * Load balancing: {@link net.proxy.lb.Backend backends} from a {@link net.proxy.lb.ServiceDiscovery discovery},
 * {@link net.proxy.lb.SelectionAlgorithm selection algorithms} (smooth weighted round robin, weighted random, FNV hash,
 * Ketama, least connections by two random choices) that all give distinct failover
 * {@link net.proxy.lb.Candidates candidates}, active ({@link net.proxy.lb.HealthCheck}) and passive health, all held
 * by a {@link net.proxy.lb.LoadBalancer}. This package needs only {@code java.base} and {@code net.proxy.ketama}; the
 * built-in health checks live in {@code net.proxy.lb.health}.
 *
 * <pre>{@code
 * try (LoadBalancer lb = LoadBalancer.builder()
 *         .backends(List.of(Backend.parse("127.0.0.1:8001"), Backend.parse("127.0.0.1:8002")))
 *         .selection(SelectionAlgorithm.ketama())
 *         .healthCheck(HttpHealthCheck.builder().path("/healthz").build())
 *         .build()) {
 *     lb.start();                                       // health checks and re-discovery in the background
 *     Candidates c = lb.candidates("user-42".getBytes(StandardCharsets.UTF_8));
 *     Backend first = c.next(), failover = c.next();
 *     try (LoadBalancer.Lease lease = lb.acquire(first)) {
 *         // send the request; on a connect failure: lb.reportFailure(first)
 *     }
 * }
 * }</pre>
 */
package net.proxy.lb;
