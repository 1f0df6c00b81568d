/**
 * The service-provider interface of {@code net.proxy.lb}: what a user implements to write a selection algorithm.
 * A {@link net.proxy.lb.spi.SelectorFactory} builds a {@link net.proxy.lb.spi.Selector} for each backend set; the
 * selector turns a request key into distinct {@link net.proxy.lb.Candidates}. Wrap the factory with
 * {@link net.proxy.lb.SelectionAlgorithm#of} to hand it to a load balancer.
 *
 * <pre>{@code
 * SelectionAlgorithm inOrder = SelectionAlgorithm.of("in-order", false, (backends, active) -> key -> {
 *     Iterator<Backend> it = backends.iterator();
 *     return () -> it.hasNext() ? it.next() : null;
 * });
 * LoadBalancer lb = LoadBalancer.builder().backends(backends).selection(inOrder).build();
 * }</pre>
 *
 * <p>Needs only {@code java.base}.
 */
package net.proxy.lb.spi;
