package net.proxy.l4;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import java.util.Optional;

/**
 * One L4 connection — TCP, Unix or virtual — with its {@link StreamDigest}. It wraps the Netty
 * {@link Channel} that carries the bytes (after TLS, if any): protocol code adds its handlers to
 * {@code channel().pipeline()} and then calls {@link #resumeReading()}.
 *
 * <p>Streams are handed over with reading paused ({@code autoRead} off) so that nothing is lost
 * while handlers are being added.
 */
public final class Stream {
    private static final AttributeKey<Stream> KEY = AttributeKey.valueOf(Stream.class, "stream");

    private final Channel channel;
    private volatile StreamDigest digest;

    Stream(Channel channel, StreamDigest digest) {
        this.channel = channel;
        this.digest = digest;
        channel.attr(KEY).set(this);
    }

    /**
     * Returns the stream a channel belongs to.
     *
     * @param channel a channel accepted by a {@link Listener} or opened by a {@link Connector}
     * @return the stream, empty for other channels
     */
    public static Optional<Stream> of(Channel channel) {
        return Optional.ofNullable(channel.attr(KEY).get());
    }

    /**
     * Returns the channel.
     *
     * @return the Netty channel
     */
    public Channel channel() {
        return channel;
    }

    /**
     * Returns what is known about this stream.
     *
     * @return the digest
     */
    public StreamDigest digest() {
        return digest;
    }

    /**
     * Returns the carrier kind.
     *
     * @return TCP, Unix or virtual
     */
    public StreamKind kind() {
        return digest.kind();
    }

    /** Turns automatic reading on: inbound bytes now flow through the pipeline. */
    public void resumeReading() {
        channel.config().setAutoRead(true);
    }

    /**
     * Closes the stream.
     *
     * @return the close future
     */
    public ChannelFuture close() {
        return channel.close();
    }

    void digest(StreamDigest digest) {
        this.digest = digest;
    }

    @Override
    public String toString() {
        StreamDigest d = digest;
        return "Stream(" + d.kind() + " " + d.remoteAddress() + " -> " + d.localAddress() + ")";
    }
}
