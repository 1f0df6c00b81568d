/**
 * Cheap timeouts: a hashed {@link net.proxy.timeout.TimerWheel} with O(1) cancel and lazily armed
 * timeouts for futures. Needs only {@code java.base}.
 */
module net.proxy.timeout {
    exports net.proxy.timeout;
}
