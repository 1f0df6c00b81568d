package net.proxy.core;

import io.netty.buffer.ByteBuf;

/**
 * The inbound events of a channel, as a connection handler receives them when a {@link LoopBridge} hands them over
 * from the channel's event loop to the loop the handler runs on. Every method runs on that loop.
 */
interface Bridged {
    /** The channel became active (may come after the handler was bound to an already active channel). */
    void onActive();

    /** Bytes read; the callee releases {@code in}. */
    void onRead(ByteBuf in);

    /** A read batch ended. */
    void onReadComplete();

    /** The channel's writability changed; the callee reads the current value. */
    void onWritabilityChanged();

    /** The channel closed. */
    void onInactive();

    /**
     * The peer shut its output (a TCP FIN) on a channel that allows half-closure (a tunnel's); the channel stays
     * open for writing. Ignored by default.
     */
    default void onInputShutdown() {}

    /** The pipeline reported an error. */
    void onException(Throwable cause);
}
