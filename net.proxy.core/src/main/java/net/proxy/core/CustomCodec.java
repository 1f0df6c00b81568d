package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;

/**
 * Turns a {@link CustomProtocol}'s framing into HTTP message parts and back, for one connection (a new codec per
 * connection, so it may keep state). The same codec serves both roles: on a listener it decodes requests and
 * encodes responses; towards an origin it encodes requests and decodes responses. Calls come from the connection's
 * event loop, one at a time.
 *
 * <p>Messages are exchanged <b>one at a time per connection</b>, with keep-alive: a request (head, body pieces,
 * end) and then its response, then the next request on the same connection, as HTTP/1.1 does. A peer may send the
 * next request before the response (pipelining): it waits, undecoded, until the response ended. Multiplexing by a
 * stream id is not part of this SPI; a framing that has stream ids uses one stream per connection at a time.
 * Interim (1xx) responses are not carried: a decoded 1xx head is passed on, none is encoded.
 *
 * <p>Bodies need no length: a message ends with its end part. A {@code Content-Length} in a head, if any, must
 * match the body (checked on a listener). Buffers: every {@code ByteBuf} given to an {@code encode} method is the
 * codec's to release (or to return inside its result); every buffer given to a {@link Receiver} is the receiver's.
 *
 * <p>Modelled on Pingora 0.7's custom protocol support (a custom session in place of HTTP/1 or HTTP/2 on a
 * connection whose ALPN selected a custom id, or on every connection when forced).
 */
public interface CustomCodec {
    /**
     * Decodes at most one message part from {@code in} and hands it to {@code out}; returns false when {@code in}
     * does not hold a whole part yet (nothing is consumed then, and the bytes come back with more appended). The
     * part's bytes are consumed from {@code in} before {@code out} is called; a body piece may be a retained slice
     * of {@code in}.
     *
     * @param in the bytes received and not decoded yet
     * @param out receives the decoded part
     * @return whether a part was decoded
     * @throws CustomProtocolException if the bytes are malformed
     */
    boolean decode(ByteBuf in, Receiver out);

    /**
     * Encodes a request head (hop-by-hop fields removed).
     *
     * @param alloc the connection's allocator
     * @param head the request head
     * @param end whether the request has no body (no {@link #encodeEnd} follows)
     * @return the bytes to send
     */
    ByteBuf encodeRequestHead(ByteBufAllocator alloc, RequestHeader head, boolean end);

    /**
     * Encodes a final response head (hop-by-hop fields removed).
     *
     * @param alloc the connection's allocator
     * @param head the response head
     * @param end whether the response has no body (no {@link #encodeEnd} follows)
     * @return the bytes to send
     */
    ByteBuf encodeResponseHead(ByteBufAllocator alloc, ResponseHeader head, boolean end);

    /**
     * Encodes a non-empty piece of a body.
     *
     * @param alloc the connection's allocator
     * @param data the piece (ownership passes to the codec)
     * @return the bytes to send
     */
    ByteBuf encodeBody(ByteBufAllocator alloc, ByteBuf data);

    /**
     * Encodes the end of a message's body.
     *
     * @param alloc the connection's allocator
     * @param trailers the trailer fields, or null or empty for none
     * @return the bytes to send
     */
    ByteBuf encodeEnd(ByteBufAllocator alloc, HttpHeaders trailers);

    /** Receives the message parts {@link #decode} finds, in order: a head, then body pieces and an end unless the head ended the message. */
    interface Receiver {
        /**
         * A request head (on a listener's connection).
         *
         * @param head the head
         * @param end whether the request has no body
         * @throws CustomProtocolException if a request is not allowed here
         */
        void requestHead(RequestHeader head, boolean end);

        /**
         * A response head (on an origin's connection); a 1xx head is interim and another head follows.
         *
         * @param head the head
         * @param end whether the response has no body
         * @throws CustomProtocolException if a response is not allowed here
         */
        void responseHead(ResponseHeader head, boolean end);

        /**
         * A piece of the current message's body.
         *
         * @param data the bytes (ownership passes)
         * @throws CustomProtocolException if no message body is open
         */
        void body(ByteBuf data);

        /**
         * The end of the current message's body.
         *
         * @param trailers its trailer fields, or null for none
         * @throws CustomProtocolException if no message body is open
         */
        void end(HttpHeaders trailers);
    }
}
