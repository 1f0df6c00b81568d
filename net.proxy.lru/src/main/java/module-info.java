/**
 * In-memory caches: a sharded weighted {@link net.proxy.lru.Lru}, {@link net.proxy.lru.TinyUfo}
 * (S3-FIFO queues with TinyLFU admission), a TTL {@link net.proxy.lru.MemoryCache} and a
 * {@link net.proxy.lru.ReadThroughCache} that coalesces concurrent misses. Needs only {@code java.base}.
 */
module net.proxy.lru {
    exports net.proxy.lru;
}
