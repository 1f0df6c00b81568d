package net.proxy.ketama;

import static net.proxy.ketama.Rings.address;
import static net.proxy.ketama.Rings.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
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

    /** Counts the keys whose server differs between the two rings, handing each move to {@code onMove}. */
    private static int movedKeys(
            List<Bucket> before, List<Bucket> after, BiConsumer<InetSocketAddress, InetSocketAddress> onMove) {
        Continuum old = Continuum.of(before);
        Continuum updated = Continuum.of(after);
        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            byte[] key = bytes("/object/" + k);
            InetSocketAddress was = old.node(key);
            InetSocketAddress now = updated.node(key);
            if (!was.equals(now)) {
                onMove.accept(was, now);
                moved++;
            }
        }
        return moved;
    }

    private static int totalWeight(List<Bucket> buckets) {
        return buckets.stream().mapToInt(Bucket::weight).sum();
    }

    /** About the changed server's share of the keys moves: within 30 % of its weight's share. */
    private static void assertMovedShare(int moved, double share) {
        assertTrue(
                Math.abs(moved / (double) KEYS - share) < share * 0.3,
                "moved " + moved + " of " + KEYS + ", expected about " + Math.round(share * KEYS));
    }

    @Test
    void addingAServerMovesOnlyKeysThatNowMapToIt() {
        List<Bucket> before = weighted(10);
        Bucket added = new Bucket(address("192.168.7.200", 8200), 2);
        List<Bucket> after = new ArrayList<>(before);
        after.add(5, added);
        int moved = movedKeys(
                before, after, (was, now) -> assertEquals(added.address(), now, "a moved key goes to the new server"));
        assertMovedShare(moved, added.weight() / (double) totalWeight(after));
    }

    @Test
    void removingAServerMovesOnlyItsKeys() {
        List<Bucket> before = weighted(10);
        Bucket removed = before.get(3);
        List<Bucket> after = new ArrayList<>(before);
        after.remove(removed);
        int moved = movedKeys(
                before,
                after,
                (was, now) -> assertEquals(removed.address(), was, "only the removed server's keys move"));
        assertMovedShare(moved, removed.weight() / (double) totalWeight(before));
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
            assertTrue(
                    Math.abs(hits[i] - expected) < expected * 0.2,
                    buckets.get(i) + " got " + hits[i] + ", expected about " + expected);
        }
    }
}
