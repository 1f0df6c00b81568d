package net.proxy.l4;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import net.proxy.timeout.TimerWheel;

/**
 * One {@link TimerWheel} per Netty event loop, driven by that loop: the loop advances its wheel once per tick
 * (default 10 ms), so a timer's task runs on the loop it was scheduled for, and scheduling or cancelling one costs
 * two uncontended atomic operations, with no hop to another thread. Connection, request and connect timeouts of
 * the connectors and the proxy engine run here.
 *
 * <p>Time comes from an injected ticker ({@link System#nanoTime()} by default): a test gives its own and moves it,
 * and the wheels fire what fell due at their next tick, with no wall-clock wait for the timeout itself.
 *
 * <pre>{@code
 * LoopTimers timers = LoopTimers.create();
 * Timeout idle = timers.wheel(channel.eventLoop()).schedule(channel::close, Duration.ofSeconds(60));
 * }</pre>
 */
public final class LoopTimers {
    private final LongSupplier ticker;
    private final Duration tick;
    private final Map<EventLoop, TimerWheel> wheels = new ConcurrentHashMap<>();

    private LoopTimers(LongSupplier ticker, Duration tick) {
        this.ticker = ticker;
        this.tick = tick;
    }

    /**
     * Wheels on {@link System#nanoTime()} with the default tick, 10 ms.
     *
     * @return new timers
     */
    public static LoopTimers create() {
        return create(System::nanoTime, TimerWheel.DEFAULT_TICK);
    }

    /**
     * Wheels on {@code ticker} with ticks of {@code tick}.
     *
     * @param ticker nanoseconds, monotonic
     * @param tick the wheels' resolution, {@code >= 1 ms}
     * @return new timers
     */
    public static LoopTimers create(LongSupplier ticker, Duration tick) {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(tick, "tick");
        if (tick.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("tick: " + tick + " (expected: >= PT0.001S)");
        }
        return new LoopTimers(ticker, tick);
    }

    /**
     * The wheel {@code loop} drives, made on first use (from any thread): its timers' tasks run on {@code loop}.
     *
     * @param loop an event loop
     * @return the loop's wheel
     */
    public TimerWheel wheel(EventLoop loop) {
        TimerWheel w = wheels.get(loop);
        return w != null ? w : wheels.computeIfAbsent(loop, this::drivenBy);
    }

    private TimerWheel drivenBy(EventLoop loop) {
        TimerWheel w = TimerWheel.builder()
                .driver(TimerWheel.Driver.EXTERNAL)
                .ticker(ticker)
                .tick(tick)
                .build();
        long nanos = tick.toNanos();
        loop.scheduleAtFixedRate(w::advance, nanos, nanos, TimeUnit.NANOSECONDS);
        try {
            loop.terminationFuture().addListener(f -> {
                wheels.remove(loop);
                w.close();
            });
        } catch (UnsupportedOperationException e) {
            // a loop that never terminates (Netty's EmbeddedEventLoop): its wheel lives as long as these timers
        }
        return w;
    }

    /**
     * The clock of these wheels.
     *
     * @return the ticker, nanoseconds
     */
    public LongSupplier ticker() {
        return ticker;
    }
}
