package net.proxy.samples.virtuall4;

import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import net.proxy.l4.Connector;
import net.proxy.l4.Endpoint;
import net.proxy.l4.L4Proxy;
import net.proxy.l4.Listener;
import net.proxy.l4.Peer;
import net.proxy.l4.PipeTransport;
import net.proxy.l4.TcpOptions;
import net.proxy.l4.Transport;
import net.proxy.samples.Args;
import net.proxy.samples.EchoHandler;
import net.proxy.samples.Running;
import net.proxy.samples.Shutdown;

/** A TCP front whose upstream is an echo service reached through a virtual (in-process) stream. */
public final class VirtualL4 {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE =
            "virtual-l4 [--listen HOST:PORT]  TCP proxy whose upstream runs over a virtual L4 stream";

    private VirtualL4() {}

    /**
     * Runs the sample until the JVM stops.
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Shutdown.await(start(args));
    }

    /**
     * Starts the sample.
     *
     * @param args the options
     * @return the running sample
     * @throws Exception if it cannot start
     */
    public static Running start(String[] args) throws Exception {
        Args a = Args.parse(args, Set.of(), Set.of("listen"));
        Transport transport = Transport.create(1);
        PipeTransport pipe = PipeTransport.create();
        SocketAddress origin = PipeTransport.address("net.proxy.samples.echo-origin");
        Listener originListener = Listener.builder(transport)
                .endpoint(Endpoint.virtual(pipe, origin))
                .handler(stream -> {
                    System.out.println("origin got a " + stream.kind() + " stream via "
                            + stream.digest().transport());
                    stream.channel().pipeline().addLast(EchoHandler.INSTANCE);
                    stream.resumeReading();
                })
                .build()
                .start();
        Listener front = Listener.builder(transport)
                .endpoint(Endpoint.tcp(Args.hostPort(a.get("listen", "127.0.0.1:7001")), TcpOptions.DEFAULTS))
                .handler(L4Proxy.builder(Connector.of(transport))
                        .upstream(Peer.builder(origin).transport(pipe).build())
                        .build())
                .build()
                .start();
        String at = front.localAddresses().get(0).toString().replaceFirst("^.*/", "");
        System.out.println("virtual-l4: TCP " + at + " -> pipe " + origin + " -> echo origin");
        String[] hostPort = at.split(":(?=[0-9]+$)");
        System.out.println("try:  bash -c 'exec 3<>/dev/tcp/" + hostPort[0] + "/" + hostPort[1]
                + "; echo hello through a virtual stream >&3; head -1 <&3'");
        return new Running(front.localAddresses(), List.of(front, originListener, pipe, transport));
    }
}
