/**
 * nginx-compatible consistent hashing: {@link net.proxy.ketama.Continuum} maps a key to the server that
 * nginx's {@code hash $key consistent} would pick. Needs nothing beyond {@code java.base}.
 */
module net.proxy.ketama {
    exports net.proxy.ketama;
}
