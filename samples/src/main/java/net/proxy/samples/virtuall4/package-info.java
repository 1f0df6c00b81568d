/**
 * {@code bin/proxy virtual-l4}: a TCP proxy whose upstream leg runs over an in-process virtual L4
 * stream ({@link net.proxy.l4.PipeTransport}) to an echo origin listening on that pipe.
 *
 * <pre>{@code
 * bin/proxy virtual-l4 --listen 127.0.0.1:7001
 * }</pre>
 */
package net.proxy.samples.virtuall4;
