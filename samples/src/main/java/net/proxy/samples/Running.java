package net.proxy.samples;

import java.net.SocketAddress;
import java.util.List;

/**
 * A started sample: where it listens and what to close to stop it.
 *
 * @param addresses the bound addresses, main endpoint first
 * @param resources closed in order by {@link #close()} (listeners first, transports last)
 */
public record Running(List<SocketAddress> addresses, List<AutoCloseable> resources) implements AutoCloseable {

    /**
     * Copies the lists.
     *
     * @param addresses the bound addresses
     * @param resources what to close
     */
    public Running {
        addresses = List.copyOf(addresses);
        resources = List.copyOf(resources);
    }

    /** Closes every resource, reporting (not throwing) individual failures. */
    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                System.err.println("closing " + r + ": " + e);
            }
        }
    }
}
