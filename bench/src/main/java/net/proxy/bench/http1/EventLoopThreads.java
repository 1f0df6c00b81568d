package net.proxy.bench.http1;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JMH's benchmark threads made {@link FastThreadLocalThread}s, as Netty's event-loop threads are, so Netty's
 * recycler pools the body slices both parsers produce (Netty 4.2 pools only on such threads; on a plain thread
 * every slice is a new object). Selected in the forked JVM by {@code -Djmh.executor=CUSTOM
 * -Djmh.executor.class=net.proxy.bench.http1.EventLoopThreads} (see {@link Http1ParseBenchmark}).
 */
public final class EventLoopThreads extends ThreadPoolExecutor {

    /**
     * Creates the pool JMH asks for.
     *
     * @param maxThreads the number of benchmark threads
     * @param prefix the thread name prefix
     */
    public EventLoopThreads(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), threads(prefix));
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new FastThreadLocalThread(task, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
