package net.proxy.core;

/**
 * What {@link ProxyHttp#failToProxy} did.
 *
 * @param status the status sent downstream, or 0 if nothing was sent
 * @param canReuseDownstream whether the downstream connection may serve another request
 */
public record FailToProxy(int status, boolean canReuseDownstream) {}
