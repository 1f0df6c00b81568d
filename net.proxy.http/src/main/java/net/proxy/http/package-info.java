/**
 * HTTP heads ({@link net.proxy.http.RequestHeader}, {@link net.proxy.http.ResponseHeader},
 * {@link net.proxy.http.HttpHeaders}) and a strict, incremental HTTP/1 parser, body decoder and serializer that
 * work on {@code byte[]} and {@link java.nio.ByteBuffer} only.
 *
 * <pre>{@code
 * byte[] wire = "GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\nAccept: *&#47;*\r\n\r\n"
 *         .getBytes(StandardCharsets.US_ASCII);
 * RequestHeader req = Http1RequestParser.create().parse(wire, 0, wire.length);
 * String host = req.headers().get("host");           // "example.com"
 * req.headers().add("X-Forwarded-For", "192.0.2.1");
 * byte[] out = Http1Serializer.toBytes(req);          // original case and order kept
 * }</pre>
 *
 * <p>Every rejection is a subtype of the sealed {@link net.proxy.http.HttpParseException}, which carries the
 * HTTP status to answer with.
 */
package net.proxy.http;
