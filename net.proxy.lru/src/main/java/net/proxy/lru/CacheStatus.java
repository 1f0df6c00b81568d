package net.proxy.lru;

/** How a cache lookup was answered. */
public enum CacheStatus {
    /** The value was cached and fresh. */
    HIT("hit"),
    /** Nothing was cached for the key. */
    MISS("miss"),
    /** A value was cached but its time to live had passed; it was not returned. */
    EXPIRED("expired"),
    /** An expired value was returned on purpose; {@link CacheResult#staleness()} says for how long it had been expired. */
    STALE("stale"),
    /** The caller waited for another caller's lookup of the same key and got its result. */
    LOCK_HIT("lock_hit");

    private final String label;

    CacheStatus(String label) {
        this.label = label;
    }

    /**
     * Returns whether a value was served without this caller running a lookup: true for {@link #HIT},
     * {@link #STALE} and {@link #LOCK_HIT}.
     *
     * @return whether this status is a hit
     */
    public boolean isHit() {
        return this == HIT || this == STALE || this == LOCK_HIT;
    }

    /**
     * Returns the lower-case label for logs and headers: "hit", "miss", "expired", "stale" or "lock_hit".
     *
     * @return the label
     */
    public String label() {
        return label;
    }
}
