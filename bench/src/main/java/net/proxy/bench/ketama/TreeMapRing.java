package net.proxy.bench.ketama;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import net.proxy.ketama.Bucket;

/**
 * The peer: the ring as Java code usually writes it, one {@code TreeMap<Long, InetSocketAddress>} entry
 * per point and {@code ceilingEntry} with a wrap to {@code firstEntry}. It places the same points as
 * {@link net.proxy.ketama.Continuum} (nginx's CRC-32 chain, 160 per unit of weight, equal hashes kept by
 * the lowest address), so both answer every key alike; only the data structure differs. IPv4 only, which
 * is all the benchmark uses.
 */
final class TreeMapRing {

    private final TreeMap<Long, InetSocketAddress> points;

    private TreeMapRing(TreeMap<Long, InetSocketAddress> points) {
        this.points = points;
    }

    static TreeMapRing of(Collection<Bucket> buckets) {
        List<Bucket> byAddress = buckets.stream()
                .sorted(Comparator.comparing(
                                (Bucket b) -> b.address().getAddress().getAddress(), Arrays::compareUnsigned)
                        .thenComparingInt(b -> b.address().getPort()))
                .toList();
        TreeMap<Long, InetSocketAddress> points = new TreeMap<>();
        CRC32 crc = new CRC32();
        for (Bucket bucket : byAddress) {
            InetSocketAddress address = bucket.address();
            if (!(address.getAddress() instanceof Inet4Address)) {
                throw new IllegalArgumentException("address: " + address + " (expected: IPv4)");
            }
            byte[] base = (address.getAddress().getHostAddress() + '\0' + address.getPort())
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] previous = new byte[4];
            for (int k = 0; k < bucket.weight() * 160; k++) {
                crc.reset();
                crc.update(base);
                crc.update(previous);
                long hash = crc.getValue();
                points.putIfAbsent(hash, address);
                for (int i = 0; i < 4; i++) {
                    previous[i] = (byte) (hash >>> 8 * i);
                }
            }
        }
        return new TreeMapRing(points);
    }

    InetSocketAddress node(byte[] key) {
        if (points.isEmpty()) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(key, 0, key.length);
        Map.Entry<Long, InetSocketAddress> point = points.ceilingEntry(crc.getValue());
        return (point != null ? point : points.firstEntry()).getValue();
    }

    int points() {
        return points.size();
    }
}
