package net.proxy.ketama;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.PrimitiveIterator;
import java.util.zip.CRC32;

/**
 * A consistent-hash ring that maps a key to the server nginx's {@code hash $key consistent} picks for
 * the same servers (and that Pingora's {@code pingora-ketama} picks).
 *
 * <p>Build one with {@link #of(Collection)}; it is immutable and safe to share between threads. A
 * changed server set is a new {@code Continuum}. Lookups ({@link #node}, {@link #nodeIndex}) allocate
 * nothing: a CRC-32 of the key, a slot index and a short binary search over an {@code int[]}.
 *
 * <p>Compatibility with nginx holds when nginx names each server by its IP literal and an explicit port
 * ({@code server 10.0.0.1:443 weight=2;}), because nginx hashes the server text as written: a host name,
 * a missing port or (for IPv6) the brackets of {@code [::1]:80} change nginx's points but not ours. Our
 * IPv6 text is Pingora's: RFC 5952 without brackets or scope. On the rare equal point hashes nginx keeps
 * the point of the server configured first; we keep the point of the lowest address (see below), so
 * the ring does not depend on the order of the buckets.
 *
 * <p>Limits: at most {@value #MAX_NODES} buckets and {@value #MAX_POINTS} points
 * ({@value #POINTS_PER_WEIGHT} per unit of weight); a ring takes 6 to 6.5 bytes per point. Two buckets
 * with the same address are rejected.
 */
public final class Continuum {

    /*
     * How it works (nginx's ngx_http_upstream_hash_module, "consistent" mode [1]; the ring of Karger et
     * al. [2]; ported to Rust by Pingora [3]).
     *
     * Points. A bucket of weight w places 160 * w points on a 32-bit ring. Its base text is the IP
     * (dotted IPv4, or RFC 5952 IPv6 [4]), a NUL byte and the decimal port, e.g. "10.0.0.1\0443".
     * Point k's hash is CRC-32(base text ++ hash of point k-1 as 4 little-endian bytes), with 0 before
     * the first point: each point chains from the previous one, as nginx computes it.
     *
     * Sorting and ties. Buckets are ranked by address: IPv4 before IPv6, then the address bytes as
     * unsigned numbers, then the port (the order of Rust's SocketAddr, which Pingora's V2 ring uses).
     * Every point becomes one long, (unsigned hash << 32 | rank), with the hash's sign bit flipped so
     * that a signed sort is an unsigned sort by hash, then by rank. One Arrays.sort, then equal hashes
     * are collapsed keeping the first, i.e. the lowest-ranked address. nginx sorts with qsort and keeps
     * the first of each run too, which with glibc's stable sort is the server configured first; with
     * 160 points per unit of weight, equal hashes are rare (about 2.4 pairs among 144,000 points).
     *
     * Layout. The survivors are split into an int[] of biased hashes (sign bit flipped, so plain int
     * comparison is unsigned order) and a char[] of node indexes, 6 bytes per point, no objects. A slot
     * index over the top b bits of the hash (b = floor(log2(points)) - 3, so 8 to 16 points per slot)
     * holds the first point of each slot: 2^b + 1 ints, a quarter to half a byte per point.
     *
     * Lookup. h = CRC-32(key); the slot of h's top b bits bounds the search to the points sharing those
     * bits, and a binary search there finds the first point whose hash >= h (unsigned), or the first
     * point of the next non-empty slot; past the last point, wrap to point 0. Walks go on clockwise from
     * that point: the raw walk yields every point's node (nginx's and Pingora's node iterator), the
     * failover walk each distinct node once.
     *
     * Consistency. Adding a bucket only adds points: a key changes servers only if one of the new points
     * falls between its hash and its old point, and then it moves to the new bucket. Removing a bucket
     * only moves the keys that were on it.
     *
     * [1] nginx, ngx_http_upstream_hash_module, https://nginx.org/en/docs/http/ngx_http_upstream_module.html#hash
     *     (source: https://github.com/nginx/nginx/blob/master/src/http/modules/ngx_http_upstream_hash_module.c)
     * [2] D. Karger et al., Consistent Hashing and Random Trees: Distributed Caching Protocols for Relieving
     *     Hot Spots on the World Wide Web, STOC 1997, https://doi.org/10.1145/258533.258660
     * [3] Cloudflare Pingora, pingora-ketama, https://github.com/cloudflare/pingora/tree/main/pingora-ketama
     * [4] RFC 5952, A Recommendation for IPv6 Address Text Representation, https://www.rfc-editor.org/rfc/rfc5952
     */

    /** Points per unit of weight, {@value}, as in nginx. */
    public static final int POINTS_PER_WEIGHT = 160;

    /** The most buckets a continuum holds, {@value}: node indexes are stored in 16 bits. */
    public static final int MAX_NODES = 1 << 16;

    /** The most points a continuum holds, {@value} (2^27; the sum of all weights times 160). */
    public static final int MAX_POINTS = 1 << 27;

    private static final Continuum EMPTY = new Continuum(new InetSocketAddress[0], new int[0], new char[0]);

