package net.proxy.core;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The request body pieces an {@link Exchange} holds: chunks that arrived before the upstream connection was ready
 * ("waiting", owned), and the retry buffer, retained views of every chunk while the body fits in 64 KiB
 * (Pingora's {@code BODY_BUF_LIMIT}); past that the retry buffer is dropped and marked truncated. Both are
 * allocated only when a body arrives. Used on one event loop.
 */
final class RequestBodyBuffer {
    /** The retry buffer's capacity: 64 KiB. */
    static final int RETRY_LIMIT = 64 * 1024;
    /** Waiting bytes past which the engine stops reading the client: 64 KiB. */
    static final int WAITING_LIMIT = 64 * 1024;

    /** Receives chunks to send, with whether each is the last of the body. */
    @FunctionalInterface
    interface Sink {
        void send(ByteBuf chunk, boolean last);
    }

    private ArrayDeque<ByteBuf> waiting;
    private int waitingBytes;
    private List<ByteBuf> retry;
    private int retryBytes;
    private boolean truncated;

    /** Keeps a retained view of {@code data} for retries while the body fits. */
    void remember(ByteBuf data) {
        int n = data.readableBytes();
        if (truncated || n == 0) {
            return;
        }
        if (retryBytes + n <= RETRY_LIMIT) {
            if (retry == null) {
                retry = new ArrayList<>(4);
            }
            retry.add(data.retainedDuplicate());
            retryBytes += n;
        } else {
            truncated = true;
            releaseRetry();
        }
    }

    /** Holds {@code data} (ownership passes) until the upstream is ready; returns whether reading should pause. */
    boolean hold(ByteBuf data) {
        if (waiting == null) {
            waiting = new ArrayDeque<>(4);
        }
        waiting.addLast(data);
        waitingBytes += data.readableBytes();
        return waitingBytes >= WAITING_LIMIT;
    }

    /** Whether the body outgrew the retry buffer. */
    boolean truncated() {
        return truncated;
    }

    /** Sends the held chunks in order (the last one flagged if {@code ended}) and forgets them. */
    void sendHeld(Sink sink, boolean ended) {
        if (waiting != null) {
            ByteBuf chunk;
            while ((chunk = waiting.pollFirst()) != null) {
                sink.send(chunk, ended && waiting.isEmpty());
            }
        }
        waitingBytes = 0;
    }

    /**
     * For a retry: drops the held chunks (the retry buffer has them all) and sends the whole body received so far
     * again, as new views; returns whether anything was sent.
     */
    boolean replay(Sink sink, boolean ended) {
        releaseHeld();
        if (retry == null || retry.isEmpty()) {
            return false;
        }
        int n = retry.size();
        for (int i = 0; i < n; i++) {
            sink.send(retry.get(i).retainedDuplicate(), ended && i == n - 1);
        }
        return true;
    }

    /** Releases everything. */
    void release() {
        releaseHeld();
        releaseRetry();
    }

    private void releaseHeld() {
        if (waiting != null) {
            ByteBuf b;
            while ((b = waiting.pollFirst()) != null) {
                b.release();
            }
        }
        waitingBytes = 0;
    }

    private void releaseRetry() {
        if (retry != null) {
            for (ByteBuf b : retry) {
                b.release();
            }
            retry = null;
        }
        retryBytes = 0;
    }
}
