/**
 * Service provider interface for TLS engines. A provider names a JCA {@link java.security.Provider}
 * that creates {@link javax.net.ssl.SSLEngine}s; net.proxy.tls ships two ({@code jdk} and {@code
 * conscrypt}) and picks the available one with the highest {@linkplain
 * net.proxy.tls.spi.TlsEngineProvider#priority() priority}.
 *
 * <p>Register another one in {@code module-info.java}:
 *
 * <pre>{@code
 * provides net.proxy.tls.spi.TlsEngineProvider with com.example.MyEngineProvider;
 * }</pre>
 */
package net.proxy.tls.spi;
