package net.proxy.l4;

import java.time.Duration;

/**
 * TCP keep-alive probing: {@code TCP_KEEPIDLE}, {@code TCP_KEEPINTVL}, {@code TCP_KEEPCNT}. The
 * three values need native epoll; NIO only turns {@code SO_KEEPALIVE} on with the kernel's values.
 *
 * @param idle idle time before the first probe, whole seconds {@code >= 1}
 * @param interval time between probes, whole seconds {@code >= 1}
 * @param count unanswered probes before the connection is dropped, {@code >= 1}
 */
public record TcpKeepAlive(Duration idle, Duration interval, int count) {

    /**
     * Validates the values.
     *
     * @param idle idle time before the first probe
     * @param interval time between probes
     * @param count probes before giving up
     */
    public TcpKeepAlive {
        seconds("idle", idle);
        seconds("interval", interval);
        if (count < 1) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 1)");
        }
    }

    private static void seconds(String name, Duration d) {
        if (d == null) {
            throw new NullPointerException(name);
        }
        if (d.getSeconds() < 1 || d.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: PT1S..PT596523H)");
        }
    }
}
