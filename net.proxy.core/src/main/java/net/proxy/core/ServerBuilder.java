package net.proxy.core;

import net.proxy.core.internal.Args;

/** Builds a {@link Server}; obtained from {@link Server#builder()}. */
public final class ServerBuilder {
    int threads = Runtime.getRuntime().availableProcessors();

    ServerBuilder() {}

    /**
     * The number of event-loop threads; default the number of processors.
     *
     * @param value 1..1024
     * @return this builder
     */
    public ServerBuilder threads(int value) {
        this.threads = Args.between("threads", value, 1, 1024);
        return this;
    }

    /**
     * Builds the server (not started).
     *
     * @return the server
     */
    public Server build() {
        return new Server(this);
    }
}
