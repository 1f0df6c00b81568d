package net.proxy.timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConcurrentTimerWheelTest {

    @Test
    void manyThreadsScheduleAndCancelWhileAnotherAdvances() throws Exception {
        FakeTicker ticker = new FakeTicker();
        TimerWheel wheel = TimerWheel.builder().driver(TimerWheel.Driver.EXTERNAL).ticker(ticker).build();
        int threads = 4;
        int perThread = 20_000;
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger ranAfterCancel = new AtomicInteger();
        AtomicLong kept = new AtomicLong();
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            Future<?> driver = pool.submit(() -> {
                while (producing.get()) {
                    ticker.advance(Duration.ofMillis(1));
                    wheel.advance();
                }
            });
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                producers.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < perThread; i++) {
                        AtomicBoolean cancelled = new AtomicBoolean();
                        Timeout timeout = wheel.schedule(() -> {
                            ran.incrementAndGet();
                            if (cancelled.get()) {
                                ranAfterCancel.incrementAndGet();
                            }
                        }, Duration.ofMillis(random.nextInt(200)));
                        if (random.nextBoolean()) {
                            cancelled.set(true);
                            if (!timeout.cancel()) {
                                cancelled.set(false); // it already ran: that was legitimate
                                kept.incrementAndGet();
                            }
                        } else {
                            kept.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> producer : producers) {
                producer.get(60, TimeUnit.SECONDS);
            }
            producing.set(false);
            driver.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        wheel.advance();
        ticker.advance(Duration.ofSeconds(1));
        wheel.advance();
        assertEquals(kept.get(), ran.get(), "every kept timer ran exactly once");
        assertEquals(0, ranAfterCancel.get(), "no successfully cancelled timer ran");
        assertEquals(0, wheel.timersInWheel());
        wheel.close();
    }

    @Test
    void daemonThreadRunsTasksOnItsOwnThreadAfterTheirDeadline() throws Exception {
        String name = "timer-wheel-test-" + System.nanoTime();
        AtomicInteger failures = new AtomicInteger();
        TimerWheel wheel = TimerWheel.builder().threadName(name)
                .uncaughtExceptionHandler((thread, failure) -> failures.incrementAndGet()).build();
        try {
            CountDownLatch fired = new CountDownLatch(2);
            List<String> threads = new ArrayList<>();
            long start = System.nanoTime();
            long[] elapsed = new long[1];
            wheel.schedule(() -> {
                throw new IllegalStateException("a failing task must not stop the wheel");
            }, Duration.ofMillis(5));
            wheel.schedule(() -> {
                synchronized (threads) {
                    threads.add(Thread.currentThread().getName());
                }
                fired.countDown();
            }, Duration.ofMillis(15));
            wheel.schedule(() -> {
                elapsed[0] = System.nanoTime() - start;
                synchronized (threads) {
                    threads.add(Thread.currentThread().getName());
                }
                fired.countDown();
            }, Duration.ofMillis(30));
            assertTrue(fired.await(10, TimeUnit.SECONDS), "timers did not fire");
            assertTrue(elapsed[0] >= Duration.ofMillis(30).toNanos(), "fired early: " + elapsed[0]);
            assertEquals(List.of(name, name), threads);
            assertEquals(1, failures.get());
            assertTrue(isAlive(name));
        } finally {
            wheel.close();
        }
        assertFalse(isAlive(name), "close() stops the daemon thread");
    }

    private static boolean isAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(name) && t.isAlive() && t.isDaemon());
    }
}
