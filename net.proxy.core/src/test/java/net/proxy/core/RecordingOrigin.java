package net.proxy.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A blocking HTTP/1.1 origin for the HTTP/2 tests. It records every request head it reads, with the connection it
 * came on and whether its body arrived whole, so a test can assert that a malformed request reached it not at all, or
 * never complete; it counts the connections it accepted and the body bytes it read and wrote, so a test can watch
 * back-pressure. Its sockets have 64 KiB kernel buffers, so little hides in them.
 */
final class RecordingOrigin implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    /** A request as the origin saw it; {@code complete} when its whole body arrived. */
    record Seen(
            int connection,
            String method,
            String target,
            List<String> headers,
            byte[] body,
            boolean complete,
            List<String> trailers) {
        String header(String name) {
            for (String h : headers) {
                int c = h.indexOf(':');
                if (h.substring(0, c).trim().equalsIgnoreCase(name)) {
                    return h.substring(c + 1).trim();
                }
            }
            return null;
        }
    }

    /** Answers a request whose body was read whole. */
    interface Responder {
        void respond(Seen request, OutputStream out) throws IOException;
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    /** Request heads read, counted before their bodies are. */
    final AtomicInteger heads = new AtomicInteger();
    /** Connections that ended with the proxy closing them (the origin read the end of the stream, or a reset). */
    final AtomicInteger closedByPeer = new AtomicInteger();

    final AtomicLong bodyBytesRead = new AtomicLong();
    final AtomicLong bytesWritten = new AtomicLong();
    /** When set, the origin waits for it after a request head before reading the body. */
    volatile CountDownLatch bodyGate;
    /** The targets {@link #bodyGate} holds: those that start with it (all by default). */
    volatile String gatedPrefix = "";

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Responder responder;

    RecordingOrigin(Responder responder) throws IOException {
        this.responder = responder;
        this.server = new ServerSocket();
        server.setReceiveBufferSize(BUFFER);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        Thread t = new Thread(this::accept, "recording-origin");
        t.setDaemon(true);
        t.start();
    }

    /** An origin that answers every request 200 with {@code body}. */
    static RecordingOrigin answering(String body) throws IOException {
        return new RecordingOrigin((r, out) -> ok(out, body));
    }

    static void ok(OutputStream out, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    /** Waits for {@code release} (at most 30 s). */
    static void await(CountDownLatch release) throws IOException {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The byte at {@code i} of a {@link #large} body. */
    static byte pattern(long i) {
        return (byte) (i % 251);
    }

    /** Answers 200 with {@code size} bytes of {@link #pattern}, written 16 KiB at a time. */
    static void large(OutputStream out, long size) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[16 * 1024];
        for (long at = 0; at < size; ) {
            int n = (int) Math.min(chunk.length, size - at);
            for (int i = 0; i < n; i++) {
                chunk[i] = pattern(at + i);
            }
            out.write(chunk, 0, n);
            at += n;
        }
        out.flush();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** The requests whose bodies arrived whole. */
    List<Seen> complete() {
        return seen.stream().filter(Seen::complete).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setSendBufferSize(BUFFER);
                int id = connections.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s, id), "recording-origin-" + id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, int id) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = new CountingOutput(s.getOutputStream());
            while (true) {
                String head = Origin.readHead(in);
                if (head == null) {
                    closedByPeer.incrementAndGet();
                    return;
                }
                heads.incrementAndGet();
                String[] lines = head.split("\r\n");
                String[] start = lines[0].split(" ");
                List<String> headers = List.of(lines).subList(1, lines.length);
                Seen probe = new Seen(id, start[0], start[1], headers, new byte[0], false, List.of());
                CountDownLatch gate = bodyGate;
                if (gate != null && hasBody(probe) && probe.target().startsWith(gatedPrefix)) {
                    await(gate);
                }
                List<String> trailers = new ArrayList<>();
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                boolean complete = readBody(in, probe, body, trailers);
                Seen r = new Seen(id, start[0], start[1], headers, body.toByteArray(), complete, trailers);
                seen.add(r);
                if (!complete) {
                    closedByPeer.incrementAndGet();
                    return;
                }
                responder.respond(r, out);
                out.flush();
                String conn = r.header("Connection");
                if (conn != null && conn.toLowerCase(Locale.ROOT).contains("close")) {
                    return;
                }
            }
        } catch (IOException e) {
            closedByPeer.incrementAndGet(); // a reset, or a write to a connection the proxy closed
        }
    }

    private static boolean hasBody(Seen r) {
        return r.header("Content-Length") != null || r.header("Transfer-Encoding") != null;
    }

    /** Reads the body into {@code body}; false when the connection ended first. */
    private boolean readBody(InputStream in, Seen r, ByteArrayOutputStream body, List<String> trailers)
            throws IOException {
        String cl = r.header("Content-Length");
        if (cl != null) {
            return copy(in, body, Long.parseLong(cl));
        }
        String te = r.header("Transfer-Encoding");
        if (te == null || !te.toLowerCase(Locale.ROOT).contains("chunked")) {
            return true;
        }
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return false;
            }
            long size = Long.parseLong(line.split(";")[0].trim(), 16);
            if (size == 0) {
                String trailer;
                while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
                    trailers.add(trailer);
                }
                return trailer != null;
            }
            if (!copy(in, body, size) || readLine(in) == null) {
                return false;
            }
        }
    }

    private boolean copy(InputStream in, ByteArrayOutputStream body, long n) throws IOException {
        byte[] buf = new byte[16 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                return false;
            }
            bodyBytesRead.addAndGet(r);
            body.write(buf, 0, r);
            n -= r;
        }
        return true;
    }

    /** A CRLF-terminated line, or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return null;
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** Counts what the origin managed to write (a write returns once the kernel took the bytes). */
    private final class CountingOutput extends OutputStream {
        private final OutputStream out;

        CountingOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytesWritten.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytesWritten.addAndGet(len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
