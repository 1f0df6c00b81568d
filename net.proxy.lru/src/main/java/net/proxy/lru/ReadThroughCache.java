package net.proxy.lru;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A {@link MemoryCache} that fetches missing keys through a {@link Lookup} and runs at most one lookup per
 * key at a time, however many callers miss it together (a "cache lock" against thundering herds, after
 * Pingora's {@code RTCache}). Thread-safe and non-blocking: callers get a {@link CompletableFuture}, and no
 * thread ever waits for another's lookup.
 *
 * <ul>
 *   <li>A fresh entry answers {@code HIT} at once. On a miss, the first caller runs the lookup and gets
 *       {@code MISS} (or {@code EXPIRED} if an expired entry was replaced); callers that arrive while it
 *       runs get the same value as {@code LOCK_HIT}.
 *   <li>A failed lookup (exceptional stage, thrown exception, or null stage) fails the futures of the
 *       caller that ran it and of every caller waiting for it, with the same exception; nothing is cached,
 *       so the next caller tries again.
 *   <li>Wait timeout (default none): a waiter still waiting after it runs its own lookup, whose result it
 *       gets as {@code MISS} and which is not cached.
 *   <li>Lock age (default none): a lookup running for longer than this is presumed stuck. The next caller
 *       takes its place and runs a new lookup that others then wait for; if the stuck lookup ever ends,
 *       its waiters get its result but it is not cached.
 *   <li>{@link #getStale} serves an entry that expired at most {@code maxStale} ago as {@code STALE} and
 *       refreshes it in the background (stale-while-revalidate), sharing any lookup already running.
 * </ul>
 *
 * <p>Futures complete on the thread that completes the lookup (or the scheduler's thread for a timeout);
 * chain with {@code *Async} methods to move heavy work elsewhere.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ReadThroughCache<K, V> {
    /*
     * How it works. In-flight lookups live in a ConcurrentHashMap from key to Flight (the lookup's
     * future and its start time). A caller that misses creates a Flight and tries putIfAbsent: the winner
     * is the leader and starts the lookup; the others attach a callback to the leader's future. If the
     * existing Flight is older than the lock age, the caller replaces it (replace(key, old, new) - only one
     * caller can win) and leads a new lookup.
     *
     * When a lookup succeeds, the leader caches the value - only if its Flight is still the registered
     * one, so a superseded (stuck) lookup never overwrites a newer value - then removes its Flight
     * (remove(key, flight)), then completes the waiters. Caching before removal closes the window in which
     * a new caller would find neither a value nor a Flight and start a duplicate lookup. A failure removes
     * the Flight without caching anything and fails every waiter.
     *
     * Each waiter has its own future and an AtomicBoolean: the leader's completion and the wait timeout
     * race to claim it, and only the winner completes it, so a timed-out waiter runs exactly one private
     * lookup and never also takes the leader's result.
     *
     * Values are cached with forcePut (no TinyLFU admission), as Pingora does: a value someone just paid
     * a lookup for is worth keeping at least until the next eviction.
     *
     * [1] Cloudflare, "pingora-memory-cache" (RTCache),
     *     https://github.com/cloudflare/pingora/tree/main/pingora-memory-cache
     * [2] M. Nottingham, "HTTP Cache-Control Extensions for Stale Content" (stale-while-revalidate),
     *     RFC 5861, https://www.rfc-editor.org/rfc/rfc5861
     */

    private static final System.Logger LOG = System.getLogger(ReadThroughCache.class.getName());

    private final MemoryCache<K, V> cache;
    private final Lookup<K, V> lookup;
    private final ConcurrentHashMap<K, Flight<V>> flights = new ConcurrentHashMap<>();
    private final LongSupplier ticker;
    private final Duration defaultTtl;
    private final Duration waitTimeout;
    private final long lockAgeNanos;
    private final Scheduler scheduler;

    ReadThroughCache(ReadThroughCacheBuilder<?, ?> builder, Lookup<K, V> lookup) {
        this.lookup = lookup;
        this.ticker = builder.ticker;
        this.cache = new MemoryCache<>(builder.maximumSize, builder.ticker);
        this.defaultTtl = builder.defaultTtl;
        this.waitTimeout = builder.waitTimeout;
        this.lockAgeNanos = builder.lockAge == null ? 0 : Checks.saturatedNanos(builder.lockAge);
        this.scheduler = builder.scheduler;
    }

    /**
     * Returns a builder.
     *
     * @param lookup how to fetch a missing key
     * @param <K> the key type
     * @param <V> the value type
     * @return a new builder: maximum size 1024, default TTL none (values stay until evicted), no wait
     *     timeout, no lock age, {@link System#nanoTime()} ticker, {@link Scheduler#jdk()}
     */
    public static <K, V> ReadThroughCacheBuilder<K, V> builder(Lookup<K, V> lookup) {
        return new ReadThroughCacheBuilder<>(Objects.requireNonNull(lookup, "lookup"));
    }

    /**
     * Returns a key's value from the cache, or fetches it (once for all concurrent callers).
     *
     * @param key the key
     * @return a future of {@code HIT}, {@code MISS}, {@code EXPIRED} or {@code LOCK_HIT}, always with a
     *     value; it fails if the lookup fails
     */
    public CompletableFuture<CacheResult<V>> get(K key) {
        Objects.requireNonNull(key, "key");
        CacheResult<V> cached = cache.get(key);
        if (cached.status() == CacheStatus.HIT) {
            return CompletableFuture.completedFuture(cached);
        }
        return load(key, cached.status());
    }

    /**
     * Returns a key's value, serving an entry that expired at most {@code maxStale} ago at once as
     * {@code STALE} while a background lookup refreshes it (stale-while-revalidate); anything older, or
     * missing, is fetched as by {@link #get}. A failed background refresh is logged and leaves the stale
     * entry in place.
     *
     * @param key the key
     * @param maxStale how long after expiry an entry may still be served
     * @return a future of {@code HIT}, {@code STALE}, {@code MISS}, {@code EXPIRED} or {@code LOCK_HIT}
     */
    public CompletableFuture<CacheResult<V>> getStale(K key, Duration maxStale) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(maxStale, "maxStale");
        CacheResult<V> cached = cache.getStale(key);
        if (cached.status() == CacheStatus.HIT) {
            return CompletableFuture.completedFuture(cached);
        }
        if (cached.status() == CacheStatus.STALE) {
            if (cached.staleness().compareTo(maxStale) <= 0) {
                refresh(key);
                return CompletableFuture.completedFuture(cached);
            }
            return load(key, CacheStatus.EXPIRED);
        }
        return load(key, CacheStatus.MISS);
    }

    /**
     * Drops a key's cached value; a lookup already running is not affected.
     *
     * @param key the key
     * @return the value that was cached, or null
     */
    public V remove(K key) {
        return cache.remove(key);
    }

    /**
     * Returns the underlying memory cache, to inspect it or to put values directly.
     *
     * @return the memory cache
     */
    public MemoryCache<K, V> cache() {
        return cache;
    }

    private CompletableFuture<CacheResult<V>> load(K key, CacheStatus missStatus) {
        Flight<V> mine = new Flight<>(ticker.getAsLong());
        while (true) {
            Flight<V> current = flights.putIfAbsent(key, mine);
            if (current == null || (isStuck(current, mine.startedAt) && flights.replace(key, current, mine))) {
                lead(key, mine);
                return mine.future.thenApply(loaded -> CacheResult.of(loaded.value(), missStatus));
            }
            if (!isStuck(current, mine.startedAt)) {
                return await(key, current);
            }
        }
    }

    private void refresh(K key) {
        Flight<V> mine = new Flight<>(ticker.getAsLong());
        Flight<V> current = flights.putIfAbsent(key, mine);
        if (current == null || (isStuck(current, mine.startedAt) && flights.replace(key, current, mine))) {
            lead(key, mine);
            mine.future.whenComplete((loaded, failure) -> {
                if (failure != null) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "background refresh of cache key " + key + " failed",
                            unwrap(failure));
                }
            });
        }
    }

    private boolean isStuck(Flight<V> flight, long now) {
        return lockAgeNanos > 0 && now - flight.startedAt >= lockAgeNanos;
    }

    private void lead(K key, Flight<V> flight) {
        start(key).whenComplete((loaded, failure) -> {
            if (failure == null && flights.get(key) == flight) {
                cache.forcePut(key, loaded.value(), loaded.ttl() == null ? defaultTtl : loaded.ttl());
            }
            flights.remove(key, flight);
            if (failure == null) {
                flight.future.complete(loaded);
            } else {
                flight.future.completeExceptionally(unwrap(failure));
            }
        });
    }

    private CompletableFuture<CacheResult<V>> await(K key, Flight<V> flight) {
        CompletableFuture<CacheResult<V>> waiter = new CompletableFuture<>();
        AtomicBoolean claimed = new AtomicBoolean();
        flight.future.whenComplete((loaded, failure) -> {
            if (claimed.compareAndSet(false, true)) {
                if (failure == null) {
                    waiter.complete(CacheResult.of(loaded.value(), CacheStatus.LOCK_HIT));
                } else {
                    waiter.completeExceptionally(failure);
                }
            }
        });
        if (waitTimeout != null && !waiter.isDone()) {
            scheduler.schedule(waitTimeout, () -> {
                if (claimed.compareAndSet(false, true)) {
                    start(key).whenComplete((loaded, failure) -> {
                        if (failure == null) {
                            waiter.complete(CacheResult.of(loaded.value(), CacheStatus.MISS));
                        } else {
                            waiter.completeExceptionally(unwrap(failure));
                        }
                    });
                }
            });
        }
        return waiter;
    }

    /** Starts a lookup; a thrown exception or a null stage becomes a failed stage. */
    private CompletionStage<Loaded<V>> start(K key) {
        try {
            CompletionStage<Loaded<V>> stage = lookup.lookup(key);
            if (stage == null) {
                return CompletableFuture.failedFuture(
                        new NullPointerException("lookup returned a null stage for key " + key));
            }
            return stage.thenApply(loaded ->
                    Objects.requireNonNull(loaded, () -> "lookup completed with a null result for key " + key));
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** One lookup in progress: its outcome and when it started (ticker nanos). */
    private static final class Flight<V> {
        final CompletableFuture<Loaded<V>> future = new CompletableFuture<>();
        final long startedAt;

        Flight(long startedAt) {
            this.startedAt = startedAt;
        }
    }
}