    private final InetSocketAddress[] addresses;
    private final List<InetSocketAddress> nodes;
    /** Point hashes in ascending unsigned order, each stored with its sign bit flipped. */
    private final int[] pointHashes;
    /** The node index (into {@link #addresses}) of each point. */
    private final char[] pointNodes;
    /** slots[s] = the first point whose hash's top bits are >= s; slots[slots.length - 1] = points. */
    private final int[] slots;
    /** 32 minus the number of top bits that select a slot. */
    private final int slotShift;

    private Continuum(InetSocketAddress[] addresses, int[] pointHashes, char[] pointNodes) {
        this.addresses = addresses;
        this.nodes = List.of(addresses);
        this.pointHashes = pointHashes;
        this.pointNodes = pointNodes;
        int bits = Math.max(1, Math.min(24, 31 - Integer.numberOfLeadingZeros(pointHashes.length) - 3));
        this.slotShift = Integer.SIZE - bits;
        this.slots = new int[(1 << bits) + 1];
        int point = 0;
        for (int slot = 0; slot < slots.length; slot++) {
            while (point < pointHashes.length && (pointHashes[point] ^ Integer.MIN_VALUE) >>> slotShift < slot) {
                point++;
            }
            slots[slot] = point;
        }
    }

    /**
     * Builds the ring for these buckets. The result does not depend on their order, except that node
     * indexes ({@link #nodeIndex}, {@link #nodes()}) follow the iteration order of {@code buckets}.
     *
     * @param buckets the servers and their weights; may be empty
     * @return the continuum
     * @throws NullPointerException if {@code buckets} or one of its elements is null
     * @throws IllegalArgumentException if two buckets have the same address, there are more than
     *     {@value #MAX_NODES} buckets, or the weights add up to more than {@value #MAX_POINTS} points
     */
    public static Continuum of(Collection<Bucket> buckets) {
        Bucket[] input = buckets.toArray(new Bucket[0]);
        if (input.length == 0) {
            return EMPTY;
        }
        if (input.length > MAX_NODES) {
            throw new IllegalArgumentException("buckets: " + input.length + " (expected: <= " + MAX_NODES + ")");
        }
        InetSocketAddress[] addresses = new InetSocketAddress[input.length];
        long total = 0;
        for (int i = 0; i < input.length; i++) {
            addresses[i] =
                    Objects.requireNonNull(input[i], "buckets contains null").address();
            total += (long) input[i].weight() * POINTS_PER_WEIGHT;
        }
        if (total > MAX_POINTS) {
            throw new IllegalArgumentException("points: " + total + " (expected: <= " + MAX_POINTS
                    + "; the weights add up to more than " + MAX_POINTS / POINTS_PER_WEIGHT + ")");
        }
        int[] rank = rankByAddress(addresses);
        long[] points = new long[(int) total];
        CRC32 crc = new CRC32();
        int count = 0;
        for (int node = 0; node < input.length; node++) {
            byte[] text = PointInput.buffer(addresses[node]);
            int previous = 0;
            for (int k = input[node].weight() * POINTS_PER_WEIGHT; k > 0; k--) {
                PointInput.setPrevious(text, previous);
                crc.reset();
                crc.update(text, 0, text.length);
                previous = (int) crc.getValue();
                points[count++] = (long) (previous ^ Integer.MIN_VALUE) << 32 | rank[node];
            }
        }
        Arrays.sort(points);
        int[] nodeOfRank = new int[input.length];
        for (int node = 0; node < input.length; node++) {
            nodeOfRank[rank[node]] = node;
        }
        int[] pointHashes = new int[points.length];
        char[] pointNodes = new char[points.length];
        int kept = 0;
        for (long point : points) {
            int biasedHash = (int) (point >>> 32);
            if (kept > 0 && pointHashes[kept - 1] == biasedHash) {
                continue;
            }
            pointHashes[kept] = biasedHash;
            pointNodes[kept] = (char) nodeOfRank[(int) point];
            kept++;
        }
        if (kept < points.length) {
            pointHashes = Arrays.copyOf(pointHashes, kept);
            pointNodes = Arrays.copyOf(pointNodes, kept);
        }
        return new Continuum(addresses, pointHashes, pointNodes);
    }

    /**
     * rank[node] = position of addresses[node] when ordered IPv4 before IPv6, then by address bytes as
     * unsigned numbers, then by port; rejects two buckets with the same address.
     */
    private static int[] rankByAddress(InetSocketAddress[] addresses) {
        byte[][] ips = new byte[addresses.length][];
        Integer[] order = new Integer[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            ips[i] = addresses[i].getAddress().getAddress();
            order[i] = i;
        }
        Comparator<Integer> byAddress = Comparator.<Integer>comparingInt(i -> ips[i].length)
                .thenComparing(i -> ips[i], Arrays::compareUnsigned)
                .thenComparingInt(i -> addresses[i].getPort());
        Arrays.sort(order, byAddress);
        int[] rank = new int[addresses.length];
        for (int r = 0; r < order.length; r++) {
            if (r > 0 && byAddress.compare(order[r - 1], order[r]) == 0) {
                throw new IllegalArgumentException("buckets: " + addresses[order[r]]
                        + " appears twice (expected: each address once; give it a larger weight instead)");
            }
            rank[order[r]] = r;
        }
        return rank;
    }

