package net.proxy.lru;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;

/**
 * One shard of an {@link Lru}: a hash map and a recency list under a {@link StampedLock}. Changes to the
 * shard's weight and size are applied to the cache-wide {@link LruTotals} under the same lock, so the
 * totals are exact whenever no write is in progress.
 */
final class LruShard<K, V> {
    private final StampedLock lock = new StampedLock();
    private final Map<K, Node<K, V>> map = new HashMap<>();
    private final NodeList<K, V> list = new NodeList<>();
    private final LruTotals totals;
    private long weight;

    LruShard(LruTotals totals) {
        this.totals = totals;
    }

    /** Inserts an entry, or replaces its value and weight; either way it becomes the most recent. */
    void admit(K key, V value, int weight) {
        long stamp = lock.writeLock();
        try {
            Node<K, V> node = map.get(key);
            if (node == null) {
                node = new Node<>(key, value, weight);
                map.put(key, node);
                list.addNewest(node);
                this.weight += weight;
                totals.added(weight);
                return;
            }
            long delta = weight - node.weight;
            node.value = value;
            node.weight = weight;
            list.moveToNewest(node);
            this.weight += delta;
            totals.reweighed(delta);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    boolean promote(K key) {
        long stamp = lock.writeLock();
        try {
            Node<K, V> node = map.get(key);
            if (node == null) {
                return false;
            }
            list.moveToNewest(node);
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * Looks at the {@code n} most recent entries under an optimistic read (no lock, no write); only if
     * the key is not among them does it take the write lock and promote.
     */
    boolean promoteTopN(K key, int n) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            boolean found = false;
            Node<K, V> node = list.newest();
            for (int i = 0; i < n && node != null; i++) {
                if (node.key.equals(key)) {
                    found = true;
                    break;
                }
                node = node.prev;
            }
            if (found && lock.validate(stamp)) {
                return true;
            }
        }
        return promote(key);
    }

    V peek(K key) {
        long stamp = lock.readLock();
        try {
            Node<K, V> node = map.get(key);
            return node == null ? null : node.value;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    Node<K, V> remove(K key) {
        long stamp = lock.writeLock();
        try {
            Node<K, V> node = map.remove(key);
            if (node != null) {
                list.remove(node);
                weight -= node.weight;
                totals.removed(node.weight, false);
            }
            return node;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Evicts the least recently used entry, or returns null if the shard is empty. */
    Node<K, V> evictOldest() {
        long stamp = lock.writeLock();
        try {
            Node<K, V> node = list.pollOldest();
            if (node != null) {
                map.remove(node.key);
                weight -= node.weight;
                totals.removed(node.weight, true);
            }
            return node;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    long weight() {
        long stamp = lock.readLock();
        try {
            return weight;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    int size() {
        long stamp = lock.readLock();
        try {
            return list.size();
        } finally {
            lock.unlockRead(stamp);
        }
    }
}
