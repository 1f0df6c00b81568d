package net.proxy.timeout;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Builds a {@link TimerWheel}. Defaults: tick 10 ms, 512 slots, driven by its own daemon thread named
 * {@code "timer-wheel"}, {@code System::nanoTime}, failures of tasks logged through
 * {@link System.Logger} {@code "net.proxy.timeout"} at {@code WARNING}.
 */
public final class TimerWheelBuilder {

    /** The longest tick accepted: one hour. */
    static final Duration MAX_TICK = Duration.ofHours(1);
    /** The most slots accepted: 2<sup>20</sup>. */
    static final int MAX_SLOTS = 1 << 20;

    Duration tick = TimerWheel.DEFAULT_TICK;
    int slots = TimerWheel.DEFAULT_SLOTS;
    TimerWheel.Driver driver = TimerWheel.Driver.DAEMON_THREAD;
    String threadName = "timer-wheel";
    LongSupplier ticker = System::nanoTime;
    Thread.UncaughtExceptionHandler failureHandler;

    TimerWheelBuilder() {}

    /**
     * The resolution: deadlines are rounded up to a multiple of it (default 10 ms, as Pingora).
     *
     * @param tick in {@code (0, 1 h]}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public TimerWheelBuilder tick(Duration tick) {
        Objects.requireNonNull(tick, "tick");
        if (tick.isNegative() || tick.isZero() || tick.compareTo(MAX_TICK) > 0) {
            throw new IllegalArgumentException("tick: " + tick + " (expected: in (0, " + MAX_TICK + "])");
        }
        this.tick = tick;
        return this;
    }

    /**
     * Slots of the wheel (default 512: one revolution is 5.12 s at 10 ms). Timers beyond one revolution
     * cost nothing extra per tick, only a sorted insert among the deadlines sharing their slot.
     *
     * @param slots a power of two in {@code [1, 1048576]}
     * @return this builder
     * @throws IllegalArgumentException if not a power of two in range
     */
    public TimerWheelBuilder slots(int slots) {
        if (slots < 1 || slots > MAX_SLOTS || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException(
                    "slots: " + slots + " (expected: a power of two in [1, " + MAX_SLOTS + "])");
        }
        this.slots = slots;
        return this;
    }

    /**
     * Who calls {@link TimerWheel#advance()}: the wheel's own daemon thread (default), or the caller.
     *
     * @param driver the driver
     * @return this builder
     */
    public TimerWheelBuilder driver(TimerWheel.Driver driver) {
        this.driver = Objects.requireNonNull(driver, "driver");
        return this;
    }

    /**
     * The name of the daemon thread (default {@code "timer-wheel"}); ignored for
     * {@link TimerWheel.Driver#EXTERNAL}.
     *
     * @param threadName a thread name
     * @return this builder
     */
    public TimerWheelBuilder threadName(String threadName) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        return this;
    }

    /**
     * The source of monotonic time in nanoseconds (default {@code System::nanoTime}).
     *
     * @param ticker a nanosecond clock
     * @return this builder
     */
    public TimerWheelBuilder ticker(LongSupplier ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Receives what a task throws, with the driving thread (default: a {@code WARNING} on
     * {@link System.Logger} {@code "net.proxy.timeout"}). The wheel keeps running either way.
     *
     * @param handler the handler
     * @return this builder
     */
    public TimerWheelBuilder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        this.failureHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Builds the wheel and, for {@link TimerWheel.Driver#DAEMON_THREAD}, starts its thread.
     *
     * @return a running wheel; close it to stop it
     */
    public TimerWheel build() {
        return new TimerWheel(this);
    }
}
