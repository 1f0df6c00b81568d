package net.proxy.lb;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a {@link LoadBalancer} gets its backend set. {@link LoadBalancer#update()} calls {@link #discover()} (on the
 * background scheduler, so it may block) and swaps the set atomically when it changed.
 */
@FunctionalInterface
public interface ServiceDiscovery {
    /**
     * The current backend set.
     *
     * @throws Exception if the set cannot be obtained now; the load balancer then keeps its previous set
     */
    Set<Backend> discover() throws Exception;

    /** A fixed set of backends. */
    static ServiceDiscovery fixed(Collection<Backend> backends) {
        Set<Backend> set = Set.copyOf(new TreeSet<>(backends));
        return () -> set;
    }

    /**
     * The addresses {@code host} resolves to, each a backend of {@code port} and weight 1, re-resolved on every
     * {@link LoadBalancer#update()}.
     *
     * @param resolver how names are resolved ({@link Resolver#system()} in production, a fake in tests)
     */
    static ServiceDiscovery dns(String host, int port, Resolver resolver) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(resolver, "resolver");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
        return () -> {
            Set<Backend> set = new TreeSet<>();
            for (InetAddress a : resolver.resolve(host)) {
                set.add(Backend.of(new java.net.InetSocketAddress(a, port)));
            }
            if (set.isEmpty()) {
                throw new UnknownHostException(host + ": no addresses");
            }
            return set;
        };
    }

    /** Resolves a host name to its addresses. */
    @FunctionalInterface
    interface Resolver {
        /** All addresses of {@code host}. */
        List<InetAddress> resolve(String host) throws UnknownHostException;

        /** The JDK's resolver ({@link InetAddress#getAllByName}), subject to the JDK's DNS cache settings. */
        static Resolver system() {
            return host -> List.of(InetAddress.getAllByName(host));
        }
    }
}
