package net.proxy.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class RecyclingAllocatorTest {
    private static final RecyclingAllocator ALLOC = RecyclingAllocator.INSTANCE;
    private MultiThreadIoEventLoopGroup group;
    private EventLoop loop;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
    }

    @AfterEach
    void stop() throws Exception {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }

    /** The allocator's own buffer behind a leak detector's wrapper: object identity shows reuse (addresses do not:
     * freed memory is often handed out again by the C allocator). */
    private static ByteBuf own(ByteBuf b) {
        ByteBuf inner = b.unwrap();
        return inner != null ? inner : b;
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBufferReleasedOnItsLoopIsHandedOutAgainAsNew() throws Exception {
        onLoop(() -> {
            ByteBuf a = ALLOC.directBuffer(1000);
            assertEquals(1024, a.capacity(), "the next power of two");
            ByteBuf first = own(a);
            a.writeBytes(new byte[700]).readerIndex(100).markReaderIndex();
            a.release();
            ByteBuf b = ALLOC.directBuffer(600, 4096);
            assertSame(first, own(b), "the same buffer again");
            assertEquals(1, b.refCnt());
            assertEquals(0, b.readerIndex());
            assertEquals(0, b.writerIndex());
            assertEquals(4096, b.maxCapacity());
            b.writeByte(1).resetReaderIndex();
            assertEquals(0, b.readerIndex(), "no mark is left from the last use");
            b.release();
            return null;
        });
    }

    @Test
    void grownLargeForeignAndOffLoopBuffersAreFreedNotKept() throws Exception {
        onLoop(() -> {
            ByteBuf a = ALLOC.directBuffer(512);
            ByteBuf grown = own(a);
            a.writeBytes(new byte[5000]);
            a.release();
            ByteBuf b = ALLOC.directBuffer(512);
            assertNotSame(grown, own(b), "a grown buffer is not kept");
            b.release();
            return null;
        });

        ByteBuf foreign = onLoop(() -> ALLOC.directBuffer(2048));
        ByteBuf foreignOwn = own(foreign);
        foreign.release();
        onLoop(() -> {
            ByteBuf b = ALLOC.directBuffer(2048);
            assertNotSame(foreignOwn, own(b), "released on another thread: freed");
            b.release();
            assertNotKept(100_000, "over 64 KiB: never kept");
            return null;
        });
        assertNotKept(4096, "a thread that is not an event loop keeps nothing");
    }

    /** Allocates {@code size} bytes twice, releasing the first, and checks the second is another buffer. */
    private static void assertNotKept(int size, String why) {
        ByteBuf first = ALLOC.directBuffer(size);
        ByteBuf firstOwn = own(first);
        first.release();
        ByteBuf second = ALLOC.directBuffer(size);
        assertNotSame(firstOwn, own(second), why);
        second.release();
    }

    @Test
    void aLoopKeepsAtMostTwoMebibytes() throws Exception {
        int reused = onLoop(() -> {
            ByteBuf[] bufs = new ByteBuf[48];
            Set<ByteBuf> first = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < bufs.length; i++) {
                bufs[i] = ALLOC.directBuffer(65536);
                first.add(own(bufs[i]));
            }
            for (ByteBuf b : bufs) {
                b.release();
            }
            int same = 0;
            for (int i = 0; i < bufs.length; i++) {
                bufs[i] = ALLOC.directBuffer(65536);
                if (first.contains(own(bufs[i]))) {
                    same++;
                }
            }
            for (ByteBuf b : bufs) {
                b.release();
            }
            return same;
        });
        assertEquals(32, reused, "2 MiB of 64 KiB buffers");
        assertTrue(ALLOC.isDirectBufferPooled());
    }
}
