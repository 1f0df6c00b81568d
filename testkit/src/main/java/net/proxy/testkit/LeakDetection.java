package net.proxy.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test when Netty reports a leaked reference-counted object.
 *
 * <p>On first use it sets Netty's leak detector to {@link ResourceLeakDetector.Level#PARANOID} (every
 * buffer tracked) and installs a detector factory that records each leak report. After every test it
 * forces a garbage collection, waits until the collector has processed references (it waits on a
 * sentinel reference, not on a clock), makes Netty poll its leak queue, and fails with the recorded
 * access points of every leaked buffer. After all tests of a class it checks once more, so a leak
 * made on an event loop after a test returned is still reported.
 *
 * <p>The factory is installed in this class's static initializer, so the extension must be
 * registered before the first Netty buffer of the JVM is allocated — true when every test class that
 * touches Netty is annotated with {@code @ExtendWith(LeakDetection.class)}.
 */
public final class LeakDetection implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();
    private static final long GC_WAIT_SECONDS = 10;

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    /** Creates the extension; JUnit does this for {@code @ExtendWith(LeakDetection.class)}. */
    public LeakDetection() {}

    @Override
    public void beforeAll(ExtensionContext context) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnLeaks(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnLeaks(context.getDisplayName() + " (after all tests)");
    }

    /**
     * Collects garbage, makes Netty report what it found, and returns the leak reports recorded since
     * the last call (clearing them).
     *
     * @return one entry per leak report: the resource type and the recorded access points
     */
    public static List<String> collectLeaks() {
        awaitReferenceProcessing();
        // Netty polls its reference queue when it tracks a new object: allocate one to trigger it
        // (a direct buffer: Netty does not track unpooled heap buffers).
        ByteBuf probe = Unpooled.directBuffer(1);
        probe.release();
        synchronized (LEAKS) {
            List<String> found = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return found;
        }
    }

    private static void failOnLeaks(String where) {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(
                    leaks.size() + " Netty leak(s) detected in " + where + ":\n" + String.join("\n----\n", leaks));
        }
    }

    /** Runs a GC and waits until a sentinel weak reference has been enqueued (so earlier ones were too). */
    private static void awaitReferenceProcessing() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GC_WAIT_SECONDS);
            while (System.nanoTime() < deadline) {
                System.gc();
                if (queue.remove(100) != null) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sentinel.clear();
        }
    }

    private static void record(String report) {
        synchronized (LEAKS) {
            LEAKS.add(report);
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        @SuppressWarnings("deprecation") // abstract in Netty 4.2; maxActive is ignored there as well
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return newResourceLeakDetector(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record(resourceType + " leaked; recent access records:" + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record(resourceType + " leaked (no access records)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
