package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1 GiB through the proxy over HTTP/2 in each direction with a slow side, while heap and direct memory are sampled:
 * both stay flat, because windows open only as bytes leave the proxy and a slow client stops the proxy reading the
 * origin. curl is the HTTP/2 client; the origins are plain sockets in this JVM that stream without keeping bytes.
 */
@ExtendWith(LeakDetection.class)
class Http2LargeBodyTest {
    private static final long GIB = 1L << 30;
    /** Memory the proxy may use for one transfer beyond what it used before it: far below the 1 GiB it carries. */
    private static final long HEAP_BOUND = 96L << 20;

    private static final long DIRECT_BOUND = 32L << 20;

    @Test
    void downloadOfOneGibibyteToASlowClientKeepsMemoryFlat(@TempDir Path dir) throws Exception {
        Peers.require("curl");
        try (StreamingOrigin origin = StreamingOrigin.serving(GIB);
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())));
                MemoryWatch watch = new MemoryWatch()) {
            // the client reads at 64 MB/s, slower than the origin writes (about 190 MB/s through the proxy here)
            ProxyFixture.Curl c = ProxyFixture.curl(
                    "--max-time",
                    "120",
                    "--http2-prior-knowledge",
                    "--limit-rate",
                    "64M",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{size_download}",
                    f.url("/big"));
            assertEquals(0, c.exit(), c.err());
            assertEquals(String.valueOf(GIB), c.out());
            watch.assertFlat();
        }
    }

    @Test
    void uploadOfOneGibibyteToASlowOriginKeepsMemoryFlat(@TempDir Path dir) throws Exception {
        Peers.require("curl");
        Path file = dir.resolve("zeros.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(GIB); // sparse: costs no disk
        }
        // the origin reads at 64 MB/s, slower than curl sends (about 125 MB/s over h2 here)
        try (StreamingOrigin origin = StreamingOrigin.sinking(64L << 20);
                ProxyFixture f = new ProxyFixture(ProxyFixture.to(HttpPeer.of(origin.address())));
                MemoryWatch watch = new MemoryWatch()) {
            ProxyFixture.Curl c = ProxyFixture.curl(
                    "--max-time", "120", "--http2-prior-knowledge", "-T", file.toString(), f.url("/sink"));
            assertEquals(0, c.exit(), c.err());
            assertEquals("received " + GIB, c.out());
            watch.assertFlat();
        }
    }

    /** Samples used heap (after a collection) and direct memory on its own thread until closed. */
    private static final class MemoryWatch implements AutoCloseable {
        private final long heapBefore;
        private final long directBefore;
        private final AtomicLong heapMax = new AtomicLong();
        private final AtomicLong directMax = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        MemoryWatch() {
            System.gc();
            heapBefore = heapUsed();
            directBefore = directUsed();
            thread = new Thread(this::run, "memory-watch");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (running.get()) {
                System.gc();
                heapMax.accumulateAndGet(heapUsed(), Math::max);
                directMax.accumulateAndGet(directUsed(), Math::max);
                // a sampling period, not a wait for an event
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }

        private static long heapUsed() {
            Runtime rt = Runtime.getRuntime();
            return rt.totalMemory() - rt.freeMemory();
        }

        /** Direct memory in use: the JDK's direct buffers (the proxy's allocator) and Netty's own count. */
        private static long directUsed() {
            long nio = 0;
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    nio = pool.getMemoryUsed();
                }
            }
            return nio + Math.max(0, PlatformDependent.usedDirectMemory());
        }

        void assertFlat() {
            running.set(false);
            System.out.printf(
                    "heap grew by %d MiB, direct memory by %d MiB%n",
                    (heapMax.get() - heapBefore) >> 20, (directMax.get() - directBefore) >> 20);
            assertTrue(
                    heapMax.get() - heapBefore < HEAP_BOUND,
                    "heap grew by " + ((heapMax.get() - heapBefore) >> 20) + " MiB");
            assertTrue(
                    directMax.get() - directBefore < DIRECT_BOUND,
                    "direct memory grew by " + ((directMax.get() - directBefore) >> 20) + " MiB");
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An HTTP/1.1 origin on a plain socket: serves {@code size} bytes, or reads a body at a set rate. */
    private static final class StreamingOrigin implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        private final long size;
        private final long readRate;

        private StreamingOrigin(long size, long readRate) throws IOException {
            this.size = size;
            this.readRate = readRate;
            Thread t = new Thread(this::accept, "streaming-origin");
            t.setDaemon(true);
            t.start();
        }

        static StreamingOrigin serving(long size) throws IOException {
            return new StreamingOrigin(size, 0);
        }

        static StreamingOrigin sinking(long bytesPerSecond) throws IOException {
            return new StreamingOrigin(0, bytesPerSecond);
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> serve(s), "streaming-origin-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                String head = Origin.readHead(in);
                if (head == null) {
                    return;
                }
                head += "\r\n"; // every field line ends in CRLF, the last one too
                if (readRate == 0) {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    for (long left = size; left > 0; left -= chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, left));
                    }
                } else {
                    long received = readBody(in, head);
                    byte[] body = ("received " + received).getBytes(StandardCharsets.US_ASCII);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                }
                out.flush();
            } catch (IOException e) {
                // the proxy closed the connection
            }
        }

        /** Reads a Content-Length or chunked body at {@link #readRate}, keeping none of it; returns its length. */
        private long readBody(InputStream in, String head) throws IOException {
            String lower = head.toLowerCase(java.util.Locale.ROOT);
            byte[] buf = new byte[64 * 1024];
            long start = System.nanoTime();
            long total = 0;
            if (lower.contains("transfer-encoding: chunked")) {
                while (true) {
                    long n = Long.parseLong(readLine(in).trim(), 16);
                    if (n == 0) {
                        readLine(in);
                        return total;
                    }
                    total += skip(in, n, buf, start, total);
                    readLine(in);
                }
            }
            int at = lower.indexOf("content-length:");
            long length = Long.parseLong(
                    lower.substring(at + 15, lower.indexOf('\r', at)).trim());
            return skip(in, length, buf, start, 0);
        }

        private long skip(InputStream in, long n, byte[] buf, long start, long before) throws IOException {
            long done = 0;
            while (done < n) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    throw new IOException("body ended early");
                }
                done += r;
                // pace to readRate: the origin is the slow side of an upload
                long due = start + (before + done) * 1_000_000_000L / readRate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            return done;
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("line ended early");
                }
                sb.append((char) b);
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
