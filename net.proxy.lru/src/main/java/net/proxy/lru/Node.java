package net.proxy.lru;

/**
 * One cached entry, linked into exactly one {@link NodeList} while it is cached.
 *
 * <p>{@code value} is volatile because {@link TinyUfo} readers fetch it without a lock, and {@code weight}
 * because its lock-free same-weight update checks it. {@code uses} is a
 * plain field: readers bump it racily (a lost increment only makes the entry look a little colder), and
 * writers read and decrement it under the owner's lock. Every other field is guarded by the owner's lock.
 */
final class Node<K, V> {
    final K key;
    volatile V value;
    volatile int weight;
    int uses;
    boolean inMain;
    Node<K, V> prev;
    Node<K, V> next;

    Node(K key, V value, int weight) {
        this.key = key;
        this.value = value;
        this.weight = weight;
    }

    WeightedEntry<K, V> toEntry() {
        return new WeightedEntry<>(key, value, weight);
    }
}