    /**
     * The CRC-32 (ISO-HDLC, as {@link CRC32}) that places keys and points on the ring.
     *
     * @param key the bytes to hash
     * @return the hash, whose 32 bits are read as an unsigned number
     */
    public static int hash(byte[] key) {
        CRC32 crc = new CRC32();
        crc.update(key, 0, key.length);
        return (int) crc.getValue();
    }

    /**
     * The server for {@code key}: the node of the first point at or after {@code hash(key)}.
     *
     * @param key the key, e.g. the request URI's bytes for nginx's {@code hash $request_uri consistent}
     * @return the chosen server, or {@code null} if this continuum is empty
     */
    public InetSocketAddress node(byte[] key) {
        int node = nodeIndex(key);
        return node < 0 ? null : addresses[node];
    }

    /**
     * The index of the server for {@code key}, for callers that keep per-server state in arrays.
     *
     * @param key the key
     * @return an index into {@link #nodes()}, or {@code -1} if this continuum is empty
     */
    public int nodeIndex(byte[] key) {
        int hash = hash(key);
        return pointHashes.length == 0 ? -1 : pointNodes[firstPointAtOrAfter(hash)];
    }

    /**
     * The server with this node index.
     *
     * @param nodeIndex an index returned by {@link #nodeIndex} or {@link #failoverIndexes}
     * @return the server's address
     * @throws IndexOutOfBoundsException if {@code nodeIndex} is not in {@code [0, nodes().size())}
     */
    public InetSocketAddress address(int nodeIndex) {
        return addresses[Objects.checkIndex(nodeIndex, addresses.length)];
    }

    /**
     * The servers, indexed by node index, in the order the buckets were given to {@link #of}.
     *
     * @return an unmodifiable list of the servers' addresses
     */
    public List<InetSocketAddress> nodes() {
        return nodes;
    }

    /**
     * The number of points on the ring: 160 per unit of weight, less one for each equal hash dropped.
     *
     * @return the point count, 0 for an empty continuum
     */
    public int points() {
        return pointHashes.length;
    }

    /**
     * Every point's server from {@code key}'s point clockwise, once around the ring, repeats included:
     * the order nginx and Pingora's {@code node_iter} walk. Most callers want {@link #failover} instead.
     *
     * @param key the key
     * @return an iterator of {@link #points()} addresses; empty if this continuum is empty
     */
    public Iterator<InetSocketAddress> ringWalk(byte[] key) {
        return new Addresses(RingWalk.raw(pointNodes, startPoint(key), addresses.length), addresses);
    }

    /**
     * The failover order for {@code key}: each server once, in the order the ring reaches it clockwise
     * from {@code key}'s point. The first is {@link #node(byte[])}; when it is down, try the next.
     *
     * @param key the key
     * @return an iterator of every server exactly once; empty if this continuum is empty
     */
    public Iterator<InetSocketAddress> failover(byte[] key) {
        return new Addresses(failoverIndexes(key), addresses);
    }

    /**
     * The node indexes of {@link #failover(byte[])}: each server's index once, in ring order.
     *
     * @param key the key
     * @return an iterator of every node index exactly once; empty if this continuum is empty
     */
    public PrimitiveIterator.OfInt failoverIndexes(byte[] key) {
        return RingWalk.distinct(pointNodes, startPoint(key), addresses.length);
    }

    private int startPoint(byte[] key) {
        int hash = hash(key);
        return pointHashes.length == 0 ? 0 : firstPointAtOrAfter(hash);
    }

    /** The first point whose hash is >= {@code hash} as unsigned numbers, wrapping to 0 past the end. */
    private int firstPointAtOrAfter(int hash) {
        int biased = hash ^ Integer.MIN_VALUE;
        int[] hashes = pointHashes;
        int slot = hash >>> slotShift;
        int low = slots[slot];
        int high = slots[slot + 1];
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (hashes[middle] < biased) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low == hashes.length ? 0 : low;
    }

    /**
     * Describes the ring's size.
     *
     * @return e.g. {@code Continuum[nodes=3, points=960]}
     */
    @Override
    public String toString() {
        return "Continuum[nodes=" + addresses.length + ", points=" + pointHashes.length + "]";
    }

    /** Maps node indexes to addresses. */
    private static final class Addresses implements Iterator<InetSocketAddress> {
        private final PrimitiveIterator.OfInt nodeIndexes;
        private final InetSocketAddress[] addresses;

        Addresses(PrimitiveIterator.OfInt nodeIndexes, InetSocketAddress[] addresses) {
            this.nodeIndexes = nodeIndexes;
            this.addresses = addresses;
        }

        @Override
        public boolean hasNext() {
            return nodeIndexes.hasNext();
        }

        @Override
        public InetSocketAddress next() {
            return addresses[nodeIndexes.nextInt()];
        }
    }
}
