package net.proxy.core.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One timer per connection, re-armed lazily: {@link #arm} only reschedules when the new deadline is earlier than
 * the one already scheduled, so pushing a deadline later (the common case: another request on a keep-alive
 * connection) costs nothing; when the timer fires, the owner recomputes its real deadline and arms again if it is
 * not due yet. Used on the connection's event loop only.
 */
public final class LazyTimer {
    private final EventExecutor loop;
    private final Runnable onFire;
    private ScheduledFuture<?> timer;
    private long timerAt;

    /** A timer on {@code loop} that runs {@code onFire} (after which it is disarmed). */
    public LazyTimer(EventExecutor loop, Runnable onFire) {
        this.loop = loop;
        this.onFire = onFire;
    }

    /** Makes sure the timer fires no later than {@code deadline} ({@link System#nanoTime()} base). */
    public void arm(long deadline) {
        if (timer != null && timerAt - deadline <= 0) {
            return;
        }
        cancel();
        timerAt = deadline;
        timer = loop.schedule(this::fire, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Disarms the timer. */
    public void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void fire() {
        timer = null;
        onFire.run();
    }
}
