package net.proxy.ketama;

import static net.proxy.ketama.Rings.address;
import static net.proxy.ketama.Rings.bytes;
import static net.proxy.ketama.Rings.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Equal point hashes are settled by address, so any order of the same buckets builds the same ring. The
 * ring is checked point by point against a plain TreeMap model that inserts servers lowest address first
 * and keeps the first point of each hash.
 */
class ContinuumDeterminismTest {

    /** The IP literals of {@link #servers()}, in RFC 5952 form, which the model hashes as written. */
    private static final List<String> IPS = List.of(
            "10.0.0.9",
            "10.0.0.8",
            "10.0.0.7",
            "10.0.0.6",
            "10.0.0.5",
            "10.0.0.4",
            "10.0.0.3",
            "10.0.0.2",
            "10.0.0.1",
            "::1",
            "2001:db8::10");

    /**
     * 10.0.0.1..9:444 of weight 100 and two IPv6 servers of weight 7 (146,240 points): CRC-32 gives
     * 10.0.0.8 and 10.0.0.9 one equal point hash, 10.0.0.4 and 10.0.0.9 another, and 10.0.0.4 and
     * 2001:db8::10 a third.
     */
    private static List<Bucket> servers() {
        return IPS.stream()
                .map(ip -> new Bucket(address(ip, 444), ip.contains(":") ? 7 : 100))
                .toList();
    }

    @Test
    void equalPointHashesGoToTheLowerAddressWhateverTheOrder() {
        Model model = new Model(servers(), IPS);
        assertEquals(3, model.ties.size(), "ties between servers in this configuration");
        List<Bucket> reversed = new ArrayList<>(servers());
        Collections.reverse(reversed);
        for (Continuum ring : List.of(Continuum.of(servers()), Continuum.of(reversed))) {
            for (Tie tie : model.ties) {
                assertEquals(tie.keptAddress, ring.node(tie.pointInput), "the tied point's own input as key");
            }
        }
        assertEquals(
                List.of(address("10.0.0.8", 444), address("10.0.0.4", 444), address("10.0.0.4", 444)),
                model.ties.stream().map(tie -> tie.keptAddress).toList());
    }

    @Test
    void ringEqualsLowestAddressWinsModelPointByPoint() {
        List<Bucket> buckets = servers();
        Model model = new Model(buckets, IPS);
        Continuum ring = Continuum.of(buckets);
        assertEquals(model.points.size(), ring.points());
        assertEquals(146_240 - 3, ring.points());

        byte[] key = bytes("/start");
        long start = Continuum.hash(key) & 0xFFFFFFFFL;
        List<InetSocketAddress> expected =
                new ArrayList<>(model.points.tailMap(start, true).values());
        expected.addAll(model.points.headMap(start, false).values());
        assertEquals(expected, drain(ring.ringWalk(key)));
    }

    @Test
    void anyOrderOfTheSameBucketsBuildsTheSameRing() {
        List<Bucket> buckets = servers();
        Continuum reference = Continuum.of(buckets);
        List<InetSocketAddress> referenceLap = drain(reference.ringWalk(bytes("lap")));
        Random random = new Random(42);
        for (int round = 0; round < 4; round++) {
            List<Bucket> shuffled = new ArrayList<>(buckets);
            Collections.shuffle(shuffled, random);
            Continuum ring = Continuum.of(shuffled);
            assertEquals(referenceLap, drain(ring.ringWalk(bytes("lap"))));
            for (int k = 0; k < 5_000; k++) {
                byte[] key = bytes("/k/" + k);
                assertEquals(reference.node(key), ring.node(key));
            }
        }
    }

    @Test
    void lookupsMatchTheModelForRingsOfEverySize() {
        Random random = new Random(3);
        int wrapped = 0;
        for (int size : new int[] {1, 2, 3, 7, 50, 300}) {
            List<String> ips = new ArrayList<>();
            List<Bucket> buckets = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String ip = i % 4 == 3 ? "2001:db8::" + Integer.toHexString(i) : "172.16." + i / 200 + "." + i % 200;
                ips.add(ip);
                buckets.add(new Bucket(address(ip, 9000 + i % 5), 1 + random.nextInt(4)));
            }
            Model model = new Model(buckets, ips);
            Continuum ring = Continuum.of(buckets);
            assertEquals(model.points.size(), ring.points());
            for (int k = 0; k < 20_000; k++) {
                byte[] key = bytes(Long.toHexString(random.nextLong()) + "/" + k);
                long hash = Continuum.hash(key) & 0xFFFFFFFFL;
                var ceiling = model.points.ceilingEntry(hash);
                if (ceiling == null) {
                    wrapped++;
                    ceiling = model.points.firstEntry();
                }
                assertEquals(ceiling.getValue(), ring.node(key), "key hash " + Long.toHexString(hash));
            }
        }
        assertTrue(wrapped > 0, "some keys hash past the last point and wrap to the first");
    }

    /** A point hash two servers share: the input bytes of the later server's point, and who keeps it. */
    private record Tie(byte[] pointInput, InetSocketAddress keptAddress) {}

    /** The ring built the obvious way, independently of Continuum's packed arrays. */
    private static final class Model {
        final TreeMap<Long, InetSocketAddress> points = new TreeMap<>();
        final List<Tie> ties = new ArrayList<>();

        /** Builds the model of {@code buckets}, whose IP literals in RFC 5952 form are {@code ips}. */
        Model(List<Bucket> buckets, List<String> ips) {
            List<Bucket> byAddress = new ArrayList<>(buckets);
            byAddress.sort(
                    Comparator.comparing((Bucket b) -> b.address().getAddress().getAddress().length)
                            .thenComparing(b -> b.address().getAddress().getAddress(), Arrays::compareUnsigned)
                            .thenComparing(b -> b.address().getPort()));
            for (Bucket bucket : byAddress) {
                InetSocketAddress address = bucket.address();
                String ip = ips.get(buckets.indexOf(bucket));
                byte[] base = (ip + "\0" + address.getPort()).getBytes(StandardCharsets.US_ASCII);
                int previous = 0;
                for (int k = 0; k < bucket.weight() * 160; k++) {
                    byte[] input = ByteBuffer.allocate(base.length + 4)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .put(base)
                            .putInt(previous)
                            .array();
                    CRC32 crc = new CRC32();
                    crc.update(input);
                    previous = (int) crc.getValue();
                    InetSocketAddress kept = points.putIfAbsent(crc.getValue(), address);
                    if (kept != null) {
                        ties.add(new Tie(input, kept));
                    }
                }
            }
        }
    }
}
