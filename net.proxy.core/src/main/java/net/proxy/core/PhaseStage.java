package net.proxy.core;

import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * How the {@link Exchange} continues after an asynchronous phase: on its event loop, at once (without a task) when
 * the stage is already complete and the caller is on the loop, else as a task when the stage completes, whichever
 * thread completes it. Nothing runs once the request has finished; what the continuation throws fails the request.
 */
final class PhaseStage {
    private PhaseStage() {}

    /**
     * Continues with {@code stage}'s value in {@code next}, or its failure (wrapped) in {@code onError}, on
     * {@code loop}, unless {@code finished} says the request ended meanwhile; a throw goes to {@code fail}.
     */
    static <T> void await(
            EventLoop loop,
            CompletionStage<T> stage,
            Consumer<T> next,
            Consumer<ProxyError> onError,
            BooleanSupplier finished,
            Consumer<ProxyError> fail) {
        if (stage instanceof CompletableFuture && loop.inEventLoop()) {
            CompletableFuture<T> f = (CompletableFuture<T>) stage;
            if (f.isDone() && !f.isCompletedExceptionally()) {
                next.accept(f.getNow(null));
                return;
            }
        }
        stage.whenComplete((v, t) -> {
            Runnable continuation = () -> {
                if (finished.getAsBoolean()) {
                    return;
                }
                try {
                    if (t != null) {
                        onError.accept(ProxyError.wrap(t, ErrorSource.INTERNAL));
                    } else {
                        next.accept(v);
                    }
                } catch (Throwable thrown) {
                    fail.accept(ProxyError.wrap(thrown, ErrorSource.INTERNAL));
                }
            };
            if (loop.inEventLoop()) {
                continuation.run();
            } else {
                loop.execute(continuation);
            }
        });
    }
}
