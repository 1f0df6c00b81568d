/**
 * A gRPC-web bridge for the proxy ({@link net.proxy.core.grpcweb.GrpcWeb}): browsers speak gRPC-web over HTTP/1.1
 * or HTTP/2, origins speak gRPC over HTTP/2. Binary and text (base64) calls, unary and server streaming, trailers as
 * the gRPC-web trailer frame, optional CORS ({@link net.proxy.core.grpcweb.GrpcWebOptions}).
 *
 * <pre>{@code
 * ProxyHttp<Void> app = new MyGrpcRouting();   // chooses HttpPeer.builder(addr).protocol(UpstreamProtocol.H2)
 * HttpProxy.builder(GrpcWeb.bridge(app, GrpcWebOptions.builder().cors(true).build()))
 *         .listen(new InetSocketAddress("127.0.0.1", 8080))
 *         .build();
 * }</pre>
 *
 * <p>Reference: gRPC-Web protocol, https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-WEB.md
 */
package net.proxy.core.grpcweb;
