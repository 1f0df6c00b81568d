package net.proxy.ketama;

import static net.proxy.ketama.Rings.address;
import static net.proxy.ketama.Rings.bytes;
import static net.proxy.ketama.Rings.drain;
import static net.proxy.ketama.Rings.ports;
import static net.proxy.ketama.Rings.walkPorts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vectors of Pingora's pingora-ketama and pingora-load-balancing tests, and the API's contract. */
class ContinuumTest {

    @ParameterizedTest(name = "{0} -> :{1}")
    @CsvSource({
        "/some/path, 7778",
        "/some/longer/path, 7777",
        "/sad/zaidoon, 7778",
        "/g, 7777",
        "/pingora/team/is/cool/and/this/is/a/long/uri, 7778",
        "/i/am/not/confident/in/this/code, 7777",
    })
    void matchesNginxSampleOfTwoPorts(String uri, int port) {
        Continuum ring = Continuum.of(ports("127.0.0.1", 7777, 7778));
        assertEquals(address("127.0.0.1", port), ring.node(bytes(uri)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"some_key, 127.0.0.3", "another_key, 127.0.0.3", "last_key, 127.0.0.2"})
    void matchesPingoraCrateExampleWithWeights(String key, String ip) {
        Continuum ring = Continuum.of(List.of(
                new Bucket(address("127.0.0.1", 12345), 1),
                new Bucket(address("127.0.0.2", 12345), 2),
                new Bucket(address("127.0.0.3", 12345), 3)));
        assertEquals(address(ip, 12345), ring.node(bytes(key)));
    }

    @Test
    void keepsKeysWhenAHostIsAdded() {
        List<Bucket> ten = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ten.add(Bucket.of(address("127.0.0." + i, 6443)));
        }
        Continuum before = Continuum.of(ten);
        assertEquals(address("127.0.0.10", 6443), before.node(bytes("a")));
        assertEquals(address("127.0.0.5", 6443), before.node(bytes("b")));

        List<Bucket> eleven = new ArrayList<>(ten);
        eleven.add(Bucket.of(address("127.0.0.11", 6443)));
        Continuum after = Continuum.of(eleven);
        assertEquals(address("127.0.0.10", 6443), after.node(bytes("a")));
        assertEquals(address("127.0.0.5", 6443), after.node(bytes("b")));
    }

    @Test
    void ringWalkMatchesPingoraNodeIter() {
        Continuum ring = Continuum.of(ports("127.0.0.1", 7777, 7778, 7779));
        assertEquals(
                List.of(7778, 7779, 7779, 7777, 7777, 7778, 7778, 7779), walkPorts(ring.ringWalk(bytes("doghash")), 8));

        Continuum without7778 = Continuum.of(ports("127.0.0.1", 7777, 7779));
        assertEquals(List.of(7779, 7779, 7777, 7777, 7779), walkPorts(without7778.ringWalk(bytes("doghash")), 5));
    }

    @Test
    void ringWalkMatchesPingoraIpv6Ring() {
        Continuum ring = Continuum.of(ports("::1", 7777, 7778, 7779));
        assertEquals(List.of(7777, 7778, 7777, 7778, 7778, 7777, 7779), walkPorts(ring.ringWalk(bytes("doghash")), 7));
    }

    @Test
    void matchesPingoraConsistentSelectionAndItsRemovalOfABackend() {
        List<Bucket> three = List.of(
                Bucket.of(address("1.1.1.1", 80)),
                Bucket.of(address("1.0.0.1", 80)),
                Bucket.of(address("1.0.0.255", 80)));
        List<String> expected = List.of(
                "1.0.0.1",
                "1.1.1.1",
                "1.1.1.1",
                "1.1.1.1",
                "1.1.1.1",
                "1.0.0.255",
                "1.1.1.1",
                "1.0.0.255",
                "1.1.1.1",
                "1.0.0.1");
        Continuum ring = Continuum.of(three);
        for (int i = 0; i < 10; i++) {
            assertEquals(address(expected.get(i), 80), ring.node(bytes("test" + i)), "test" + i);
        }

        Continuum two = Continuum.of(three.subList(0, 2));
        List<String> afterRemoval = new ArrayList<>(expected);
        afterRemoval.set(5, "1.0.0.1");
        afterRemoval.set(7, "1.1.1.1");
        for (int i = 0; i < 10; i++) {
            assertEquals(address(afterRemoval.get(i), 80), two.node(bytes("test" + i)), "test" + i);
        }
    }

