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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small blocking HTTP/1.1 origin for tests: keep-alive, Content-Length and chunked request bodies, a handler
 * that maps each request to raw response bytes. Records every request it saw.
 */
final class Origin implements AutoCloseable {
    /** A request as the origin saw it. */
    record Request(String method, String target, List<String> headers, byte[] body, List<String> trailers) {
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

    final ServerSocket server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    /** Connections the proxy closed (the origin read the end of its stream). */
    final AtomicInteger closedByPeer = new AtomicInteger();

    final List<Socket> sockets = new CopyOnWriteArrayList<>();
    volatile Function<Request, byte[]> handler;
    private volatile boolean dead;
    private final Thread acceptor;

    Origin(Function<Request, byte[]> handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "origin-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** An origin that answers 200 with {@code body}. */
    static Origin answering(String body) throws IOException {
        return new Origin(r -> ok(body));
    }

    /** A handler that waits for {@code release} (at most 20 s), then answers 200 with {@code body}. */
    static Function<Request, byte[]> hanging(java.util.concurrent.CountDownLatch release, String body) {
        return r -> {
            try {
                release.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(body);
        };
    }

    static byte[] ok(String body) {
        return response(200, body, "");
    }

    static byte[] response(int status, String body, String extraHeaders) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return ("HTTP/1.1 " + status + " X\r\nContent-Length: " + b.length + "\r\n" + extraHeaders + "\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                if (dead) {
                    s.setSoLinger(true, 0);
                    s.close();
                    continue;
                }
                connections.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "origin-conn");
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
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    closedByPeer.incrementAndGet();
                    return;
                }
                String[] lines = head.split("\r\n");
                String[] start = lines[0].split(" ");
                List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
                Request probe = new Request(start[0], start[1], headers, new byte[0], new ArrayList<>());
                String expect = probe.header("Expect");
                if (expect != null && expect.equalsIgnoreCase("100-continue")) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                byte[] body = readBody(in, probe);
                Request r = new Request(start[0], start[1], headers, body, probe.trailers());
                requests.add(r);
                byte[] resp = handler.apply(r);
                if (resp == null) {
                    return;
                }
                out.write(resp);
                out.flush();
                String text = new String(resp, StandardCharsets.ISO_8859_1);
                if (!text.contains("Content-Length") && !text.contains("chunked")) {
                    return;
                }
                String conn = r.header("Connection");
                if (conn != null && conn.toLowerCase(Locale.ROOT).contains("close")) {
                    return;
                }
            }
        } catch (IOException e) {
            // the connection ended
        }
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2))
                    ? state + 1
                    : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.substring(0, s.length() - 4);
            }
        }
        return null;
    }

    private static byte[] readBody(InputStream in, Request r) throws IOException {
        String cl = r.header("Content-Length");
        if (cl != null) {
            return in.readNBytes(Integer.parseInt(cl));
        }
        String te = r.header("Transfer-Encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String line = readLine(in);
                int size = Integer.parseInt(line.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    while (!(trailer = readLine(in)).isEmpty()) {
                        r.trailers().add(trailer);
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }
        return new byte[0];
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /**
     * The origin "dies": every connection is closed and each new one is reset as soon as it is accepted. The
     * listening socket stays open until {@link #close()}, so no other listener on this machine can take the port
     * over and answer in the dead origin's place.
     */
    void kill() throws IOException {
        dead = true;
        for (Socket s : sockets) {
            s.close();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        kill();
    }
}
