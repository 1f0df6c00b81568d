package net.proxy.lb;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * One origin server a {@link LoadBalancer} may pick: its address, a weight (relative share of traffic, >= 1) and
 * opaque metadata (e.g. a zone or a TLS name) that the proxy's peer selection may read.
 *
 * <p>Equality and hashing use the address and weight only, as in Pingora: two discoveries that return the same
 * address and weight with different metadata describe the same backend, which keeps its health state.
 *
 * @param address the origin's address (resolved or not)
 * @param weight relative share of traffic, {@code >= 1}
 * @param metadata immutable user data, never {@code null}
 */
public record Backend(InetSocketAddress address, int weight, Map<String, String> metadata)
        implements Comparable<Backend> {

    /** Validates and copies the components. */
    public Backend {
        Objects.requireNonNull(address, "address");
        if (weight < 1) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
        }
        metadata = Map.copyOf(metadata);
    }

    /** A backend of weight 1 without metadata. */
    public static Backend of(InetSocketAddress address) {
        return new Backend(address, 1, Map.of());
    }

    /** A backend of {@code weight} without metadata. */
    public static Backend of(InetSocketAddress address, int weight) {
        return new Backend(address, weight, Map.of());
    }

    /**
     * Parses {@code "host:port"} or {@code "[v6]:port"} into a backend of weight 1. A literal IP is used as is;
     * a host name is resolved now (a blocking lookup) and stays unresolved if that fails.
     *
     * @throws IllegalArgumentException if the text has no port or the port is out of range
     */
    public static Backend parse(String hostPort) {
        return of(parseAddress(hostPort));
    }

    /** Parses {@code "host:port"} or {@code "[v6]:port"} (see {@link #parse}). */
    public static InetSocketAddress parseAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("address: " + hostPort + " (expected: host:port)");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address: " + hostPort + " (expected: host:port)", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
        return new InetSocketAddress(host, port);
    }

    /** This backend with other metadata. */
    public Backend withMetadata(Map<String, String> newMetadata) {
        return new Backend(address, weight, newMetadata);
    }

    /** Equal to a backend of the same address and weight, whatever the metadata. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Backend && ((Backend) o).weight == weight && ((Backend) o).address.equals(address);
    }

    /** A hash of the address and the weight. */
    @Override
    public int hashCode() {
        return address.hashCode() * 31 + weight;
    }

    /**
     * Orders as Pingora's {@code BTreeSet<Backend>}: IPv4 before IPv6, addresses by their bytes (unsigned), then
     * port, then weight; unresolved addresses after resolved ones, by host name.
     */
    @Override
    public int compareTo(Backend o) {
        int c = compareAddress(address, o.address);
        return c != 0 ? c : Integer.compare(weight, o.weight);
    }

    private static int compareAddress(InetSocketAddress a, InetSocketAddress b) {
        boolean ua = a.isUnresolved();
        boolean ub = b.isUnresolved();
        int c;
        if (ua || ub) {
            c = ua && ub ? a.getHostString().compareTo(b.getHostString()) : Boolean.compare(ua, ub);
        } else {
            byte[] x = a.getAddress().getAddress();
            byte[] y = b.getAddress().getAddress();
            c = x.length != y.length ? Integer.compare(x.length, y.length) : java.util.Arrays.compareUnsigned(x, y);
        }
        return c != 0 ? c : Integer.compare(a.getPort(), b.getPort());
    }

    /** {@code address:port} ({@code [v6]:port} for IPv6), followed by {@code " weight=N"} when the weight is not 1. */
    @Override
    public String toString() {
        String host = address.isUnresolved()
                ? address.getHostString()
                : address.getAddress().getHostAddress();
        String hp = host.indexOf(':') >= 0 ? "[" + host + "]:" + address.getPort() : host + ":" + address.getPort();
        return weight == 1 ? hp : hp + " weight=" + weight;
    }
}
