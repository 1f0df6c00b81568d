package net.proxy.timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FutureTimeoutTest {

    private final FakeTicker ticker = new FakeTicker();
    private final TimerWheel wheel = TimerWheel.builder()
            .driver(TimerWheel.Driver.EXTERNAL)
            .ticker(ticker)
            .build();

    @AfterEach
    void close() {
        wheel.close();
    }

    @Test
    void anAlreadyCompleteFutureArmsNoTimer() {
        CompletableFuture<String> done = CompletableFuture.completedFuture("ok");
        assertSame(done, wheel.orTimeout(done, Duration.ofSeconds(1)));
        assertTrue(wheel.noneSubmitted());
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException());
        assertSame(failed, wheel.orTimeout(failed, Duration.ofSeconds(1)));
        assertTrue(wheel.noneSubmitted());
    }

    @Test
    void anAlreadyCompleteFutureNeedsNoOpenWheel() {
        wheel.close();
        CompletableFuture<String> done = CompletableFuture.completedFuture("ok");
        assertSame(done, wheel.orTimeout(done, Duration.ofSeconds(1)));
        assertThrows(
                IllegalStateException.class, () -> wheel.orTimeout(new CompletableFuture<>(), Duration.ofSeconds(1)));
    }

    @Test
    void aLateFutureFailsWithAnExceptionNamingTheDuration() {
        CompletableFuture<String> late = wheel.orTimeout(new CompletableFuture<>(), Duration.ofMillis(250));
        assertFalse(wheel.noneSubmitted());
        wheel.advance();
        ticker.advance(Duration.ofMillis(240));
        wheel.advance();
        assertFalse(late.isDone());
        ticker.advance(Duration.ofMillis(10));
        wheel.advance();
        CompletionException thrown = assertThrows(CompletionException.class, late::join);
        TimeoutExceededException timeout = assertInstanceOf(TimeoutExceededException.class, thrown.getCause());
        assertInstanceOf(TimeoutException.class, timeout);
        assertEquals("timed out after 250 ms", timeout.getMessage());
        assertEquals(Duration.ofMillis(250), timeout.timeout());
        assertEquals(0, timeout.getStackTrace().length);
    }

    @Test
    void aFutureCompletingFirstDisarmsItsTimer() {
        CompletableFuture<String> future = wheel.orTimeout(new CompletableFuture<>(), Duration.ofMillis(100));
        wheel.advance();
        assertEquals(1, wheel.timersInWheel());
        future.complete("in time");
        wheel.advance();
        assertEquals(0, wheel.timersInWheel());
        ticker.advance(Duration.ofSeconds(1));
        wheel.advance();
        assertEquals("in time", future.join());
    }

    @Test
    void aStageIsBoundWithoutBeingTouched() {
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletionStage<String> stage = source.minimalCompletionStage();
        CompletableFuture<String> bounded = wheel.withTimeout(stage, Duration.ofMillis(50));
        wheel.advance();
        ticker.advance(Duration.ofMillis(50));
        wheel.advance();
        assertInstanceOf(
                TimeoutExceededException.class,
                assertThrows(CompletionException.class, bounded::join).getCause());
        assertFalse(source.isDone(), "the source stage is left alone");
    }

    @Test
    void aCompleteStageArmsNoTimerAndPassesItsOutcome() {
        CompletableFuture<String> bounded =
                wheel.withTimeout(CompletableFuture.completedStage("v"), Duration.ofMillis(50));
        assertTrue(wheel.noneSubmitted());
        assertEquals("v", bounded.join());
        IllegalStateException failure = new IllegalStateException("failed");
        CompletableFuture<String> failed =
                wheel.withTimeout(CompletableFuture.failedStage(failure), Duration.ofMillis(50));
        assertSame(
                failure, assertThrows(CompletionException.class, failed::join).getCause());
        assertTrue(wheel.noneSubmitted());
    }

    @Test
    void describesDurationsInTheirLargestWholeUnit() {
        assertEquals("timed out after 2 s", new TimeoutExceededException(Duration.ofSeconds(2)).getMessage());
        assertEquals("timed out after 1500 ms", new TimeoutExceededException(Duration.ofMillis(1500)).getMessage());
        assertEquals("timed out after 15 µs", new TimeoutExceededException(Duration.ofNanos(15_000)).getMessage());
        assertEquals("timed out after 7 ns", new TimeoutExceededException(Duration.ofNanos(7)).getMessage());
    }

    @Test
    void rejectsNegativeTimeouts() {
        assertEquals(
                "timeout: PT-1S (expected: >= 0)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> wheel.orTimeout(new CompletableFuture<>(), Duration.ofSeconds(-1)))
                        .getMessage());
    }
}
