/**
 * The built-in {@link net.proxy.tls.spi.TlsEngineProvider}s ({@code jdk} and {@code conscrypt}). Not exported:
 * applications reach them through {@link net.proxy.tls.TlsEngine}, which finds them with {@link
 * java.util.ServiceLoader} like any third-party provider.
 */
package net.proxy.tls.internal;
