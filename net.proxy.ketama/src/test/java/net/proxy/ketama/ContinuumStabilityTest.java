package net.proxy.ketama;

import static net.proxy.ketama.Rings.address;
import static net.proxy.ketama.Rings.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What consistent hashing promises: membership changes move only the keys they must. */
class ContinuumStabilityTest {

    private static final int KEYS = 20_000;

    private static List<Bucket> weighted(int count) {
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            buckets.add(new Bucket(address("192.168.7." + i, 8000 + i), 1 + i % 3));
        }
        return buckets;
    }

    @Test
    void addingAServerMovesOnlyKeysThatNowMapToIt() {
        List<Bucket> before = weighted(10);
        Bucket added = new Bucket(address("192.168.7.200", 8200), 2);
        List<Bucket> after = new ArrayList<>(before);
        after.add(5, added);
        Continuum old = Continuum.of(before);
        Continuum grown = Continuum.of(after);

        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            byte[] key = bytes("/object/" + k);
            InetSocketAddress was = old.node(key);
            InetSocketAddress now = grown.node(key);
            if (!was.equals(now)) {
                assertEquals(added.address(), now, "a moved key goes to the new server");
                moved++;
            }
        }
        double expectedShare = 2.0 / (20 + 2);
        assertTrue(Math.abs(moved / (double) KEYS - expectedShare) < expectedShare * 0.3,
                "moved " + moved + " of " + KEYS + ", expected about " + expectedShare * KEYS);
    }

    @Test
    void removingAServerMovesOnlyItsKeys() {
        List<Bucket> before = weighted(10);
        Bucket removed = before.get(3);
        List<Bucket> after = new ArrayList<>(before);
        after.remove(removed);
        Continuum old = Continuum.of(before);
        Continuum shrunk = Continuum.of(after);

        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            byte[] key = bytes("/object/" + k);
            InetSocketAddress was = old.node(key);
            InetSocketAddress now = shrunk.node(key);
            if (!was.equals(now)) {
                assertEquals(removed.address(), was, "only the removed server's keys move");
                moved++;
            } else {
                assertTrue(!was.equals(removed.address()));
            }
        }
        assertTrue(moved > 0);
    }

    @Test
    void removedServersKeysGoToTheirNextFailoverChoice() {
        List<Bucket> before = weighted(6);
        Bucket removed = before.get(2);
        List<Bucket> after = new ArrayList<>(before);
        after.remove(removed);
        Continuum old = Continuum.of(before);
        Continuum shrunk = Continuum.of(after);
        for (int k = 0; k < 2_000; k++) {
            byte[] key = bytes("/session/" + k);
            var order = old.failover(key);
            InetSocketAddress first = order.next();
            InetSocketAddress expected = first.equals(removed.address()) ? order.next() : first;
            assertEquals(expected, shrunk.node(key));
        }
    }

    @Test
    void sharesAreRoughlyProportionalToWeight() {
        List<Bucket> buckets = List.of(
                new Bucket(address("10.9.0.1", 80), 1), new Bucket(address("10.9.0.2", 80), 2),
                new Bucket(address("10.9.0.3", 80), 3), new Bucket(address("10.9.0.4", 80), 4));
        Continuum ring = Continuum.of(buckets);
        int keys = 100_000;
        int[] hits = new int[buckets.size()];
        for (int k = 0; k < keys; k++) {
            hits[ring.nodeIndex(bytes("user-" + k))]++;
        }
        for (int i = 0; i < hits.length; i++) {
            double expected = keys * buckets.get(i).weight() / 10.0;
            assertTrue(Math.abs(hits[i] - expected) < expected * 0.2,
                    buckets.get(i) + " got " + hits[i] + ", expected about " + expected);
        }
    }
}
