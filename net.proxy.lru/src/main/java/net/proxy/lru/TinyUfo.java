package net.proxy.lru;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A weighted in-memory cache that evicts with S3-FIFO's small and main queues and admits new entries with
 * TinyLFU, after Pingora's TinyUFO. Thread-safe; {@link #get} takes no lock.
 *
 * <p>Limits: a total weight limit (at least 1); each entry weighs at least 1; the small queue holds about
 * 10 % of the weight limit ({@code floor(limit / 10) + 1}); a use counter per entry is capped at 3. Keys
 * and values are never null. Keys are stored as they are (not as hashes), so a hash collision never
 * returns another key's value; keys need sound {@code equals}/{@code hashCode}.
 *
 * <pre>{@code
 * TinyUfo<String, byte[]> cache = TinyUfo.builder().weightLimit(64 << 20).estimatedSize(10_000).build();
 * List<WeightedEntry<String, byte[]>> evicted = cache.put("k", body, body.length);
 * byte[] hit = cache.get("k");
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TinyUfo<K, V> {
    /*
     * How it works.
     *
     * Storage is a ConcurrentHashMap from key to Node. A read is one map lookup plus a racy, capped bump of
     * the node's use counter (0..3): once an entry is hot (3) reads stop writing to it, so hot keys shared
     * by many threads cause no cache-line traffic. Reads never touch the queues or the sketch.
     *
     * Writes (put, forcePut, remove and the evictions they trigger) hold one ReentrantLock per cache. They
     * are rare next to reads in a cache that works, and a single lock keeps the queue, weight and sketch
     * updates simple and exact. The map is updated under the lock too, so the map, the queues and the
     * weight totals always agree once the lock is released.
     *
     * One write takes no lock: replacing the value of a cached key with the same weight, which is like a
     * read (the use counter is bumped; the sketch is not counted). It writes the volatile value, then
     * checks that the weight is still the same and the node still mapped; if not - a concurrent locked
     * put changed the weight, or the entry was evicted or removed meanwhile - it redoes the put under the
     * lock. The locked path writes the weight before the value, so either the lock-free writer sees the new
     * weight and retries, or its value is overwritten by the locked put that follows it.
     *
     * Eviction is S3-FIFO [1]. A new entry enters the small FIFO queue (target 10 % of the weight) with
     * uses = 0. While the total weight is over the limit:
     *  - if the small queue is at or over its target, pop its oldest entry: with uses > 0 it was re-read
     *    while in probation and moves to the main queue (its counter reset to 0); otherwise it is evicted.
     *    This quickly drops the one-hit wonders that dominate real traces. (This is the paper's rule;
     *    Pingora promotes at uses > 1, which cost 1-2 points on flat Zipf traces in our simulator.)
     *  - otherwise pop the oldest main entry: with uses > 0 it is re-queued as the newest with uses - 1
     *    (CLOCK-like second chances, at most three); with uses = 0 it is evicted.
     *
     * Admission is TinyLFU [2] instead of S3-FIFO's ghost queue, as in Pingora's TinyUFO [3]. Every put
     * counts the key in a count-min sketch (CountMinSketch, 4-bit counters, halved every 10 × estimatedSize
     * counts). When a new key displaces exactly one victim, their estimated frequencies are compared; if
     * the victim's is higher or equal, the victim is put back as the newest entry of the queue it left and
     * the new entry is rejected (returned as "evicted"). Ties favour the resident entry, as in TinyLFU [2]
     * (Pingora admits on a tie, which turns a loop slightly larger than the cache into a 0 % hit ratio).
     * forcePut skips this comparison. Entries of different weights are not compared when one put evicts
     * several victims: the new entry is admitted.
     *
     * Frequency of reads: the sketch is not touched on reads (that would cost four counter updates per
     * read). Instead, when the main queue's sweep finds an entry with uses > 0 - i.e. it was read since the
     * last sweep - that read is credited to the sketch under the write lock. So the sketch still learns
     * which resident entries are popular and defends them against a burst of new keys.
     *
     * [1] J. Yang, Y. Zhang, Z. Qiu, Y. Yue, K. V. Rashmi, "FIFO queues are all you need for cache
     *     eviction", SOSP 2023, https://doi.org/10.1145/3600006.3613147
     * [2] G. Einziger, R. Friedman, B. Manes, "TinyLFU: A Highly Efficient Cache Admission Policy",
     *     ACM Transactions on Storage 13(4), 2017, https://doi.org/10.1145/3149371
     * [3] Cloudflare, "TinyUFO", https://github.com/cloudflare/pingora/tree/main/tinyufo
     */

    /** The cap of an entry's use counter. */
    static final int MAX_USES = 3;

    private final ConcurrentHashMap<K, Node<K, V>> map;
    private final ReentrantLock lock = new ReentrantLock();
    private final NodeList<K, V> small = new NodeList<>();
    private final NodeList<K, V> main = new NodeList<>();
    private final CountMinSketch sketch;
    private final long weightLimit;
    private final long smallLimit;
    private long smallWeight;
    private long mainWeight;
    private volatile long weight;

    TinyUfo(long weightLimit, int estimatedSize) {
        this.weightLimit = weightLimit;
        this.smallLimit = weightLimit / 10 + 1;
        this.map = new ConcurrentHashMap<>();
        this.sketch = new CountMinSketch(estimatedSize);
    }

    /**
     * Returns a builder.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @return a new builder with a weight limit of 1024 and an estimated size equal to the weight limit
     */
    public static <K, V> TinyUfoBuilder<K, V> builder() {
        return new TinyUfoBuilder<>();
    }

    /**
     * Returns the value cached for a key and counts the use; takes no lock.
     *
     * @param key the key
     * @return the value, or null if the key is not cached
     */
    public V get(K key) {
        Node<K, V> node = map.get(key);
        if (node == null) {
            return null;
        }
        countUse(node);
        return node.value;
    }

    /** Bumps the use counter up to its cap, racily: a lost increment only makes the entry look colder. */
    private static void countUse(Node<?, ?> node) {
        int uses = node.uses;
        if (uses < MAX_USES) {
            node.uses = uses + 1;
        }
    }

    /**
     * Returns the value cached for a key without counting a use; takes no lock.
     *
     * @param key the key
     * @return the value, or null if the key is not cached
     */
    public V peek(K key) {
        Node<K, V> node = map.get(key);
        return node == null ? null : node.value;
    }

    /**
     * Caches a value, or replaces the cached one, subject to TinyLFU admission, and evicts down to the
     * weight limit.
     *
     * @param key the key
     * @param value the value
     * @param weight the entry's weight, at least 1
     * @return the entries evicted to make room; it holds the new entry itself when admission rejected it or
     *     when it alone weighs more than the weight limit (a cached entry of that key is then dropped too)
     */
    public List<WeightedEntry<K, V>> put(K key, V value, int weight) {
        return put(key, value, weight, true);
    }

    /**
     * Caches a value like {@link #put} but skips the TinyLFU admission check, so a new entry always goes
     * in (unless it alone weighs more than the weight limit).
     *
     * @param key the key
     * @param value the value
     * @param weight the entry's weight, at least 1
     * @return the entries evicted to make room
     */
    public List<WeightedEntry<K, V>> forcePut(K key, V value, int weight) {
        return put(key, value, weight, false);
    }

    /**
     * Removes a key.
     *
     * @param key the key
     * @return the value that was cached, or null
     */
    public V remove(K key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            Node<K, V> node = map.remove(key);
            if (node == null) {
                return null;
            }
            unlink(node);
            publishWeight();
            return node.value;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the total weight of the cached entries.
     *
     * @return the weight, at most {@link #weightLimit()} once a put returns
     */
    public long weight() {
        return weight;
    }

    /**
     * Returns the number of cached entries.
     *
     * @return the entry count
     */
    public int size() {
        return map.size();
    }

    /**
     * Returns the weight limit this cache evicts down to.
     *
     * @return the weight limit
     */
    public long weightLimit() {
        return weightLimit;
    }

    /** The node of a cached key, or null; for tests. */
    Node<K, V> nodeOf(K key) {
        return map.get(key);
    }

    private List<WeightedEntry<K, V>> put(K key, V value, int weight, boolean admission) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Checks.atLeast("weight", weight, 1);
        Node<K, V> cached = map.get(key);
        if (cached != null && cached.weight == weight) {
            cached.value = value;
            countUse(cached);
            if (cached.weight == weight && map.get(key) == cached) {
                return List.of();
            }
        }
        int hash = key.hashCode();
        lock.lock();
        try {
            sketch.increment(hash);
            Node<K, V> existing = map.get(key);
            if (existing != null && weight > weightLimit) {
                map.remove(key, existing);
                unlink(existing);
                publishWeight();
                return List.of(new WeightedEntry<>(key, value, weight));
            }
            if (existing != null) {
                addQueueWeight(existing, weight - existing.weight);
                existing.weight = weight;
                existing.value = value;
                countUse(existing);
                return evictToLimit(0);
            }
            if (weight > weightLimit) {
                return List.of(new WeightedEntry<>(key, value, weight));
            }
            List<Node<K, V>> victims = evictToLimit(weight, new ArrayList<>(1));
            if (admission && victims.size() == 1) {
                Node<K, V> victim = victims.get(0);
                if (sketch.frequency(victim.key.hashCode()) >= sketch.frequency(hash)) {
                    link(victim);
                    publishWeight();
                    return List.of(new WeightedEntry<>(key, value, weight));
                }
            }
            unmap(victims);
            Node<K, V> node = new Node<>(key, value, weight);
            link(node);
            map.put(key, node);
            publishWeight();
            return toEntries(victims);
        } finally {
            lock.unlock();
        }
    }

    private List<WeightedEntry<K, V>> evictToLimit(long extraWeight) {
        List<Node<K, V>> victims = unmap(evictToLimit(extraWeight, new ArrayList<>(0)));
        publishWeight();
        return toEntries(victims);
    }

    /** Unlinks victims until {@code extraWeight} more fits; they stay in the map until {@link #unmap}. */
    private List<Node<K, V>> evictToLimit(long extraWeight, List<Node<K, V>> out) {
        while (smallWeight + mainWeight + extraWeight > weightLimit) {
            Node<K, V> victim = evictOne();
            if (victim == null) {
                break;
            }
            out.add(victim);
        }
        return out;
    }

    private List<Node<K, V>> unmap(List<Node<K, V>> victims) {
        for (Node<K, V> victim : victims) {
            map.remove(victim.key, victim);
        }
        return victims;
    }

    private Node<K, V> evictOne() {
        if (smallWeight >= smallLimit) {
            Node<K, V> node;
            while ((node = small.pollOldest()) != null) {
                smallWeight -= node.weight;
                if (node.uses > 0) {
                    node.uses = 0;
                    node.inMain = true;
                    main.addNewest(node);
                    mainWeight += node.weight;
                } else {
                    return node;
                }
            }
        }
        Node<K, V> node;
        while ((node = main.pollOldest()) != null) {
            int uses = node.uses;
            if (uses > 0) {
                node.uses = uses - 1;
                sketch.increment(node.key.hashCode());
                main.addNewest(node);
            } else {
                mainWeight -= node.weight;
                return node;
            }
        }
        node = small.pollOldest();
        if (node != null) {
            smallWeight -= node.weight;
        }
        return node;
    }

    private void link(Node<K, V> node) {
        if (node.inMain) {
            main.addNewest(node);
        } else {
            small.addNewest(node);
        }
        addQueueWeight(node, node.weight);
    }

    private void unlink(Node<K, V> node) {
        if (node.inMain) {
            main.remove(node);
        } else {
            small.remove(node);
        }
        addQueueWeight(node, -node.weight);
    }

    private void addQueueWeight(Node<K, V> node, long delta) {
        if (node.inMain) {
            mainWeight += delta;
        } else {
            smallWeight += delta;
        }
    }

    private void publishWeight() {
        weight = smallWeight + mainWeight;
    }

    private static <K, V> List<WeightedEntry<K, V>> toEntries(List<Node<K, V>> nodes) {
        if (nodes.isEmpty()) {
            return List.of();
        }
        List<WeightedEntry<K, V>> entries = new ArrayList<>(nodes.size());
        for (Node<K, V> node : nodes) {
            entries.add(node.toEntry());
        }
        return entries;
    }
}
