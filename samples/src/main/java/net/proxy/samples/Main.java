package net.proxy.samples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import net.proxy.samples.clientcertinfo.ClientCertInfo;
import net.proxy.samples.customprotocol.CustomProtocolSample;
import net.proxy.samples.demo.Demo;
import net.proxy.samples.failover.Failover;
import net.proxy.samples.gateway.Gateway;
import net.proxy.samples.loadbalancer.LoadBalancerSample;
import net.proxy.samples.ratelimit.RateLimiter;
import net.proxy.samples.sticky.Sticky;
import net.proxy.samples.tcpproxy.TcpProxy;
import net.proxy.samples.tlsecho.TlsEcho;
import net.proxy.samples.virtuall4.VirtualL4;

/**
 * Dispatches {@code bin/proxy SAMPLE [options]} to a sample's {@code main}; without arguments it
 * runs the main job ({@code demo}). Adding a sample is one line in {@link #SAMPLES}.
 */
public final class Main {

    /** A sample's entry point. */
    @FunctionalInterface
    public interface Entry {
        /**
         * Runs the sample.
         *
         * @param args the options after the sample name
         * @throws Exception if the sample fails to start
         */
        void run(String[] args) throws Exception;
    }

    /**
     * One runnable sample.
     *
     * @param summary what it shows, and its usage line
     * @param entry its main method
     */
    public record Sample(String summary, Entry entry) {}

    /** The samples by name, in help order. */
    static final Map<String, Sample> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("tls-echo", new Sample(TlsEcho.USAGE, TlsEcho::main));
        SAMPLES.put("tcp-proxy", new Sample(TcpProxy.USAGE, TcpProxy::main));
        SAMPLES.put("virtual-l4", new Sample(VirtualL4.USAGE, VirtualL4::main));
        SAMPLES.put("demo", new Sample(Demo.USAGE, Demo::main));
        SAMPLES.put("load-balancer", new Sample(LoadBalancerSample.USAGE, LoadBalancerSample::main));
        SAMPLES.put("client-cert-info", new Sample(ClientCertInfo.USAGE, ClientCertInfo::main));
        SAMPLES.put("gateway", new Sample(Gateway.USAGE, Gateway::main));
        SAMPLES.put("rate-limiter", new Sample(RateLimiter.USAGE, RateLimiter::main));
        SAMPLES.put("sticky", new Sample(Sticky.USAGE, Sticky::main));
        SAMPLES.put("failover", new Sample(Failover.USAGE, Failover::main));
        SAMPLES.put("custom-protocol", new Sample(CustomProtocolSample.USAGE, CustomProtocolSample::main));
    }

    private Main() {}

    /**
     * Runs the named sample, the demo without arguments, or prints help for {@code --help} or an
     * unknown name.
     *
     * @param args the sample name, then its options
     * @throws Exception if the sample fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            Demo.main(args);
            return;
        }
        if (args[0].equals("--help") || args[0].equals("-h")) {
            help(System.out);
            return;
        }
        Sample sample = SAMPLES.get(args[0]);
        if (sample == null) {
            System.err.println("unknown sample: " + args[0]);
            help(System.err);
            System.exit(2);
            return;
        }
        try {
            sample.entry().run(Arrays.copyOfRange(args, 1, args.length));
        } catch (Args.UsageException e) {
            System.err.println(args[0] + ": " + e.getMessage());
            System.err.println("usage: " + sample.summary());
            System.exit(2);
        }
    }

    static void help(PrintStream out) {
        out.println("usage: bin/proxy SAMPLE [options]");
        out.println();
        out.println("samples:");
        SAMPLES.forEach((name, s) -> out.printf("  %-12s %s%n", name, s.summary()));
    }
}
