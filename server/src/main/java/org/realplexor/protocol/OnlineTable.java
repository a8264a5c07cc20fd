package org.realplexor.protocol;

import java.util.Arrays;

/**
 * The ONLINE answer's rows, ids with their listener counts, kept as two plain arrays (a table of
 * millions costs a few bytes a row besides the ids, which are the listeners' own strings). Rows
 * are added in any order, then {@link #text} sorts and prints them; that is pure work on rows
 * nobody else touches, so it runs off the Hub's thread.
 */
public final class OnlineTable {
    private String[] ids = new String[16];
    private int[] counts = new int[16];
    private int size;

    public void add(String id, int count) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        ids[size] = id;
        counts[size] = count;
        size++;
    }

    public int size() {
        return size;
    }

    /**
     * One {@code ID COUNT} line per id, sorted by id ({@link String#compareTo}, which for the
     * ASCII of ids is byte order); an id added twice shows the count added last.
     */
    public String text() {
        String[] sortedIds = Arrays.copyOf(ids, size);
        int[] sortedCounts = Arrays.copyOf(counts, size);
        mergeSort(sortedIds, sortedCounts, Arrays.copyOf(ids, size), Arrays.copyOf(counts, size), 0, size);
        StringBuilder sb = new StringBuilder(size * 16);
        for (int i = 0; i < size; i++) {
            if (i + 1 < size && sortedIds[i + 1].equals(sortedIds[i])) continue; // a later copy follows
            sb.append(sortedIds[i]).append(' ').append(sortedCounts[i]).append('\n');
        }
        return sb.toString();
    }

    /**
     * Sorts {@code ids[from, to)} and their counts alike; stable, so equal ids stay in the order
     * added. {@code tmpIds}/{@code tmpCounts} start as copies of the same rows (the halves are
     * sorted into them and merged back).
     */
    private static void mergeSort(String[] ids, int[] counts, String[] tmpIds, int[] tmpCounts, int from, int to) {
        if (to - from < 2) return;
        int mid = (from + to) >>> 1;
        mergeSort(tmpIds, tmpCounts, ids, counts, from, mid);
        mergeSort(tmpIds, tmpCounts, ids, counts, mid, to);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && tmpIds[i].compareTo(tmpIds[j]) <= 0)) {
                ids[k] = tmpIds[i];
                counts[k] = tmpCounts[i++];
            } else {
                ids[k] = tmpIds[j];
                counts[k] = tmpCounts[j++];
            }
        }
    }
}
