package net.proxy.lru;

/**
 * An intrusive doubly linked list of {@link Node}s, oldest first. Not thread-safe: the owner guards it.
 * Linking through the nodes themselves makes removal of any entry O(1) and costs no allocation.
 */
final class NodeList<K, V> {
    private Node<K, V> oldest;
    private Node<K, V> newest;
    private int size;

    int size() {
        return size;
    }

    Node<K, V> newest() {
        return newest;
    }

    void addNewest(Node<K, V> node) {
        node.prev = newest;
        node.next = null;
        if (newest == null) {
            oldest = node;
        } else {
            newest.next = node;
        }
        newest = node;
        size++;
    }

    void remove(Node<K, V> node) {
        Node<K, V> prev = node.prev;
        Node<K, V> next = node.next;
        if (prev == null) {
            oldest = next;
        } else {
            prev.next = next;
        }
        if (next == null) {
            newest = prev;
        } else {
            next.prev = prev;
        }
        node.prev = null;
        node.next = null;
        size--;
    }

    Node<K, V> pollOldest() {
        Node<K, V> node = oldest;
        if (node != null) {
            remove(node);
        }
        return node;
    }

    void moveToNewest(Node<K, V> node) {
        if (node != newest) {
            remove(node);
            addNewest(node);
        }
    }
}
