package net.proxy.core;

/**
 * The HTTP/2 client settings of an {@link HttpPeer}, compared by value: peers whose settings differ never share a
 * connection, since a connection is set up with the settings of the request that opened it.
 *
 * <p>Defaults and why (Pingora's client, §3.8 of its map, as the guide): push disabled; 100 concurrent streams per
 * connection (Pingora defaults to 1, which gives up multiplexing); a 1 MiB stream window and a 16 MiB connection
 * window (Pingora uses 8 MiB for both, so that one stalled stream can stall the whole connection); 64 KiB frames
 * (Pingora's); no keep-alive PING, and 5 s for a PING's answer when it is on.
 *
 * @param maxStreams our limit of concurrent streams on one connection
 * @param streamWindow the receive window of each stream, in bytes
 * @param connectionWindow the receive window of the connection, in bytes
 * @param maxFrameSize the largest frame payload the origin may send
 * @param pingIntervalNanos the keep-alive PING interval, 0 for none
 */
record H2Options(int maxStreams, int streamWindow, int connectionWindow, int maxFrameSize, long pingIntervalNanos) {
    static final int DEFAULT_MAX_STREAMS = 100;
    static final int DEFAULT_STREAM_WINDOW = 1 << 20;
    static final int DEFAULT_CONNECTION_WINDOW = 16 << 20;
    static final int DEFAULT_MAX_FRAME_SIZE = 64 << 10;
    /** How long a PING may go unanswered before the connection is given up: 5 s (Pingora's). */
    static final long PING_TIMEOUT_NANOS = 5_000_000_000L;

    static final String ALPN_H2 = "h2";
    static final String ALPN_HTTP11 = "http/1.1";
}
