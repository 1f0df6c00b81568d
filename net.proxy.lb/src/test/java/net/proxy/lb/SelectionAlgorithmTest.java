package net.proxy.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.proxy.lb.spi.Selector;
import net.proxy.lb.spi.SelectorFactory;
import org.junit.jupiter.api.Test;

class SelectionAlgorithmTest {

    static Backend b(String hostPort, int weight) {
        return Backend.of(Backend.parseAddress(hostPort), weight);
    }

    static List<Backend> sorted(Backend... backends) {
        return new ArrayList<>(new TreeSet<>(List.of(backends)));
    }

    private static final List<SelectionAlgorithm> ALL = List.of(
            SelectionAlgorithm.roundRobin(),
            SelectionAlgorithm.random(),
            SelectionAlgorithm.fnvHash(),
            SelectionAlgorithm.ketama(),
            SelectionAlgorithm.leastConnections());

    @Test
    void smoothWeightedRoundRobinFollowsNginxSequence() {
        Backend a = b("10.0.0.1:80", 5);
        Backend bb = b("10.0.0.2:80", 1);
        Backend c = b("10.0.0.3:80", 1);
        Selector s = SelectionAlgorithm.roundRobin().selector(sorted(a, bb, c), i -> 0);
        List<Backend> got = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            got.add(s.select(new byte[0]).next());
        }
        assertEquals(List.of(a, a, bb, a, c, a, a, a, a, bb, a, c, a, a), got);
    }

    @Test
    void roundRobinDividesWeightsByTheirGcd() {
        Backend a = b("10.0.0.1:80", 200);
        Backend c = b("10.0.0.2:80", 100);
        Selector s = SelectionAlgorithm.roundRobin().selector(sorted(a, c), i -> 0);
        List<Backend> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.add(s.select(new byte[0]).next());
        }
        assertEquals(List.of(a, c, a), got);
    }

    @Test
    void fnvHashMatchesPingoraVector() {
        Backend b1 = b("1.0.0.1:80", 10);
        Backend b2 = b("1.0.0.255:80", 1);
        Backend b3 = b("1.1.1.1:80", 1);
        Selector s = SelectionAlgorithm.fnvHash().selector(sorted(b3, b1, b2), i -> 0);
        Candidates c = s.select("test".getBytes(StandardCharsets.UTF_8));
        assertEquals(b1, c.next());
        assertEquals(b3, c.next());
        assertEquals(b2, c.next());
        assertNull(c.next());
    }

    @Test
    void fnv1aOfKnownStrings() {
        assertEquals(0xcbf29ce484222325L, FnvHash.fnv1a(new byte[0]));
        assertEquals(0xaf63dc4c8601ec8cL, FnvHash.fnv1a("a".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void everyAlgorithmProposesEachBackendExactlyOnce() {
        List<Backend> backends = new ArrayList<>();
        for (int i = 1; i <= 70; i++) {
            backends.add(b("10.0.0." + i + ":80", 1 + i % 3));
        }
        List<Backend> list = sorted(backends.toArray(new Backend[0]));
        for (SelectionAlgorithm alg : ALL) {
            Selector s = alg.selector(list, i -> i % 5);
            for (int k = 0; k < 20; k++) {
                Candidates c = s.select(("key" + k).getBytes(StandardCharsets.UTF_8));
                Set<Backend> seen = new HashSet<>();
                Backend x;
                while ((x = c.next()) != null) {
                    assertTrue(seen.add(x), alg.name() + " repeated " + x);
                }
                assertEquals(70, seen.size(), alg.name());
            }
        }
    }

    @Test
    void ketamaPicksWhatTheContinuumPicksAndIsStableWhenABackendLeaves() {
        List<Backend> list = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            list.add(b("10.0.1." + i + ":11211", 1));
        }
        list = sorted(list.toArray(new Backend[0]));
        Selector s = SelectionAlgorithm.ketama().selector(list, i -> 0);
        net.proxy.ketama.Continuum c = net.proxy.ketama.Continuum.of(list.stream()
                .map(x -> new net.proxy.ketama.Bucket(x.address(), 1))
                .toList());
        List<Backend> smaller = new ArrayList<>(list);
        Backend removed = smaller.remove(2);
        Selector s2 = SelectionAlgorithm.ketama().selector(smaller, i -> 0);
        for (int k = 0; k < 500; k++) {
            byte[] key = ("user-" + k).getBytes(StandardCharsets.UTF_8);
            Candidates cand = s.select(key);
            Backend first = cand.next();
            assertEquals(c.node(key), first.address());
            Backend second = cand.next();
            Backend after = s2.select(key).next();
            assertEquals(first.equals(removed) ? second : first, after, "only keys of the removed backend move");
        }
    }

    @Test
    void emptySetGivesNoCandidates() {
        for (SelectionAlgorithm alg : ALL) {
            assertNull(alg.selector(List.of(), i -> 0).select(new byte[0]).next(), alg.name());
        }
    }

    @Test
    void weightedRandomFollowsWeights() {
        Backend heavy = b("10.0.0.1:80", 3);
        Backend light = b("10.0.0.2:80", 1);
        Selector s = SelectionAlgorithm.random().selector(sorted(heavy, light), i -> 0);
        int heavyCount = 0;
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            if (s.select(new byte[0]).next().equals(heavy)) {
                heavyCount++;
            }
        }
        double share = heavyCount / (double) n;
        assertTrue(share > 0.72 && share < 0.78, "heavy share " + share);
    }

    @Test
    void leastConnectionsPrefersTheLessLoadedBackend() {
        Backend busy = b("10.0.0.1:80", 1);
        Backend idle = b("10.0.0.2:80", 1);
        int[] active = {10, 2};
        Selector s = SelectionAlgorithm.leastConnections().selector(sorted(busy, idle), i -> active[i]);
        for (int i = 0; i < 100; i++) {
            Candidates c = s.select(new byte[0]);
            assertEquals(idle, c.next());
            assertEquals(busy, c.next());
        }
    }

    @Test
    void leastConnectionsAccountsForWeight() {
        Backend big = b("10.0.0.1:80", 10);
        Backend small = b("10.0.0.2:80", 1);
        int[] active = {5, 1};
        Selector s = SelectionAlgorithm.leastConnections().selector(sorted(big, small), i -> active[i]);
        assertEquals(big, s.select(new byte[0]).next());
    }

    @Test
    void leastConnectionsSpreadsUnderEqualLoad() {
        List<Backend> list = sorted(b("10.0.0.1:80", 1), b("10.0.0.2:80", 1), b("10.0.0.3:80", 1));
        Selector s = SelectionAlgorithm.leastConnections().selector(list, i -> 0);
        Map<Backend, Integer> counts = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            counts.merge(s.select(new byte[0]).next(), 1, Integer::sum);
        }
        assertEquals(3, counts.size());
    }

    @Test
    void namedAlgorithmsAndUnknownName() {
        assertEquals("round-robin", SelectionAlgorithm.named("round-robin").name());
        assertEquals("least-conn", SelectionAlgorithm.named("least-conn").name());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SelectionAlgorithm.named("fastest"));
        assertTrue(e.getMessage().startsWith("lb: fastest (expected: "), e.getMessage());
    }

    @Test
    void backendOrderingIsNumericAndEqualityIgnoresMetadata() {
        Backend x = b("1.0.0.255:80", 1);
        Backend y = b("1.0.0.3:80", 1);
        assertTrue(y.compareTo(x) < 0);
        assertEquals(x, x.withMetadata(Map.of("zone", "a")));
        assertThrows(IllegalArgumentException.class, () -> Backend.of(new InetSocketAddress("127.0.0.1", 1), 0));
        assertThrows(IllegalArgumentException.class, () -> Backend.parse("localhost"));
        assertEquals("[0:0:0:0:0:0:0:1]:8080", Backend.parse("[::1]:8080").toString());
    }

    @Test
    void anAlgorithmOfOneSOwnThroughTheSpi() {
        Backend x = b("10.0.0.1:80", 1);
        Backend y = b("10.0.0.2:80", 1);
        SelectorFactory lastFirst = (backends, active) -> key -> {
            List<Backend> reversed = new ArrayList<>(backends);
            java.util.Collections.reverse(reversed);
            Iterator<Backend> it = reversed.iterator();
            return () -> it.hasNext() ? it.next() : null;
        };
        SelectionAlgorithm alg = SelectionAlgorithm.of("last-first", false, lastFirst);
        assertEquals("last-first", alg.name());
        assertEquals("last-first", alg.toString());
        assertFalse(alg.loadAware());
        LoadBalancer lb =
                LoadBalancer.builder().backends(List.of(x, y)).selection(alg).build();
        Candidates c = lb.candidates(new byte[0]);
        assertEquals(y, c.next());
        assertEquals(x, c.next());
        assertNull(c.next());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SelectionAlgorithm.of("", false, lastFirst));
        assertEquals("name: \"\" (expected: a name)", e.getMessage());
        assertThrows(NullPointerException.class, () -> SelectionAlgorithm.of("x", false, null));
    }
}
