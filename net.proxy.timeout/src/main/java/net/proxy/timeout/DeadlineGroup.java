package net.proxy.timeout;

/**
 * The timers due at one tick: the wheel's bucket entry (as Pingora shares one entry per rounded
 * deadline). Groups of one wheel slot form a list sorted by tick; timers of a group form a FIFO list.
 * Owned by the driving thread.
 */
final class DeadlineGroup {

    final long tick;
    DeadlineGroup prevGroup;
    DeadlineGroup nextGroup;
    WheelTimeout first;
    WheelTimeout last;
    boolean linked = true;

    DeadlineGroup(long tick) {
        this.tick = tick;
    }

    void append(WheelTimeout timer) {
        timer.group = this;
        timer.prev = last;
        timer.next = null;
        if (last == null) {
            first = timer;
        } else {
            last.next = timer;
        }
        last = timer;
    }

    void remove(WheelTimeout timer) {
        if (timer.prev == null) {
            first = timer.next;
        } else {
            timer.prev.next = timer.next;
        }
        if (timer.next == null) {
            last = timer.prev;
        } else {
            timer.next.prev = timer.prev;
        }
        timer.group = null;
        timer.prev = null;
        timer.next = null;
    }

    boolean isEmpty() {
        return first == null;
    }
}
