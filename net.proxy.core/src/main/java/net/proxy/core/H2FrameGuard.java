package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Flags;
import java.util.function.LongSupplier;
import net.proxy.core.internal.EventClock;
import net.proxy.limits.RateBudget;

/**
 * The abuse limits of one HTTP/2 client connection ({@link Http2Options}), checked on the raw bytes before Netty's
 * codec decodes them: a walk over the frame headers of each read (RFC 9113 §4.1: 9 bytes, then the payload, which is
 * skipped) counts the CONTINUATION frames of each header block and the rates of {@code RST_STREAM},
 * {@code SETTINGS}, {@code PING} and empty {@code DATA} frames (padding only counts as empty), each against a
 * {@link RateBudget} of the connection. It never consumes or copies the buffer. Used on the connection's event loop.
 *
 * <p>[1] RFC 9113 §4.1 Frame Format, §6.10 CONTINUATION, §10.5 Denial-of-Service Considerations; CVE-2019-9512,
 * CVE-2019-9515, CVE-2019-9518, CVE-2023-44487, https://www.rfc-editor.org/rfc/rfc9113
 */
final class H2FrameGuard {
    private static final int FRAME_HEADER = 9;
    private static final byte DATA = 0x0;
    private static final byte HEADERS = 0x1;
    private static final byte RST_STREAM = 0x3;
    private static final byte SETTINGS = 0x4;
    private static final byte PING = 0x6;
    private static final byte CONTINUATION = 0x9;

    private final Http2Options options;
    private final LongSupplier ticker;
    private final RateBudget rstBudget;
    private final RateBudget settingsBudget;
    private final RateBudget pingBudget;
    private final RateBudget emptyDataBudget;

    /** Bytes to skip: the client preface first, then each frame's payload. */
    private int skip;

    private final byte[] header = new byte[FRAME_HEADER];
    private int headerBytes;
    private boolean inHeaderBlock;
    private int continuations;
    /** A padded DATA frame whose pad length (its first payload byte) is still to be read; its payload length. */
    private int paddedDataLength = -1;

    /** A guard for a connection whose first {@code prefaceBytes} bytes are the client preface. */
    H2FrameGuard(Http2Options options, LongSupplier ticker, int prefaceBytes) {
        this.options = options;
        this.ticker = ticker;
        this.skip = prefaceBytes;
        this.rstBudget = budget(options.rstStreamRate);
        this.settingsBudget = budget(options.settingsRate);
        this.pingBudget = budget(options.pingRate);
        this.emptyDataBudget = budget(options.emptyDataRate);
    }

    private static RateBudget budget(Http2Options.FrameRate r) {
        return RateBudget.of(r.events(), r.per(), r.burst());
    }

    /** Walks the frame headers in {@code in} without consuming it; returns why the client is abusive, or null. */
    String scan(ByteBuf in) {
        int at = in.readerIndex();
        int end = in.writerIndex();
        while (at < end) {
            if (skip > 0) {
                if (paddedDataLength >= 0) {
                    // the first payload byte of a padded DATA frame is its pad length
                    int data = paddedDataLength - 1 - (in.getByte(at) & 0xff);
                    paddedDataLength = -1;
                    if (data <= 0 && !emptyDataBudget.tryAcquire(EventClock.now(ticker))) {
                        return "empty DATA frames above " + options.emptyDataRate;
                    }
                }
                int n = Math.min(skip, end - at);
                skip -= n;
                at += n;
                continue;
            }
            int n = Math.min(FRAME_HEADER - headerBytes, end - at);
            in.getBytes(at, header, headerBytes, n);
            headerBytes += n;
            at += n;
            if (headerBytes < FRAME_HEADER) {
                break;
            }
            headerBytes = 0;
            String abuse = frame();
            if (abuse != null) {
                return abuse;
            }
            if (paddedDataLength == 0) {
                paddedDataLength = -1;
            }
        }
        return null;
    }

    /** Checks the frame whose header was just read; sets {@link #skip} to its payload. */
    private String frame() {
        int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
        byte type = header[3];
        short flags = (short) (header[4] & 0xff);
        skip = length;
        long now = EventClock.now(ticker);
        if (inHeaderBlock && type != CONTINUATION) {
            return null; // a protocol error the codec reports (RFC 9113 §6.10)
        }
        switch (type) {
            case DATA:
                if ((flags & Http2Flags.END_STREAM) == 0) {
                    if (length == 0) {
                        if (!emptyDataBudget.tryAcquire(now)) {
                            return "empty DATA frames above " + options.emptyDataRate;
                        }
                    } else if ((flags & Http2Flags.PADDED) != 0) {
                        paddedDataLength = length;
                    }
                }
                return null;
            case HEADERS:
                inHeaderBlock = (flags & Http2Flags.END_HEADERS) == 0;
                continuations = 0;
                return null;
            case CONTINUATION:
                if (++continuations > options.maxContinuationFrames) {
                    return "more than " + options.maxContinuationFrames + " CONTINUATION frames in a header block";
                }
                if ((flags & Http2Flags.END_HEADERS) != 0) {
                    inHeaderBlock = false;
                }
                return null;
            case RST_STREAM:
                return rstBudget.tryAcquire(now) ? null : "RST_STREAM frames above " + options.rstStreamRate;
            case SETTINGS:
                return (flags & Http2Flags.ACK) != 0 || settingsBudget.tryAcquire(now)
                        ? null
                        : "SETTINGS frames above " + options.settingsRate;
            case PING:
                return (flags & Http2Flags.ACK) != 0 || pingBudget.tryAcquire(now)
                        ? null
                        : "PING frames above " + options.pingRate;
            default:
                return null;
        }
    }
}
