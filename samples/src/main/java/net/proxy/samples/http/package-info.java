/**
 * Helpers shared by the HTTP samples.
 *
 * <pre>{@code
 * HttpSamples.serve(HttpProxy.builder(app).name("gateway").listen(address).build(), "");
 * }</pre>
 */
package net.proxy.samples.http;
