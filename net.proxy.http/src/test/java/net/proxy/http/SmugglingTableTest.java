package net.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9112 message-framing cases and known request-smuggling variants (CL.TE, TE.CL, TE.TE obfuscations), each
 * with its expected outcome: the exact exception type, or the framing the request is accepted with. Every request
 * is also parsed one byte at a time, which must give the same outcome.
 */
class SmugglingTableTest {
    private static final String POST = "POST / HTTP/1.1\r\nHost: a\r\n";

    static Stream<Arguments> cases() {
        return Stream.of(
                // CL.TE and TE.CL: both framings in one request
                row(
                        "CL.TE",
                        POST + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n",
                        SmugglingException.class),
                row(
                        "TE.CL",
                        POST + "Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n",
                        SmugglingException.class),
                row(
                        "CL.TE lower case",
                        POST + "content-length: 6\r\ntransfer-encoding: chunked\r\n\r\n",
                        SmugglingException.class),
                row(
                        "TE.CL with CL 0",
                        POST + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n",
                        SmugglingException.class),
                // TE.TE obfuscations
                row(
                        "TE xchunked",
                        POST + "Transfer-Encoding: xchunked\r\n\r\n",
                        InvalidTransferEncodingException.class),
                row(
                        "TE chunked-false",
                        POST + "Transfer-Encoding: chunked-false\r\n\r\n",
                        InvalidTransferEncodingException.class),
                row("TE leading space", POST + "Transfer-Encoding:  chunked\r\n\r\n", BodyFraming.CHUNKED),
                row("TE leading tab", POST + "Transfer-Encoding:\tchunked\r\n\r\n", BodyFraming.CHUNKED),
                row("TE trailing space", POST + "Transfer-Encoding: chunked \r\n\r\n", BodyFraming.CHUNKED),
                row("TE upper case", POST + "Transfer-Encoding: CHUNKED\r\n\r\n", BodyFraming.CHUNKED),
                row("TE name mixed case", POST + "tRANSFER-eNCODING: chunked\r\n\r\n", BodyFraming.CHUNKED),
                row(
                        "TE chunked, identity",
                        POST + "Transfer-Encoding: chunked, identity\r\n\r\n",
                        InvalidTransferEncodingException.class),
                row("TE identity, chunked", POST + "Transfer-Encoding: identity, chunked\r\n\r\n", BodyFraming.CHUNKED),
                row("TE gzip, chunked", POST + "Transfer-Encoding: gzip, chunked\r\n\r\n", BodyFraming.CHUNKED),
                row(
                        "TE unknown, chunked (501)",
                        POST + "Transfer-Encoding: foo, chunked\r\n\r\n",
                        UnsupportedTransferCodingException.class),
                row(
                        "TE chunked twice in one field",
                        POST + "Transfer-Encoding: chunked, chunked\r\n\r\n",
                        InvalidTransferEncodingException.class),
                row(
                        "TE duplicated field",
                        POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                        InvalidTransferEncodingException.class),
                row(
                        "TE chunked then identity field",
                        POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n",
                        InvalidTransferEncodingException.class),
                row(
                        "TE gzip field then chunked field",
                        POST + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
                        BodyFraming.CHUNKED),
                row(
                        "TE chunked then x field",
                        POST + "Transfer-Encoding: chunked\r\nTransfer-encoding: x\r\n\r\n",
                        InvalidTransferEncodingException.class),
                row(
                        "TE trailing comma",
                        POST + "Transfer-Encoding: chunked, \r\n\r\n",
                        InvalidTransferEncodingException.class),
                row("TE leading commas", POST + "Transfer-Encoding: , , , chunked\r\n\r\n", BodyFraming.CHUNKED),
                row("TE empty", POST + "Transfer-Encoding: \r\n\r\n", InvalidTransferEncodingException.class),
                row(
                        "TE with parameter",
                        POST + "Transfer-Encoding: chunked;q=1\r\n\r\n",
                        InvalidTransferEncodingException.class),
                row(
                        "TE quoted",
                        POST + "Transfer-Encoding: \"chunked\"\r\n\r\n",
                        InvalidTransferEncodingException.class),
                row(
                        "TE space before colon",
                        POST + "Transfer-Encoding : chunked\r\n\r\n",
                        WhitespaceBeforeColonException.class),
                row(
                        "TE tab before colon",
                        POST + "Transfer-Encoding\t: chunked\r\n\r\n",
                        WhitespaceBeforeColonException.class),
                row("TE obs-fold", POST + "Transfer-Encoding:\r\n chunked\r\n\r\n", ObsFoldException.class),
                row(
                        "TE obs-fold with tab",
                        POST + "X: y\r\n\tTransfer-Encoding: chunked\r\n\r\n",
                        ObsFoldException.class),
                row(
                        "TE vertical tab",
                        POST + "Transfer-Encoding: \u000bchunked\r\n\r\n",
                        InvalidHeaderValueException.class),
                row(
                        "TE NUL inside",
                        POST + "Transfer-Encoding: chu\u0000nked\r\n\r\n",
                        InvalidHeaderValueException.class),
                row(
                        "TE bare CR inside",
                        POST + "Transfer-Encoding: chu\rnked\r\n\r\n",
                        InvalidLineTerminatorException.class),
                row(
                        "TE underscore name is another field",
                        POST + "Transfer_Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
                        BodyFraming.contentLength(5)),
                row(
                        "TE in HTTP/1.0",
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
                        InvalidTransferEncodingException.class),
                row(
                        "TE in HTTP/1.0 with CL",
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
                        InvalidTransferEncodingException.class),
                row(
                        "TE bare LF line end",
                        POST + "Transfer-Encoding: chunked\n\r\n",
                        InvalidLineTerminatorException.class),
                // Content-Length
                row("CL plain", POST + "Content-Length: 5\r\n\r\n", BodyFraming.contentLength(5)),
                row("CL zero", POST + "Content-Length: 0\r\n\r\n", BodyFraming.contentLength(0)),
                row("CL surrounding whitespace", POST + "Content-Length:  5 \r\n\r\n", BodyFraming.contentLength(5)),
                row(
                        "CL equal duplicates",
                        POST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n",
                        BodyFraming.contentLength(5)),
                row(
                        "CL differing duplicates",
                        POST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
                        InvalidContentLengthException.class),
                row("CL list", POST + "Content-Length: 5, 5\r\n\r\n", InvalidContentLengthException.class),
                row("CL negative", POST + "Content-Length: -1\r\n\r\n", InvalidContentLengthException.class),
                row("CL plus sign", POST + "Content-Length: +5\r\n\r\n", InvalidContentLengthException.class),
                row("CL hex", POST + "Content-Length: 0x5\r\n\r\n", InvalidContentLengthException.class),
                row("CL decimal point", POST + "Content-Length: 1.5\r\n\r\n", InvalidContentLengthException.class),
                row(
                        "CL trailing letters",
                        POST + "Content-Length: 123abc\r\n\r\n",
                        InvalidContentLengthException.class),
                row("CL empty", POST + "Content-Length: \r\n\r\n", InvalidContentLengthException.class),
                row("CL inner space", POST + "Content-Length: 1 2\r\n\r\n", InvalidContentLengthException.class),
                row(
                        "CL max long",
                        POST + "Content-Length: 9223372036854775807\r\n\r\n",
                        BodyFraming.contentLength(Long.MAX_VALUE)),
                row(
                        "CL overflow",
                        POST + "Content-Length: 9223372036854775808\r\n\r\n",
                        InvalidContentLengthException.class),
                row(
                        "CL 20 digits",
                        POST + "Content-Length: 00000000000000000001\r\n\r\n",
                        InvalidContentLengthException.class),
                row("CL space before colon", POST + "Content-Length : 5\r\n\r\n", WhitespaceBeforeColonException.class),
                row(
                        "CL bare CR (Pingora vector)",
                        POST + "Content-Length: 3\r\r\nConnection: keep-alive\r\n\r\n",
                        InvalidLineTerminatorException.class),
                // no framing fields
                row("no body fields", POST + "\r\n", BodyFraming.NONE),
                row("HTTP/1.0 is not close-delimited", "POST / HTTP/1.0\r\n\r\n", BodyFraming.NONE),
                // Host
                row("Host missing in 1.1", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", MissingHostException.class),
                row("Host optional in 1.0", "GET / HTTP/1.0\r\n\r\n", BodyFraming.NONE),
                row("Host repeated", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", DuplicateHostException.class),
                row(
                        "Host repeated in 1.0",
                        "GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n",
                        DuplicateHostException.class),
                row("Host with space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", InvalidHeaderValueException.class),
                row("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", InvalidHeaderValueException.class),
                row("Host IPv6 and port", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", BodyFraming.NONE),
                row("Host empty", "GET / HTTP/1.1\r\nHost:\r\n\r\n", BodyFraming.NONE),
                // request line and field syntax
                row(
                        "version typo (Pingora vector)",
                        "GET / HTP/1.1\r\nHost: a\r\n\r\n",
                        MalformedRequestLineException.class),
                row(
                        "HTTP/2.0 on an HTTP/1 line",
                        "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
                        UnsupportedVersionException.class),
                row("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", UnsupportedVersionException.class),
                row("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", MalformedRequestLineException.class),
                row("empty target", "GET  HTTP/1.1\r\nHost: a\r\n\r\n", MalformedRequestLineException.class),
                row("double space", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", MalformedRequestLineException.class),
                row("space in target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", MalformedRequestLineException.class),
                row("fragment in target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", MalformedRequestLineException.class),
                row("tab separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", MalformedRequestLineException.class),
                row(
                        "trailing space after version",
                        "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
                        MalformedRequestLineException.class),
                row(
                        "bare CR in request line",
                        "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n",
                        InvalidLineTerminatorException.class),
                row("bare LF request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", InvalidLineTerminatorException.class),
                row("non-token method", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", MalformedRequestLineException.class),
                row(
                        "non-token field name",
                        "GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n",
                        InvalidHeaderNameException.class),
                row("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: 1\r\n\r\n", InvalidHeaderNameException.class),
                row(
                        "field without colon",
                        "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n",
                        InvalidHeaderNameException.class),
                row(
                        "space inside name",
                        "GET / HTTP/1.1\r\nHost: a\r\nX Y: 1\r\n\r\n",
                        InvalidHeaderNameException.class),
                row(
                        "NUL in value",
                        "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n",
                        InvalidHeaderValueException.class),
                row(
                        "DEL in value",
                        "GET / HTTP/1.1\r\nHost: a\r\nX: a\u007fb\r\n\r\n",
                        InvalidHeaderValueException.class),
                row(
                        "ESC in value",
                        "GET / HTTP/1.1\r\nHost: a\r\nX: \u001b[31m\r\n\r\n",
                        InvalidHeaderValueException.class),
                row(
                        "obs-text in value is accepted",
                        "GET / HTTP/1.1\r\nHost: a\r\nX: \u00ff\u0080\r\n\r\n",
                        BodyFraming.NONE),
                row("empty value", "GET / HTTP/1.1\r\nHost: a\r\nX:\r\n\r\n", BodyFraming.NONE),
                row(
                        "inner tabs are accepted",
                        "GET / HTTP/1.1\r\nHost: a\r\nX: a\tb\tc\td\te\tf\tg\th\r\n\r\n",
                        BodyFraming.NONE),
                row(
                        "NUL after a tab in the same word",
                        "GET / HTTP/1.1\r\nHost: a\r\nX: abc\tdefghijk\u0000lm\r\n\r\n",
                        InvalidHeaderValueException.class),
                row(
                        "NUL in the last partial word",
                        "GET / HTTP/1.1\r\nHost: a\r\nX: abcdefghij\u0000\r\n\r\n",
                        InvalidHeaderValueException.class),
                row("leading empty line", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", BodyFraming.NONE));
    }

    private static Arguments row(String name, String request, Object expected) {
        return Arguments.of(name, request, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hasTheExpectedOutcome(String name, String request, Object expected) {
        byte[] wire = Wire.bytes(request);
        check(expected, () -> {
            Http1RequestParser parser = Http1RequestParser.create();
            RequestHeader head = parser.parse(wire, 0, wire.length);
            assertEquals(wire.length, parser.consumed(), "consumed");
            return head;
        });
        check(expected, () -> {
            Http1RequestParser parser = Http1RequestParser.create();
            RequestHeader head = null;
            for (int i = 0; head == null && i < wire.length; i++) {
                head = parser.parse(wire, i, 1);
            }
            return head;
        });
    }

    private static void check(Object expected, java.util.function.Supplier<RequestHeader> parse) {
        if (expected instanceof Class<?> type) {
            HttpParseException e = assertThrows(HttpParseException.class, parse::get);
            assertEquals(type, e.getClass(), e.getMessage());
        } else {
            RequestHeader head = parse.get();
            assertEquals(expected, head.framing());
        }
    }
}
