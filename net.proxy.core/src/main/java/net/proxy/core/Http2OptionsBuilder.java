package net.proxy.core;

import java.time.Duration;
import java.util.Objects;
import net.proxy.core.internal.Args;

/** Builds {@link Http2Options}; obtained from {@link Http2Options#builder()}. Validates each value as it is set. */
public final class Http2OptionsBuilder {
    /** The largest window RFC 9113 allows, 2^31 - 1. */
    private static final int MAX_WINDOW = Integer.MAX_VALUE;

    boolean enabled = true;
    int maxConcurrentStreams = 128;
    int maxHeaderListSize = 64 * 1024;
    int maxContinuationFrames = 16;
    int initialStreamWindow = 256 * 1024;
    int connectionWindow = 8 * 1024 * 1024;
    int maxFrameSize = 16_384;
    Http2Options.FrameRate rstStreamRate = Http2Options.FrameRate.of(100, Duration.ofSeconds(1), 200);
    Http2Options.FrameRate settingsRate = Http2Options.FrameRate.of(10, Duration.ofSeconds(1), 20);
    Http2Options.FrameRate pingRate = Http2Options.FrameRate.of(10, Duration.ofSeconds(1), 50);
    Http2Options.FrameRate emptyDataRate = Http2Options.FrameRate.of(10, Duration.ofSeconds(1), 50);
    Duration idleTimeout = Duration.ofSeconds(60);

    Http2OptionsBuilder() {}

    /**
     * Serves HTTP/2 or not; off, TLS listeners offer only what their settings name and clear-text listeners speak
     * HTTP/1.1 alone. Default: on.
     *
     * @param value whether to serve HTTP/2
     * @return this builder
     */
    public Http2OptionsBuilder enabled(boolean value) {
        this.enabled = value;
        return this;
    }

    /**
     * Concurrent streams per connection; default 128.
     *
     * @param value 1 or more
     * @return this builder
     */
    public Http2OptionsBuilder maxConcurrentStreams(int value) {
        this.maxConcurrentStreams = Args.atLeast("maxConcurrentStreams", value, 1);
        return this;
    }

    /**
     * The largest header list; default 64 KiB.
     *
     * @param value bytes, 1 KiB to 16 MiB
     * @return this builder
     */
    public Http2OptionsBuilder maxHeaderListSize(int value) {
        this.maxHeaderListSize = Args.between("maxHeaderListSize", value, 1024, 16 * 1024 * 1024);
        return this;
    }

    /**
     * CONTINUATION frames per header block; default 16.
     *
     * @param value 0 or more
     * @return this builder
     */
    public Http2OptionsBuilder maxContinuationFrames(int value) {
        this.maxContinuationFrames = Args.atLeast("maxContinuationFrames", value, 0);
        return this;
    }

    /**
     * The initial window of each stream; default 256 KiB.
     *
     * @param value bytes, 65,535 to 2^31 - 1
     * @return this builder
     */
    public Http2OptionsBuilder initialStreamWindow(int value) {
        this.initialStreamWindow = Args.between("initialStreamWindow", value, 65_535, MAX_WINDOW);
        return this;
    }

    /**
     * The connection window: the most request-body bytes of all the connection's streams the proxy holds before
     * they leave; default 8 MiB. Returned window is announced one stream window at a time, so streams stalled by
     * slow origins stop the connection's other streams only once they hold all but one stream window of it.
     *
     * @param value bytes, 65,535 to 2^31 - 1
     * @return this builder
     */
    public Http2OptionsBuilder connectionWindow(int value) {
        this.connectionWindow = Args.between("connectionWindow", value, 65_535, MAX_WINDOW);
        return this;
    }

    /**
     * The largest frame payload clients may send; default 16 KiB.
     *
     * @param value bytes, 16,384 to 16,777,215 (RFC 9113 §6.5.2)
     * @return this builder
     */
    public Http2OptionsBuilder maxFrameSize(int value) {
        this.maxFrameSize = Args.between("maxFrameSize", value, 16_384, 16_777_215);
        return this;
    }

    /**
     * The allowed {@code RST_STREAM} rate; default 100/s, burst 200.
     *
     * @param value the rate
     * @return this builder
     */
    public Http2OptionsBuilder rstStreamRate(Http2Options.FrameRate value) {
        this.rstStreamRate = Objects.requireNonNull(value, "rstStreamRate");
        return this;
    }

    /**
     * The allowed {@code SETTINGS} rate; default 10/s, burst 20.
     *
     * @param value the rate
     * @return this builder
     */
    public Http2OptionsBuilder settingsRate(Http2Options.FrameRate value) {
        this.settingsRate = Objects.requireNonNull(value, "settingsRate");
        return this;
    }

    /**
     * The allowed {@code PING} rate; default 10/s, burst 50.
     *
     * @param value the rate
     * @return this builder
     */
    public Http2OptionsBuilder pingRate(Http2Options.FrameRate value) {
        this.pingRate = Objects.requireNonNull(value, "pingRate");
        return this;
    }

    /**
     * The allowed rate of empty {@code DATA} frames without END_STREAM; default 10/s, burst 50.
     *
     * @param value the rate
     * @return this builder
     */
    public Http2OptionsBuilder emptyDataRate(Http2Options.FrameRate value) {
        this.emptyDataRate = Objects.requireNonNull(value, "emptyDataRate");
        return this;
    }

    /**
     * How long a connection without open streams stays open; default 60 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Http2OptionsBuilder idleTimeout(Duration value) {
        this.idleTimeout = Args.positive("idleTimeout", value);
        return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public Http2Options build() {
        return new Http2Options(this);
    }
}
