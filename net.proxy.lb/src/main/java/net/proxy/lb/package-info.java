/**
 * Load balancing: {@link net.proxy.lb.Backend backends} from a
 * {@link net.proxy.lb.ServiceDiscovery discovery}, {@link net.proxy.lb.SelectionAlgorithm selection
 * algorithms} (smooth weighted round robin, weighted random, FNV hash, Ketama, least connections by two random
 * choices) that all give distinct failover candidates, and active ({@link net.proxy.lb.HealthCheck}) and
 * passive health.
 *
 * <pre>{@code
 * LoadBalancer lb = LoadBalancer.builder()
 *         .backends(List.of(Backend.parse("127.0.0.1:8001"), Backend.parse("127.0.0.1:8002")))
 *         .selection(SelectionAlgorithm.ketama())
 *         .healthCheck(HttpHealthCheck.builder().path("/healthz").build())
 *         .build();
 * Candidates c = lb.candidates("user-42".getBytes(StandardCharsets.UTF_8));
 * Backend first = c.next(), failover = c.next();
 * }</pre>
 */
package net.proxy.lb;
