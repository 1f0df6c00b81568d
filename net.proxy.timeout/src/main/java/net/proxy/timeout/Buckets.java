package net.proxy.timeout;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The wheel itself: {@code size} slots, slot {@code tick & (size - 1)} holding the deadline groups of
 * every tick congruent to it, sorted by tick. Only the driving thread touches it.
 */
final class Buckets {

    private final DeadlineGroup[] slots;
    private final int mask;
    /** The group used last: consecutive timers usually share a deadline. */
    private DeadlineGroup lastGroup;

    private int timers;

    Buckets(int size) {
        this.slots = new DeadlineGroup[size];
        this.mask = size - 1;
    }

    /** Links a timer into the group of {@code tick}, creating the group if needed. */
    void add(WheelTimeout timer, long tick) {
        DeadlineGroup group = lastGroup;
        if (group == null || group.tick != tick || !group.linked) {
            group = groupFor(tick);
            lastGroup = group;
        }
        group.append(timer);
        timers++;
    }

    /** Unlinks a timer if it is still linked (idempotent); drops its group once empty. */
    void remove(WheelTimeout timer) {
        DeadlineGroup group = timer.group;
        if (group == null) {
            return;
        }
        group.remove(timer);
        timers--;
        if (group.isEmpty()) {
            unlinkGroup(group);
        }
    }

    /**
     * Unlinks every group of slot {@code tick} due at or before {@code upTo} and hands each of their
     * timers to {@code run}, in deadline order, oldest first within a group.
     *
     * @return how many timers {@code run} accepted
     */
    int expire(long tick, long upTo, Predicate<WheelTimeout> run) {
        int ran = 0;
        int slot = (int) (tick & mask);
        DeadlineGroup group;
        while ((group = slots[slot]) != null && group.tick <= upTo) {
            unlinkGroup(group);
            WheelTimeout timer = group.first;
            while (timer != null) {
                WheelTimeout next = timer.next;
                timer.group = null;
                timer.prev = null;
                timer.next = null;
                timers--;
                ran += run.test(timer) ? 1 : 0;
                timer = next;
            }
        }
        return ran;
    }

    /**
     * Hands to {@code run} the timers of the group of {@code tick} whose exact deadline is at or before
     * {@code now}, leaving the others in place.
     *
     * @return how many timers {@code run} accepted
     */
    int expireEarly(long tick, long now, Predicate<WheelTimeout> run) {
        DeadlineGroup group = slots[(int) (tick & mask)];
        while (group != null && group.tick < tick) {
            group = group.nextGroup;
        }
        if (group == null || group.tick != tick) {
            return 0;
        }
        int ran = 0;
        for (WheelTimeout timer = group.first, next; timer != null; timer = next) {
            next = timer.next;
            if (timer.deadline <= now) {
                group.remove(timer);
                timers--;
                ran += run.test(timer) ? 1 : 0;
            }
        }
        if (group.isEmpty()) {
            unlinkGroup(group);
        }
        return ran;
    }

    /** Hands every linked timer to {@code drop} and empties the wheel. */
    void clear(Consumer<WheelTimeout> drop) {
        for (int slot = 0; slot < slots.length; slot++) {
            while (slots[slot] != null) {
                DeadlineGroup group = slots[slot];
                while (group.first != null) {
                    WheelTimeout timer = group.first;
                    remove(timer);
                    drop.accept(timer);
                }
            }
        }
    }

    /** Slots of the wheel. */
    int slotsCount() {
        return slots.length;
    }

    /** Deadline entries (groups) in the wheel, by walking it (for tests). */
    int entries() {
        int entries = 0;
        for (DeadlineGroup head : slots) {
            for (DeadlineGroup g = head; g != null; g = g.nextGroup) {
                entries++;
            }
        }
        return entries;
    }

    /** Timers linked in the wheel. */
    int size() {
        return timers;
    }

    private DeadlineGroup groupFor(long tick) {
        int slot = (int) (tick & mask);
        DeadlineGroup before = null;
        DeadlineGroup at = slots[slot];
        while (at != null && at.tick < tick) {
            before = at;
            at = at.nextGroup;
        }
        if (at != null && at.tick == tick) {
            return at;
        }
        DeadlineGroup group = new DeadlineGroup(tick);
        group.prevGroup = before;
        group.nextGroup = at;
        if (at != null) {
            at.prevGroup = group;
        }
        if (before == null) {
            slots[slot] = group;
        } else {
            before.nextGroup = group;
        }
        return group;
    }

    private void unlinkGroup(DeadlineGroup group) {
        if (group.prevGroup == null) {
            slots[(int) (group.tick & mask)] = group.nextGroup;
        } else {
            group.prevGroup.nextGroup = group.nextGroup;
        }
        if (group.nextGroup != null) {
            group.nextGroup.prevGroup = group.prevGroup;
        }
        group.prevGroup = null;
        group.nextGroup = null;
        group.linked = false;
        if (lastGroup == group) {
            lastGroup = null;
        }
    }
}
