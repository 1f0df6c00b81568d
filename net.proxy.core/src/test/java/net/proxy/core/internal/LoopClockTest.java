package net.proxy.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopClockTest {
    @Test
    void readsTheClockOncePerTurnOfTheLoopAndEveryTimeOffIt() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoop loop = group.next();
            LoopClock clock = new LoopClock(loop);
            long[] first = loop.submit(() -> {
                long a = clock.nanoTime();
                long spinUntil = System.nanoTime() + 1_000_000;
                while (System.nanoTime() - spinUntil < 0) {
                    Thread.onSpinWait();
                }
                return new long[] {a, clock.nanoTime(), System.nanoTime()};
            }).get(10, TimeUnit.SECONDS);
            assertEquals(first[0], first[1], "one turn, one reading");
            assertTrue(first[2] - first[0] >= 1_000_000);

            CompletableFuture<Long> later = new CompletableFuture<>();
            loop.schedule(() -> later.complete(clock.nanoTime()), 1, TimeUnit.MILLISECONDS);
            assertTrue(later.get(10, TimeUnit.SECONDS) - first[2] > 0, "a later turn reads the clock again");

            long off = clock.nanoTime();
            while (System.nanoTime() == off) {
                Thread.onSpinWait();
            }
            assertTrue(clock.nanoTime() - off > 0, "off the loop every call reads the clock");
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }
}
