package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ProxyErrorTest {

    @Test
    void upstreamErrorsMapTo502AndTimeoutsTo504() {
        assertEquals(
                502,
                ProxyError.of(ErrorKind.CONNECT_REFUSED, ErrorSource.UPSTREAM, null)
                        .defaultStatus());
        assertEquals(
                502,
                ProxyError.of(ErrorKind.INVALID_HTTP_HEADER, ErrorSource.UPSTREAM, null)
                        .defaultStatus());
        assertEquals(
                504,
                ProxyError.of(ErrorKind.READ_TIMEOUT, ErrorSource.UPSTREAM, null)
                        .defaultStatus());
        assertEquals(
                504,
                ProxyError.of(ErrorKind.CONNECT_TIMEOUT, ErrorSource.UPSTREAM, null)
                        .defaultStatus());
    }

    @Test
    void downstreamIoErrorsSendNothingOtherDownstreamErrorsAre400() {
        assertEquals(
                0,
                ProxyError.of(ErrorKind.CONNECTION_CLOSED, ErrorSource.DOWNSTREAM, null)
                        .defaultStatus());
        assertEquals(
                0,
                ProxyError.of(ErrorKind.WRITE_ERROR, ErrorSource.DOWNSTREAM, null)
                        .defaultStatus());
        assertEquals(
                400,
                ProxyError.of(ErrorKind.INVALID_BODY, ErrorSource.DOWNSTREAM, null)
                        .defaultStatus());
    }

    @Test
    void internalErrorsAre500AndExplicitStatusWins() {
        assertEquals(
                500,
                ProxyError.of(ErrorKind.INTERNAL_ERROR, ErrorSource.INTERNAL, null)
                        .defaultStatus());
        assertEquals(429, ProxyError.status(429, "slow down").defaultStatus());
        assertThrows(IllegalArgumentException.class, () -> ProxyError.status(99, null));
    }

    @Test
    void hasNoStackTraceButKeepsCauseAndContext() {
        IOException io = new IOException("boom");
        ProxyError e = ProxyError.because(ErrorKind.READ_ERROR, ErrorSource.UPSTREAM, "reading head", io)
                .addContext("peer: 127.0.0.1:1");
        assertEquals(0, e.getStackTrace().length);
        assertSame(io, e.getCause());
        assertEquals("reading head; peer: 127.0.0.1:1", e.context());
        assertTrue(e.getMessage().contains("READ_ERROR (UPSTREAM): reading head; peer: 127.0.0.1:1"), e.getMessage());
    }

    @Test
    void retryDecisionDefaultsToNever() {
        ProxyError e = ProxyError.of(ErrorKind.CONNECT_REFUSED, ErrorSource.UPSTREAM, null);
        assertFalse(e.isRetryable());
        assertTrue(e.retryable(true).isRetryable());
        assertEquals(
                ProxyError.Retry.REUSED_ONLY,
                e.retry(ProxyError.Retry.REUSED_ONLY).retry());
        assertFalse(e.isRetryable());
    }

    @Test
    void wrapUnwrapsCompletionExceptions() {
        ProxyError inner = ProxyError.status(403, null);
        assertSame(inner, ProxyError.wrap(new CompletionException(inner), ErrorSource.INTERNAL));
        ProxyError other = ProxyError.wrap(new IllegalStateException("x"), ErrorSource.INTERNAL);
        assertEquals(ErrorKind.INTERNAL_ERROR, other.kind());
        assertEquals(500, other.defaultStatus());
    }
}
