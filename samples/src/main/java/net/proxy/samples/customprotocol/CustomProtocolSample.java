package net.proxy.samples.customprotocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import net.proxy.core.HttpPeer;
import net.proxy.core.HttpProxy;
import net.proxy.core.ProxyHttp;
import net.proxy.core.Server;
import net.proxy.core.Session;
import net.proxy.http.ResponseHeader;
import net.proxy.samples.Args;
import net.proxy.samples.Running;
import net.proxy.samples.Shutdown;
import net.proxy.samples.demo.NamedOrigin;

/**
 * An HTTP hop in a custom framing: an <em>edge</em> proxy takes HTTP/1.1 and HTTP/2 from clients and forwards each
 * request over {@link FrameCodec}'s frames to a <em>core</em> proxy (the custom protocol forced on its clear-text
 * listener), which runs its phases on it (adding {@code X-Custom-Hop} to the response) and forwards it to an
 * HTTP/1.1 origin. The edge keeps the custom connection for the next request.
 */
public final class CustomProtocolSample {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE = "custom-protocol [--listen HOST:PORT]  edge -> custom framing -> core -> origin";

    private CustomProtocolSample() {}

    /**
     * Runs the three servers until stopped.
     *
     * @param args the options
     * @throws Exception if they cannot start
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, Set.of(), Set.of("listen"));
        Running running = start(Args.hostPort(a.get("listen", "127.0.0.1:6188")));
        String url =
                "http://127.0.0.1:" + ((InetSocketAddress) running.addresses().get(0)).getPort() + "/";
        System.out.println("edge on " + running.addresses().get(0) + ", core (custom protocol "
                + FrameCodec.PROTOCOL.alpn() + ") on " + running.addresses().get(1) + ", origin on "
                + running.addresses().get(2));
        System.out.println("try: curl -i " + url + "hello");
        Shutdown.await(running);
    }

    /**
     * Starts the origin, the core and the edge (on {@code listen}); addresses in that order: edge, core, origin.
     *
     * @param listen the edge's address
     * @return the running servers
     */
    public static Running start(InetSocketAddress listen) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Server origin = Server.builder()
                .threads(1)
                .build()
                .add(NamedOrigin.service("origin", new InetSocketAddress(loopback, 0)))
                .start();
        SocketAddress originAddress = origin.boundAddresses().get(0);
        Server core = Server.builder()
                .threads(1)
                .build()
                .add(HttpProxy.builder(new Core(HttpPeer.of(originAddress)))
                        .name("core")
                        .listen(new InetSocketAddress(loopback, 0))
                        .customProtocol(FrameCodec.PROTOCOL)
                        .forceCustomProtocol(true)
                        .build())
                .start();
        SocketAddress coreAddress = core.boundAddresses().get(0);
        HttpPeer toCore = HttpPeer.builder(coreAddress)
                .customProtocol(FrameCodec.PROTOCOL)
                .build();
        Server edge;
        try {
            edge = Server.builder()
                    .threads(1)
                    .build()
                    .add(HttpProxy.builder(new Core(toCore) {
                                @Override
                                public void responseFilter(Session session, ResponseHeader response, Void ctx) {}
                            })
                            .name("edge")
                            .listen(listen)
                            .build())
                    .start();
        } catch (RuntimeException e) {
            core.shutdownNow();
            origin.shutdownNow();
            throw e;
        }
        return new Running(
                List.of(edge.boundAddresses().get(0), coreAddress, originAddress),
                List.<AutoCloseable>of(edge::shutdownNow, core::shutdownNow, origin::shutdownNow));
    }

    /** Forwards every request to one peer and marks the response as having crossed the custom hop. */
    private static class Core implements ProxyHttp<Void> {
        private final HttpPeer peer;

        Core(HttpPeer peer) {
            this.peer = peer;
        }

        @Override
        public Void newContext() {
            return null;
        }

        @Override
        public HttpPeer upstreamPeer(Session session, Void ctx) {
            return peer;
        }

        @Override
        public void responseFilter(Session session, ResponseHeader response, Void ctx) {
            response.headers().set("X-Custom-Hop", FrameCodec.PROTOCOL.alpn());
        }
    }
}
