package org.realplexor.hub;

import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * When a drain ends each held connection: the window cut in as many equal slots, one each in a
 * shuffled order, at a random point of its slot. Clients then reconnect to the other nodes
 * spread out, not all in the same instant.
 */
final class DrainSpread {
    private DrainSpread() {
    }

    /**
     * Shuffles {@code held} in place and returns, for each of its places, the milliseconds after
     * the drain's start at which that connection ends: ascending, each in its own slot of
     * {@code [0, spreadMillis)} (all 0 for no window).
     */
    static <T> long[] shuffle(List<T> held, long spreadMillis, Random random) {
        Collections.shuffle(held, random);
        long[] due = new long[held.size()];
        for (int i = 0; i < due.length; i++) {
            due[i] = (long) (spreadMillis * ((i + random.nextDouble()) / due.length));
        }
        return due;
    }
}
