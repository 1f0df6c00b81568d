package net.proxy.core;

/**
 * How an {@link HttpProxy} used its upstream connections since it started, summed over its event loops (each
 * counter is read without a lock, so the four may be a few requests apart).
 *
 * @param requests upstream attempts that asked the pool for a connection
 * @param reused those served on a pooled connection (an idle HTTP/1 one, or a stream of an open HTTP/2 one)
 * @param h2Connections HTTP/2 upstream connections opened
 * @param h2Streams requests sent as streams of HTTP/2 upstream connections
 */
public record UpstreamStats(long requests, long reused, long h2Connections, long h2Streams) {
    /**
     * The share of attempts served on a pooled connection.
     *
     * @return 0..1; 0 before the first request
     */
    public double reuseRatio() {
        return requests == 0 ? 0 : (double) reused / requests;
    }

    /**
     * How many requests one HTTP/2 upstream connection carried on average: the multiplexing achieved.
     *
     * @return streams per connection; 0 before the first HTTP/2 connection
     */
    public double streamsPerH2Connection() {
        return h2Connections == 0 ? 0 : (double) h2Streams / h2Connections;
    }
}
