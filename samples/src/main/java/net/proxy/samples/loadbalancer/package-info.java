/**
 * {@code bin/proxy load-balancer}: an HTTP load balancer in front of real origins.
 *
 * <pre>{@code
 * bin/proxy load-balancer --listen 127.0.0.1:6188 --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002 --lb ketama
 * }</pre>
 */
package net.proxy.samples.loadbalancer;