    @Test
    void failoverYieldsEachNodeOnceStartingWithThePick() {
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            buckets.add(new Bucket(address("10.1.0." + i, 8080), i));
        }
        Continuum ring = Continuum.of(buckets);
        for (int k = 0; k < 200; k++) {
            byte[] key = bytes("key-" + k);
            List<InetSocketAddress> order = drain(ring.failover(key));
            assertEquals(7, order.size());
            assertEquals(7, new HashSet<>(order).size());
            assertEquals(ring.node(key), order.get(0));
            List<InetSocketAddress> byIndex = new ArrayList<>();
            for (int index : drain(ring.failoverIndexes(key))) {
                byIndex.add(ring.address(index));
            }
            assertEquals(order, byIndex);
        }
    }

    @Test
    void failoverFollowsFirstAppearanceOnTheRawWalk() {
        Continuum ring = Continuum.of(ports("127.0.0.1", 7777, 7778, 7779));
        List<InetSocketAddress> firstSeen = new ArrayList<>();
        for (InetSocketAddress node : drain(ring.ringWalk(bytes("doghash")))) {
            if (!firstSeen.contains(node)) {
                firstSeen.add(node);
            }
        }
        assertEquals(firstSeen, drain(ring.failover(bytes("doghash"))));
        assertEquals(List.of(7778, 7779, 7777), walkPorts(ring.failover(bytes("doghash")), 3));
    }

    @Test
    void ringWalkVisitsEveryPointOnce() {
        Continuum ring =
                Continuum.of(List.of(new Bucket(address("10.0.0.1", 1), 1), new Bucket(address("10.0.0.2", 1), 3)));
        List<InetSocketAddress> lap = drain(ring.ringWalk(bytes("anything")));
        assertEquals(ring.points(), lap.size());
        long dropped = 4 * 160 - ring.points();
        long ofFirst = lap.stream().filter(address("10.0.0.1", 1)::equals).count();
        assertTrue(ofFirst <= 160 && ofFirst >= 160 - dropped, "points of 10.0.0.1: " + ofFirst);
    }

    @Test
    void emptyContinuumReturnsNullAndEmptyWalks() {
        Continuum ring = Continuum.of(List.of());
        assertNull(ring.node(bytes("x")));
        assertEquals(-1, ring.nodeIndex(bytes("x")));
        assertEquals(0, ring.points());
        assertTrue(ring.nodes().isEmpty());
        assertFalse(ring.ringWalk(bytes("x")).hasNext());
        assertFalse(ring.failover(bytes("x")).hasNext());
        assertThrows(
                NoSuchElementException.class,
                () -> ring.failoverIndexes(bytes("x")).nextInt());
        assertEquals("Continuum[nodes=0, points=0]", ring.toString());
    }

    @Test
    void singleNodeTakesEveryKey() {
        InetSocketAddress only = address("192.0.2.10", 443);
        Continuum ring = Continuum.of(List.of(new Bucket(only, 2)));
        assertEquals(320, ring.points());
        for (int k = 0; k < 100; k++) {
            assertSame(only, ring.node(bytes("k" + k)));
        }
        assertEquals(List.of(only), drain(ring.failover(bytes("k"))));
    }

    @Test
    void nodeIndexesFollowInputOrder() {
        List<Bucket> buckets = ports("10.0.0.9", 3, 1, 2);
        Continuum ring = Continuum.of(buckets);
        assertEquals(List.of(address("10.0.0.9", 3), address("10.0.0.9", 1), address("10.0.0.9", 2)), ring.nodes());
        for (int k = 0; k < 50; k++) {
            byte[] key = bytes("/" + k);
            assertEquals(ring.node(key), ring.address(ring.nodeIndex(key)));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> ring.address(3));
        assertThrows(UnsupportedOperationException.class, () -> ring.nodes().clear());
    }

    @Test
    void hashIsCrc32OfTheKey() {
        CRC32 crc = new CRC32();
        crc.update(bytes("/some/path"));
        assertEquals((int) crc.getValue(), Continuum.hash(bytes("/some/path")));
        assertEquals(0, Continuum.hash(new byte[0]));
        assertEquals(0xCBF43926, Continuum.hash(bytes("123456789")), "the CRC-32/ISO-HDLC check value");
    }

    @Test
    void rejectsDuplicateAddresses() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Continuum.of(List.of(
                        Bucket.of(address("10.0.0.1", 80)),
                        Bucket.of(address("10.0.0.2", 80)),
                        new Bucket(address("10.0.0.1", 80), 3))));
        assertEquals(
                "buckets: /10.0.0.1:80 appears twice (expected: each address once; give it a larger"
                        + " weight instead)",
                e.getMessage());
    }

    @Test
    void rejectsNullsAndTooManyPoints() {
        assertThrows(NullPointerException.class, () -> Continuum.of(null));
        List<Bucket> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> Continuum.of(withNull));
        List<Bucket> heavy =
                List.of(new Bucket(address("10.0.0.1", 1), Bucket.MAX_WEIGHT), Bucket.of(address("10.0.0.2", 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Continuum.of(heavy));
        assertEquals(
                "points: 134217760 (expected: <= 134217728; the weights add up to more than 838860)", e.getMessage());
        Continuum ring = Continuum.of(ports("10.0.0.1", 1));
        assertThrows(NullPointerException.class, () -> ring.node(null));
    }

    @Test
    void rejectsMoreThanMaxNodes() {
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i <= Continuum.MAX_NODES; i++) {
            buckets.add(Bucket.of(address("10." + (i >>> 16) + "." + (i >>> 8 & 255) + "." + (i & 255), 80)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Continuum.of(buckets));
        assertEquals("buckets: 65537 (expected: <= 65536)", e.getMessage());
    }

    @Test
    void acceptsMaxNodes() {
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < Continuum.MAX_NODES; i++) {
            buckets.add(Bucket.of(address("10." + (i >>> 16) + "." + (i >>> 8 & 255) + "." + (i & 255), 80)));
        }
        Continuum ring = Continuum.of(buckets);
        Set<Integer> picked = new HashSet<>();
        for (int k = 0; k < 1000; k++) {
            picked.add(ring.nodeIndex(bytes("k" + k)));
        }
        assertTrue(
                picked.stream().anyMatch(index -> index > Short.MAX_VALUE), "node indexes use all 16 bits, unsigned");
        assertEquals(
                Continuum.MAX_NODES, drain(ring.failoverIndexes(bytes("x"))).size());
    }
}
