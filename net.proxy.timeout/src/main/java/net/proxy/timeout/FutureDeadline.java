package net.proxy.timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The timer task of {@link TimerWheel#orTimeout}: fails the future when it runs, and is also the
 * completion callback that cancels the timer when the future completes first.
 */
final class FutureDeadline<T> implements Runnable, BiConsumer<T, Throwable> {

    private final CompletableFuture<T> future;
    private final Duration timeout;
    private volatile Timeout timer;

    FutureDeadline(CompletableFuture<T> future, Duration timeout) {
        this.future = future;
        this.timeout = timeout;
    }

    void armed(Timeout armed) {
        this.timer = armed;
    }

    @Override
    public void run() {
        if (!future.isDone()) {
            future.completeExceptionally(new TimeoutExceededException(timeout));
        }
    }

    @Override
    public void accept(T value, Throwable failure) {
        Timeout armed = timer;
        if (armed != null) {
            armed.cancel();
        }
    }
}
