package net.proxy.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP/2 side of an {@link HttpProxy}'s listeners (RFC 9113): whether h2 is served, the settings advertised to
 * clients, and the limits that protect the proxy from abusive ones. Built with {@link #builder()}; set on the proxy
 * with {@link HttpProxyBuilder#http2(Http2Options)}.
 *
 * <p>Every limit is finite by default:
 * <ul>
 *   <li>HTTP/2 on: ALPN {@code h2} on TLS listeners (offered with {@code http/1.1} when the TLS settings name no
 *       ALPN protocols), and prior knowledge on clear-text ones, told apart from HTTP/1.1 by the connection preface;
 *   <li>128 concurrent streams per connection ({@code SETTINGS_MAX_CONCURRENT_STREAMS}; more are refused with
 *       {@code RST_STREAM(REFUSED_STREAM)});
 *   <li>a 64 KiB header list ({@code SETTINGS_MAX_HEADER_LIST_SIZE}; a larger request is answered 431);
 *   <li>at most 16 CONTINUATION frames per header block (the CONTINUATION flood of 2024);
 *   <li>a 256 KiB initial stream window and an 8 MiB connection window: the most request-body bytes a client may
 *       send ahead of the origin taking them (returned window is announced a stream window at a time, so stalled
 *       uploads hold up the connection's other streams only once they hold all but one stream window of it);
 *   <li>16 KiB frames ({@code SETTINGS_MAX_FRAME_SIZE});
 *   <li>frame rates per connection, each a token bucket ({@link net.proxy.limits.RateBudget}); a client above one
 *       gets {@code GOAWAY(ENHANCE_YOUR_CALM)} and the connection closes: {@code RST_STREAM} 100/s with a burst of
 *       200 (rapid reset, CVE-2023-44487), {@code SETTINGS} 10/s burst 20 (CVE-2019-9515), {@code PING} 10/s burst
 *       50 (CVE-2019-9512), empty {@code DATA} frames without END_STREAM 10/s burst 50 (CVE-2019-9518);
 *   <li>a connection without open streams for 60 s is closed with {@code GOAWAY(NO_ERROR)} (Pingora has no such
 *       timeout, issue #563).
 * </ul>
 *
 * <pre>{@code
 * HttpProxy.builder(app)
 *         .http2(Http2Options.builder().maxConcurrentStreams(256).pingRate(FrameRate.of(5, Duration.ofSeconds(1), 10)).build())
 *         .build();
 * }</pre>
 *
 * <p>[1] RFC 9113 §6.5.2 Defined Settings, §6.9 Flow Control, §10.5 Denial-of-Service Considerations,
 * https://www.rfc-editor.org/rfc/rfc9113
 */
public final class Http2Options {
    private static final Http2Options DEFAULTS = builder().build();

    final boolean enabled;
    final int maxConcurrentStreams;
    final int maxHeaderListSize;
    final int maxContinuationFrames;
    final int initialStreamWindow;
    final int connectionWindow;
    final int maxFrameSize;
    final FrameRate rstStreamRate;
    final FrameRate settingsRate;
    final FrameRate pingRate;
    final FrameRate emptyDataRate;
    final Duration idleTimeout;

    Http2Options(Http2OptionsBuilder b) {
        this.enabled = b.enabled;
        this.maxConcurrentStreams = b.maxConcurrentStreams;
        this.maxHeaderListSize = b.maxHeaderListSize;
        this.maxContinuationFrames = b.maxContinuationFrames;
        this.initialStreamWindow = b.initialStreamWindow;
        this.connectionWindow = b.connectionWindow;
        this.maxFrameSize = b.maxFrameSize;
        this.rstStreamRate = b.rstStreamRate;
        this.settingsRate = b.settingsRate;
        this.pingRate = b.pingRate;
        this.emptyDataRate = b.emptyDataRate;
        this.idleTimeout = b.idleTimeout;
    }

    /**
     * The defaults listed above.
     *
     * @return the default options
     */
    public static Http2Options defaults() {
        return DEFAULTS;
    }

    /**
     * Starts options from the defaults.
     *
     * @return a new builder
     */
    public static Http2OptionsBuilder builder() {
        return new Http2OptionsBuilder();
    }

    /**
     * Whether the proxy serves HTTP/2.
     *
     * @return {@code true} by default
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The most concurrent streams per client connection.
     *
     * @return {@code SETTINGS_MAX_CONCURRENT_STREAMS}
     */
    public int maxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    /**
     * The largest header list a client may send, in RFC 9113 octets (name + value + 32 per field).
     *
     * @return {@code SETTINGS_MAX_HEADER_LIST_SIZE}
     */
    public int maxHeaderListSize() {
        return maxHeaderListSize;
    }

    /**
     * The most CONTINUATION frames one header block may have.
     *
     * @return the count
     */
    public int maxContinuationFrames() {
        return maxContinuationFrames;
    }

    /**
     * The initial flow-control window of each stream.
     *
     * @return bytes, {@code SETTINGS_INITIAL_WINDOW_SIZE}
     */
    public int initialStreamWindow() {
        return initialStreamWindow;
    }

    /**
     * The connection's flow-control window.
     *
     * @return bytes
     */
    public int connectionWindow() {
        return connectionWindow;
    }

    /**
     * The largest frame payload clients may send.
     *
     * @return bytes, {@code SETTINGS_MAX_FRAME_SIZE}
     */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * The allowed rate of {@code RST_STREAM} frames from a client.
     *
     * @return the rate
     */
    public FrameRate rstStreamRate() {
        return rstStreamRate;
    }

    /**
     * The allowed rate of {@code SETTINGS} frames (not acknowledgements) from a client.
     *
     * @return the rate
     */
    public FrameRate settingsRate() {
        return settingsRate;
    }

    /**
     * The allowed rate of {@code PING} frames (not acknowledgements) from a client.
     *
     * @return the rate
     */
    public FrameRate pingRate() {
        return pingRate;
    }

    /**
     * The allowed rate of {@code DATA} frames without data and without END_STREAM from a client.
     *
     * @return the rate
     */
    public FrameRate emptyDataRate() {
        return emptyDataRate;
    }

    /**
     * How long a connection without open streams stays open.
     *
     * @return the idle timeout
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * A frame rate: {@code events} per {@code per}, with bursts of up to {@code burst} frames (a token bucket, as
     * {@link net.proxy.limits.RateBudget} counts it).
     *
     * @param events frames per period, at least 1
     * @param per the period, positive
     * @param burst the most frames at once, at least 1
     */
    public record FrameRate(long events, Duration per, long burst) {
        /**
         * Validates the rate.
         *
         * @throws IllegalArgumentException if a value is out of range
         */
        public FrameRate {
            Objects.requireNonNull(per, "per");
            if (events < 1 || burst < 1 || per.isNegative() || per.isZero()) {
                throw new IllegalArgumentException(
                        "frame rate " + events + " per " + per + ", burst " + burst + " (expected: all positive)");
            }
        }

        /**
         * A rate of {@code events} per {@code per} with bursts of {@code burst}.
         *
         * @param events frames per period
         * @param per the period
         * @param burst the most frames at once
         * @return the rate
         */
        public static FrameRate of(long events, Duration per, long burst) {
            return new FrameRate(events, per, burst);
        }
    }
}
