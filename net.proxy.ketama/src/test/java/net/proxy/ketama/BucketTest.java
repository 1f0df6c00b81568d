package net.proxy.ketama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class BucketTest {

    @Test
    void rejectsZeroAndNegativeWeights() {
        InetSocketAddress address = new InetSocketAddress("10.0.0.1", 80);
        assertEquals(
                "weight: 0 (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> new Bucket(address, 0))
                        .getMessage());
        assertEquals(
                "weight: -3 (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> new Bucket(address, -3))
                        .getMessage());
    }

    @Test
    void rejectsWeightsBeyondTheRingLimit() {
        InetSocketAddress address = new InetSocketAddress("10.0.0.1", 80);
        assertEquals(
                "weight: 838861 (expected: <= 838860)",
                assertThrows(IllegalArgumentException.class, () -> new Bucket(address, Bucket.MAX_WEIGHT + 1))
                        .getMessage());
        assertEquals(Bucket.MAX_WEIGHT, new Bucket(address, Bucket.MAX_WEIGHT).weight());
    }

    @Test
    void rejectsUnresolvedAndNullAddresses() {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("backend.example", 443);
        assertEquals(
                "address: backend.example/<unresolved>:443 (expected: a resolved IP address; the ring"
                        + " hashes IP text)",
                assertThrows(IllegalArgumentException.class, () -> new Bucket(unresolved, 1))
                        .getMessage());
        assertEquals(
                "address",
                assertThrows(NullPointerException.class, () -> new Bucket(null, 1))
                        .getMessage());
    }

    @Test
    void ofMeansWeightOne() {
        InetSocketAddress address = new InetSocketAddress("::1", 80);
        assertEquals(new Bucket(address, 1), Bucket.of(address));
    }
}
