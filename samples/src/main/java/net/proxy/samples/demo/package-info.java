/**
 * The main job: {@code bin/proxy} with no arguments starts two origins and a load balancer on 127.0.0.1:6188.
 *
 * <pre>{@code
 * bin/proxy            # then: curl http://127.0.0.1:6188/hello
 * }</pre>
 */
package net.proxy.samples.demo;
