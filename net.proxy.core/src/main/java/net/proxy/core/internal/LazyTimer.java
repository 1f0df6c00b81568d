package net.proxy.core.internal;

import net.proxy.timeout.Timeout;
import net.proxy.timeout.TimerWheel;

/**
 * One timer per connection on its event loop's {@link TimerWheel}, re-armed lazily: {@link #arm} only reschedules
 * when the new deadline is earlier than the one already scheduled, so pushing a deadline later (the common case:
 * another request on a keep-alive connection) costs nothing; when the timer fires, the owner recomputes its real
 * deadline and arms again if it is not due yet. Used on the connection's event loop only, which drives the wheel,
 * so {@code onFire} runs there too.
 */
public final class LazyTimer {
    private final TimerWheel wheel;
    private final Runnable onFire;
    private final Runnable fire = this::fire;
    private Timeout timer;
    private long timerAt;

    /**
     * A timer on {@code wheel} that runs {@code onFire} (after which it is disarmed).
     *
     * @param wheel the wheel the connection's loop drives
     * @param onFire what to run when a deadline passed
     */
    public LazyTimer(TimerWheel wheel, Runnable onFire) {
        this.wheel = wheel;
        this.onFire = onFire;
    }

    /**
     * Makes sure the timer fires no later than {@code deadline}.
     *
     * @param deadline on the wheel's ticker
     */
    public void arm(long deadline) {
        if (timer != null && timerAt - deadline <= 0) {
            return;
        }
        cancel();
        timerAt = deadline;
        timer = wheel.scheduleAt(fire, deadline);
    }

    /** Disarms the timer. */
    public void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void fire() {
        timer = null;
        onFire.run();
    }
}
