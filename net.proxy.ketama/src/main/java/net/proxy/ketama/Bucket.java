package net.proxy.ketama;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One server on a {@link Continuum}: its resolved socket address and its weight.
 *
 * <p>A bucket with weight {@code w} places {@code 160 × w} points on the ring, so it receives about
 * {@code w / Σweights} of the keys. The address must be resolved: the ring hashes the IP's text and the
 * port, never a host name.
 *
 * @param address the server's resolved IP address and port
 * @param weight the server's share of the keys; at least 1, at most {@value #MAX_WEIGHT}
 */
public record Bucket(InetSocketAddress address, int weight) {

    /**
     * The largest accepted weight, {@value}: a ring holds at most {@value Continuum#MAX_POINTS} points
     * of {@value Continuum#POINTS_PER_WEIGHT} per unit of weight.
     */
    public static final int MAX_WEIGHT = Continuum.MAX_POINTS / Continuum.POINTS_PER_WEIGHT;

    /**
     * Validates the bucket.
     *
     * @param address the server's resolved IP address and port
     * @param weight the server's share of the keys; at least 1, at most {@value #MAX_WEIGHT}
     * @throws NullPointerException if {@code address} is null
     * @throws IllegalArgumentException if {@code address} is unresolved, or {@code weight} is not in
     *     {@code [1, MAX_WEIGHT]}
     */
    public Bucket {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(
                    "address: " + address + " (expected: a resolved IP address; the ring hashes IP text)");
        }
        if (weight <= 0) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: > 0)");
        }
        if (weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: <= " + MAX_WEIGHT + ")");
        }
    }

    /**
     * A bucket of weight 1.
     *
     * @param address the server's resolved IP address and port
     * @return a bucket with {@code weight == 1}
     */
    public static Bucket of(InetSocketAddress address) {
        return new Bucket(address, 1);
    }
}
