package net.proxy.core;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which gRPC calls the proxy retries when the origin answers them with a status, configured with
 * {@link HttpProxyBuilder#grpcRetry}. A gRPC call (see {@link Session#isGrpc()}) goes back to
 * {@link ProxyHttp#upstreamPeer} for another attempt only when:
 *
 * <ul>
 *   <li>it never reached a server: the connection failed, or the origin refused the stream ({@code REFUSED_STREAM})
 *       or it lay above a {@code GOAWAY}'s last stream id ({@link ProxyError.Retry#UNPROCESSED}); this holds for
 *       every call, with or without a {@code GrpcRetry}; or
 *   <li>its response is trailers-only (a head that ends the stream, with no message) whose {@code grpc-status} is one
 *       of {@link #codes()}, and its method ({@code /package.Service/Method}, the request's path) matches
 *       {@link #methods()}.
 * </ul>
 *
 * <p>Never after the origin sent response headers or a message: the call is then committed, as in gRPC's own retry
 * design (A6). Each retry also needs a retry left ({@link HttpProxyBuilder#maxRetries}) and the whole request body:
 * a stream of request messages longer than the 64 KiB retry buffer is not replayed. A retry carries the call's
 * remaining deadline in {@code grpc-timeout}. When the retries find nothing better (none left, or
 * {@code upstreamPeer} has no other peer), the client gets the origin's last trailers-only answer.
 *
 * <pre>{@code
 * HttpProxy.builder(app)
 *         .grpcRetry(GrpcRetry.of(Set.of("/shop.Cart/Get", "/shop.Catalog/*"), GrpcCode.UNAVAILABLE))
 *         .build();
 * }</pre>
 *
 * <p>[1] gRPC Retry Design (A6), https://github.com/grpc/proposal/blob/master/A6-client-retries.md
 *
 * @param methods which full method names (the request path, e.g. {@code /shop.Cart/Get}) may be retried
 * @param codes the statuses of a trailers-only response that are retried (never {@code OK}); at least one
 */
public record GrpcRetry(Predicate<String> methods, Set<GrpcCode> codes) {

    /**
     * Checks and copies the components.
     *
     * @param methods which full method names may be retried
     * @param codes the retried statuses
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code codes} is empty or contains {@code OK}
     */
    public GrpcRetry {
        Objects.requireNonNull(methods, "methods");
        Objects.requireNonNull(codes, "codes");
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("codes: [] (expected: at least one status code)");
        }
        if (codes.contains(GrpcCode.OK)) {
            throw new IllegalArgumentException("codes: " + codes + " (expected: error codes, not OK)");
        }
        codes = Set.copyOf(EnumSet.copyOf(codes));
    }

    /**
     * Retries the methods named in {@code fullMethodNames} on {@code codes}. A name is {@code /package.Service/Method},
     * or {@code /package.Service/*} for every method of a service.
     *
     * @param fullMethodNames the method names
     * @param codes the retried statuses (at least one; not {@code OK})
     * @return the configuration
     * @throws IllegalArgumentException if a name is not of either form, or the codes are empty or contain {@code OK}
     */
    public static GrpcRetry of(Collection<String> fullMethodNames, GrpcCode... codes) {
        Set<String> exact = new HashSet<>();
        Set<String> services = new HashSet<>();
        for (String name : Objects.requireNonNull(fullMethodNames, "fullMethodNames")) {
            Objects.requireNonNull(name, "fullMethodNames: a null name");
            int slash = name.indexOf('/', 1);
            if (!name.startsWith("/")
                    || slash < 2
                    || slash == name.length() - 1
                    || name.indexOf('/', slash + 1) >= 0
                    || name.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IllegalArgumentException(
                        "fullMethodNames: " + name + " (expected: /package.Service/Method or /package.Service/*)");
            }
            if (name.endsWith("/*")) {
                services.add(name.substring(0, name.length() - 1));
            } else {
                exact.add(name);
            }
        }
        Set<String> e = Set.copyOf(exact);
        Set<String> s = Set.copyOf(services);
        Predicate<String> methods =
                m -> e.contains(m) || (!s.isEmpty() && s.contains(m.substring(0, m.lastIndexOf('/') + 1)));
        return new GrpcRetry(methods, codeSet(codes));
    }

    /**
     * Retries the methods {@code methods} accepts (it gets the full method name) on {@code codes}.
     *
     * @param methods a predicate over full method names, called on event loops (it must not block)
     * @param codes the retried statuses (at least one; not {@code OK})
     * @return the configuration
     * @throws IllegalArgumentException if the codes are empty or contain {@code OK}
     */
    public static GrpcRetry matching(Predicate<String> methods, GrpcCode... codes) {
        return new GrpcRetry(methods, codeSet(codes));
    }

    /**
     * Whether a trailers-only answer with {@code code} to a call of {@code fullMethodName} may be retried.
     *
     * @param fullMethodName the request path, e.g. {@code /shop.Cart/Get}
     * @param code the answer's status
     * @return whether this configuration retries it
     */
    public boolean retries(String fullMethodName, GrpcCode code) {
        return codes.contains(code) && fullMethodName.lastIndexOf('/') > 0 && methods.test(fullMethodName);
    }

    private static Set<GrpcCode> codeSet(GrpcCode... codes) {
        Objects.requireNonNull(codes, "codes");
        Set<GrpcCode> s = EnumSet.noneOf(GrpcCode.class);
        for (GrpcCode c : codes) {
            s.add(Objects.requireNonNull(c, "codes: a null code"));
        }
        return s;
    }
}
