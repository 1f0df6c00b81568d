/**
 * Netty adapters for the HTTP/1 parser, body decoder and serializer: {@code ByteBuf}s in and out, no copies.
 *
 * <pre>{@code
 * Http1RequestParser parser = Http1RequestParser.create();
 * RequestHeader req = ByteBufHttp1.parse(parser, in);       // in's reader index moves past the head
 * BodyDecoder body = BodyDecoder.of(req.framing(), parser.limits());
 * ByteBuf data = ByteBufHttp1.decodeBody(body, in);         // retained slice or null; release it
 * }</pre>
 */
package net.proxy.http.netty;
