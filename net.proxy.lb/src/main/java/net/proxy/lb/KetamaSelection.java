package net.proxy.lb;

import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;
import net.proxy.ketama.Bucket;
import net.proxy.ketama.Continuum;
import net.proxy.lb.spi.Selector;

/** Consistent hashing on a Ketama continuum that maps keys exactly as nginx's {@code hash $key consistent}. */
final class KetamaSelection implements Selector {
    /*
     * Each backend becomes a net.proxy.ketama Bucket of the same address and weight, in the selector's (sorted)
     * order, so a continuum node index is a backend index. The first candidate is the node of the first ring point
     * at or after the key's hash; failover walks the ring clockwise and yields each further backend the first time
     * it is reached, so a key's second choice is stable too and only keys of a removed backend move.
     *
     * [1] D. Karger et al., "Consistent Hashing and Random Trees", STOC 1997
     * [2] nginx, ngx_http_upstream_hash_module, https://nginx.org/en/docs/http/ngx_http_upstream_hash_module.html
     */
    static final SelectionAlgorithm ALGORITHM =
            SelectionAlgorithm.of("ketama", false, (backends, active) -> new KetamaSelection(backends));

    private final Backend[] backends;
    private final Continuum continuum;

    KetamaSelection(List<Backend> list) {
        this.backends = list.toArray(new Backend[0]);
        List<Bucket> buckets = new ArrayList<>(backends.length);
        for (Backend b : backends) {
            buckets.add(new Bucket(b.address(), b.weight()));
        }
        this.continuum = Continuum.of(buckets);
    }

    @Override
    public Candidates select(byte[] key) {
        PrimitiveIterator.OfInt walk = continuum.failoverIndexes(key);
        return () -> walk.hasNext() ? backends[walk.nextInt()] : null;
    }
}
