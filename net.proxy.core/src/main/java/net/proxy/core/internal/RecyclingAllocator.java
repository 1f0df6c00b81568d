package net.proxy.core.internal;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.Arrays;

/**
 * A direct-buffer allocator that keeps released buffers on a shelf of the event-loop thread that made them and
 * hands them out again: a proxy's buffers (a read, a head written out, a response sent) are made and released on
 * the same loop within one event, so most allocations are a pop from a per-thread stack and most releases a push,
 * with no lock or atomic operation beyond the buffer's own reference count. Netty's pooled allocators serve any
 * thread and size, and pay for it with a lock, recycler queues and free-lists on every buffer: about 3 % of the event loop's CPU time in a
 * profile of the proxy under load.
 *
 * <p>Sizes: a request for up to 64 KiB gets a buffer of the next power of two from 512 bytes (its capacity may
 * grow later like any unpooled buffer's; a grown buffer is freed, not kept). Larger requests, heap buffers and
 * requests from threads that are not Netty's {@link FastThreadLocalThread}s (which free their shelf when they
 * end) get plain unpooled buffers. A buffer released on another thread is freed. Each thread keeps at most
 * {@value #MAX_KEPT_BYTES} bytes on its shelf.
 */
public final class RecyclingAllocator extends AbstractByteBufAllocator {
    /** The shared instance. */
    public static final RecyclingAllocator INSTANCE = new RecyclingAllocator();

    private static final int MIN_SHIFT = 9;
    private static final int MAX_SHIFT = 16;
    private static final int MAX_KEPT_BYTES = 1 << 21;

    private final FastThreadLocal<Shelf> shelves = new FastThreadLocal<>() {
        @Override
        protected Shelf initialValue() {
            return new Shelf(Thread.currentThread());
        }

        @Override
        protected void onRemoval(Shelf shelf) {
            shelf.freeAll();
        }
    };

    private RecyclingAllocator() {
        super(true);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        int shift = Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(initialCapacity, 1) - 1));
        if (shift > MAX_SHIFT
                || 1 << shift > maxCapacity
                || !(Thread.currentThread() instanceof FastThreadLocalThread)) {
            return new UnpooledUnsafeDirectByteBuf(this, initialCapacity, maxCapacity);
        }
        Shelf shelf = shelves.get();
        Kept b = shelf.take(shift);
        if (b == null) {
            return new Kept(this, shelf, 1 << shift, maxCapacity);
        }
        b.reuse(maxCapacity);
        return b;
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    /** The free buffers of one thread, a stack per size. Used by its thread only. */
    private static final class Shelf {
        final Thread owner;
        final Kept[][] stacks = new Kept[MAX_SHIFT - MIN_SHIFT + 1][];
        final int[] counts = new int[MAX_SHIFT - MIN_SHIFT + 1];
        int keptBytes;

        Shelf(Thread owner) {
            this.owner = owner;
        }

        Kept take(int shift) {
            int c = shift - MIN_SHIFT;
            int n = counts[c];
            if (n == 0) {
                return null;
            }
            Kept b = stacks[c][--n];
            stacks[c][n] = null;
            counts[c] = n;
            keptBytes -= 1 << shift;
            return b;
        }

        boolean keep(Kept b) {
            int size = b.size;
            if (keptBytes + size > MAX_KEPT_BYTES) {
                return false;
            }
            int c = Integer.numberOfTrailingZeros(size) - MIN_SHIFT;
            Kept[] stack = stacks[c];
            if (stack == null) {
                stack = stacks[c] = new Kept[8];
            } else if (counts[c] == stack.length) {
                stack = stacks[c] = Arrays.copyOf(stack, stack.length * 2);
            }
            stack[counts[c]++] = b;
            keptBytes += size;
            return true;
        }

        void freeAll() {
            for (int c = 0; c < stacks.length; c++) {
                for (int i = 0; i < counts[c]; i++) {
                    stacks[c][i].free();
                    stacks[c][i] = null;
                }
                counts[c] = 0;
            }
            keptBytes = 0;
        }
    }

    /** A buffer that goes back on its shelf when released on its thread at its original size. */
    private static final class Kept extends UnpooledUnsafeDirectByteBuf {
        final Shelf shelf;
        final int size;

        Kept(ByteBufAllocator alloc, Shelf shelf, int size, int maxCapacity) {
            super(alloc, size, maxCapacity);
            this.shelf = shelf;
            this.size = size;
        }

        void reuse(int maxCapacity) {
            resetRefCnt();
            maxCapacity(maxCapacity);
            setIndex(0, 0);
            markReaderIndex();
            markWriterIndex();
        }

        @Override
        protected void deallocate() {
            if (capacity() != size || Thread.currentThread() != shelf.owner || !shelf.keep(this)) {
                super.deallocate();
            }
        }

        void free() {
            super.deallocate();
        }
    }
}
