/**
 * In-memory caches for a proxy: {@link net.proxy.lru.Lru} (sharded weighted LRU index),
 * {@link net.proxy.lru.TinyUfo} (S3-FIFO + TinyLFU, lock-free reads), {@link net.proxy.lru.MemoryCache}
 * (TTL and a {@link net.proxy.lru.CacheStatus} per lookup) and {@link net.proxy.lru.ReadThroughCache}
 * (one lookup per missing key, however many callers ask, with stale-while-revalidate).
 *
 * <pre>{@code
 * ReadThroughCache<String, Address> dns = ReadThroughCache.builder(
 *         (String host) -> resolver.resolve(host).thenApply(a -> Loaded.of(a, Duration.ofSeconds(30))))
 *     .maximumSize(10_000)
 *     .waitTimeout(Duration.ofSeconds(2))
 *     .build();
 * dns.get("example.com").thenAccept(r -> connect(r.value()));
 * }</pre>
 */
package net.proxy.lru;
