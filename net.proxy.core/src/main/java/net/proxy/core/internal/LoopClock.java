package net.proxy.core.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@link System#nanoTime()} of one event loop, read at most once per turn of the loop, as nginx caches its
 * time once per event-loop iteration: the first call in a turn reads the clock and the value is reused until the
 * loop has handled that turn's I/O events and tasks. A turn of a busy loop handles many events, each of which
 * needs the time (a request's start, an upstream read's activity, a connection going idle), so this saves a
 * clock read per event at the cost of timings that can lag by the length of one turn (microseconds when
 * idle, well under a millisecond at full load). Calls from other threads, and on loops that cannot run a task
 * after each turn, read the clock every time.
 */
public final class LoopClock {
    private final SingleThreadEventLoop loop;
    private final Runnable expire = this::expire;
    private long now;
    private boolean cached;

    /** A clock for {@code loop}; caching needs a {@link SingleThreadEventLoop} (Netty's own loops are). */
    public LoopClock(EventLoop loop) {
        this.loop = loop instanceof SingleThreadEventLoop s ? s : null;
    }

    /** The time of this turn of the loop, or now when called off the loop. */
    public long nanoTime() {
        if (loop == null || !loop.inEventLoop()) {
            return System.nanoTime();
        }
        if (!cached) {
            now = System.nanoTime();
            try {
                loop.executeAfterEventLoopIteration(expire);
                cached = true;
            } catch (RejectedExecutionException shutDown) {
                // a loop that has shut down runs no more turns: read the clock every time
            }
        }
        return now;
    }

    private void expire() {
        cached = false;
    }
}
