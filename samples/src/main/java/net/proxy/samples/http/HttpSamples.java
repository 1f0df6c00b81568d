package net.proxy.samples.http;

import java.util.ArrayList;
import java.util.List;
import net.proxy.core.HttpProxy;
import net.proxy.core.Server;
import net.proxy.lb.Backend;
import net.proxy.samples.Args;
import net.proxy.samples.Shutdown;

/** What the HTTP samples share: serving one proxy until Ctrl-C, and reading {@code --upstream} lists. */
public final class HttpSamples {
    private HttpSamples() {}

    /**
     * Starts {@code proxy} on a one-thread {@link Server}, prints {@code "NAME on ADDRESS"} and a hint, and blocks
     * until the JVM is asked to stop (then stops gracefully).
     *
     * @param proxy the service
     * @param hint printed after the address, may be empty
     * @throws InterruptedException if interrupted while waiting
     */
    public static void serve(HttpProxy<?> proxy, String hint) throws InterruptedException {
        Server server = Server.builder().threads(1).build().add(proxy).start();
        System.out.println(proxy.name() + " on " + server.boundAddresses().get(0) + (hint.isEmpty() ? "" : " " + hint));
        Shutdown.await(server);
    }

    /**
     * The backends named by the repeated {@code --upstream HOST:PORT} option.
     *
     * @param a the parsed options
     * @return at least one backend
     * @throws Args.UsageException if none was given
     */
    public static List<Backend> upstreams(Args a) {
        List<Backend> backends = new ArrayList<>();
        for (String u : a.all("upstream")) {
            backends.add(Backend.of(Args.hostPort(u)));
        }
        if (backends.isEmpty()) {
            throw new Args.UsageException("--upstream is required");
        }
        return backends;
    }
}
