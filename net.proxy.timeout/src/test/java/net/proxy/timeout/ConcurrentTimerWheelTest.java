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
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ConcurrentTimerWheelTest {

    @Test
    void manyThreadsScheduleAndCancelWhileAnotherAdvances() throws Exception {
        FakeTicker ticker = new FakeTicker();
        TimerWheel wheel = TimerWheel.builder()
                .driver(TimerWheel.Driver.EXTERNAL)
                .ticker(ticker)
                .build();
        int threads = 4;
        int perThread = 20_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(threads * perThread);
        boolean[] cancelled = new boolean[threads * perThread];
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
                int first = t * perThread;
                producers.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    Timeout[] later = new Timeout[perThread];
                    for (int id = first; id < first + perThread; id++) {
                        int timer = id;
                        Timeout timeout = wheel.schedule(
                                () -> runs.incrementAndGet(timer), Duration.ofMillis(random.nextInt(200)));
                        int fate = random.nextInt(3);
                        if (fate == 0) {
                            cancelled[id] = timeout.cancel(); // at once: usually before it is placed
                        } else if (fate == 1) {
                            later[id - first] = timeout;
                        }
                    }
                    for (int i = 0; i < perThread; i++) {
                        if (later[i] != null) {
                            cancelled[first + i] = later[i].cancel(); // placed by now, or already run
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
        int cancels = 0;
        for (int id = 0; id < cancelled.length; id++) {
            assertEquals(cancelled[id] ? 0 : 1, runs.get(id), "runs of timer " + id);
            cancels += cancelled[id] ? 1 : 0;
        }
        assertTrue(cancels > threads * perThread / 4, "cancels: " + cancels);
        assertEquals(0, wheel.timersInWheel());
        wheel.close();
    }

    @Test
    void daemonThreadRunsTasksOnItsOwnThreadAfterTheirDeadline() throws Exception {
        String name = "timer-wheel-test-" + System.nanoTime();
        AtomicInteger failures = new AtomicInteger();
        TimerWheel wheel = TimerWheel.builder()
                .threadName(name)
                .uncaughtExceptionHandler((thread, failure) -> failures.incrementAndGet())
                .build();
        try {
            CountDownLatch fired = new CountDownLatch(2);
            List<String> threads = new ArrayList<>();
            long start = System.nanoTime();
            long[] elapsed = new long[1];
            wheel.schedule(
                    () -> {
                        throw new IllegalStateException("a failing task must not stop the wheel");
                    },
                    Duration.ofMillis(5));
            wheel.schedule(
                    () -> {
                        synchronized (threads) {
                            threads.add(Thread.currentThread().getName());
                        }
                        fired.countDown();
                    },
                    Duration.ofMillis(15));
            wheel.schedule(
                    () -> {
                        elapsed[0] = System.nanoTime() - start;
                        synchronized (threads) {
                            threads.add(Thread.currentThread().getName());
                        }
                        fired.countDown();
                    },
                    Duration.ofMillis(30));
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
