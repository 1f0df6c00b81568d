/**
 * {@code bin/proxy custom-protocol}: HTTP carried between two proxies in a framing of our own ({@link
 * net.proxy.samples.customprotocol.FrameCodec}), Pingora 0.7's custom protocols.
 *
 * <pre>{@code
 * bin/proxy custom-protocol --listen 127.0.0.1:6188
 * curl -i http://127.0.0.1:6188/hello
 * }</pre>
 */
package net.proxy.samples.customprotocol;
