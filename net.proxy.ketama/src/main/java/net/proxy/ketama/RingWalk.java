package net.proxy.ketama;

import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;

/**
 * Walks a continuum's points once around the ring from a start point, yielding each point's node index.
 * In distinct mode it skips nodes already yielded and stops once every node has been yielded.
 */
final class RingWalk implements PrimitiveIterator.OfInt {

    private final char[] pointNodes;
    /** Bit per node already yielded; null for the raw walk. */
    private final long[] seen;

    private int point;
    private int remainingPoints;
    private int remainingNodes;
    private int next = -1;

    private RingWalk(char[] pointNodes, int start, int nodes, boolean distinct) {
        this.pointNodes = pointNodes;
        this.point = start;
        this.remainingPoints = pointNodes.length;
        this.remainingNodes = nodes;
        this.seen = distinct ? new long[(nodes + 63) >>> 6] : null;
    }

    /** Every point's node, one full lap, repeats included. */
    static RingWalk raw(char[] pointNodes, int start, int nodes) {
        return new RingWalk(pointNodes, start, nodes, false);
    }

    /** Each node once, in the order the ring first reaches it. */
    static RingWalk distinct(char[] pointNodes, int start, int nodes) {
        return new RingWalk(pointNodes, start, nodes, true);
    }

    @Override
    public boolean hasNext() {
        while (next < 0 && remainingPoints > 0 && remainingNodes > 0) {
            int node = pointNodes[point];
            point = point + 1 == pointNodes.length ? 0 : point + 1;
            remainingPoints--;
            if (seen == null) {
                next = node;
            } else if ((seen[node >>> 6] & 1L << node) == 0) {
                seen[node >>> 6] |= 1L << node;
                remainingNodes--;
                next = node;
            }
        }
        return next >= 0;
    }

    @Override
    public int nextInt() {
        if (!hasNext()) {
            throw new NoSuchElementException("the walk has visited every point of the ring");
        }
        int node = next;
        next = -1;
        return node;
    }
}
