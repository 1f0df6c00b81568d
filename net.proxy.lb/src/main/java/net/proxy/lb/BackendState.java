package net.proxy.lb;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** Health and load of one backend; survives backend-set swaps for backends that stay. */
final class BackendState {
    /** Requests in flight (least-connections). */
    final AtomicInteger active = new AtomicInteger();
    /** Consecutive connect failures seen by the proxy (passive health). */
    final AtomicInteger passiveFailures = new AtomicInteger();
    /** Until when (ticker nanos) passive marking keeps the backend out; 0 = not marked. */
    volatile long passiveDownUntil;
    /** Active health as decided by the health check; starts healthy. */
    volatile boolean healthy = true;
    /** Enabled by the operator or the discovery; starts enabled. */
    volatile boolean enabled = true;
    /** Consecutive health-check results opposite to {@link #healthy}; guarded by the load balancer's health-round lock. */
    int flipCount;

    /** Whether the backend may be chosen; reads {@code ticker} only while the backend is passively marked. */
    boolean ready(LongSupplier ticker) {
        if (!enabled || !healthy) {
            return false;
        }
        long until = passiveDownUntil;
        return until == 0 || ticker.getAsLong() - until >= 0;
    }
}
