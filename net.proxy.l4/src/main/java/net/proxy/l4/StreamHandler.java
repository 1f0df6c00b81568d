package net.proxy.l4;

/**
 * What a {@link Listener} does with each accepted stream once the filter, the PROXY header and the
 * TLS handshake (if configured) are done. Runs on the stream's event loop with reading paused.
 */
@FunctionalInterface
public interface StreamHandler {

    /**
     * Takes over a stream: add handlers to its pipeline, then call {@link Stream#resumeReading()}.
     *
     * @param stream the accepted stream
     */
    void onStream(Stream stream);
}
