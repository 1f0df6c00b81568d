package net.proxy.ketama;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PrimitiveIterator;

/** Small helpers shared by the ketama tests. */
final class Rings {

    private Rings() {}

    /** An address from an IP literal (no name lookup). */
    static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    /** Buckets of weight 1 on {@code ip} at each port. */
    static List<Bucket> ports(String ip, int... ports) {
        List<Bucket> buckets = new ArrayList<>();
        for (int port : ports) {
            buckets.add(Bucket.of(address(ip, port)));
        }
        return buckets;
    }

    static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** The first {@code limit} ports of an address walk. */
    static List<Integer> walkPorts(Iterator<InetSocketAddress> walk, int limit) {
        List<Integer> ports = new ArrayList<>();
        while (walk.hasNext() && ports.size() < limit) {
            ports.add(walk.next().getPort());
        }
        return ports;
    }

    static List<InetSocketAddress> drain(Iterator<InetSocketAddress> walk) {
        List<InetSocketAddress> all = new ArrayList<>();
        walk.forEachRemaining(all::add);
        return all;
    }

    static List<Integer> drain(PrimitiveIterator.OfInt walk) {
        List<Integer> all = new ArrayList<>();
        walk.forEachRemaining((int index) -> all.add(index));
        return all;
    }
}
