package net.proxy.samples;

import java.util.concurrent.CountDownLatch;

/** Keeps a sample running until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes things. */
public final class Shutdown {
    private Shutdown() {}

    /**
     * Blocks until shutdown, then closes the resources in order.
     *
     * @param resources what to close (listeners first, transports last)
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public static void await(AutoCloseable... resources) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    for (AutoCloseable r : resources) {
                        try {
                            r.close();
                        } catch (Exception e) {
                            System.err.println("closing " + r + ": " + e);
                        }
                    }
                    stopped.countDown();
                },
                "net.proxy.samples.shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
    }
}
