package org.realplexor.engine.redis;

import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.protocol.Cursor;

/**
 * Redis's answers decoded into records, in one place: the scripts' replies (whose layout each
 * .lua file's header states), the pages of SCAN and HSCAN, and pub/sub pushes. Everything else
 * reads the records' fields, never a reply by position.
 */
final class Replies {
    private Replies() {}

    /**
     * publish.lua: the message's number, its generated cursor (null when every target had one),
     * the store's epoch, the replicas the master had connected.
     */
    record Published(long seq, Cursor generated, String epoch, int replicas) {}

    static Published published(Response r) {
        String gen = r.get(1).toString();
        return new Published(
                Long.parseLong(r.get(0).toString()),
                gen.isEmpty() ? null : Cursor.of(gen),
                r.get(2).toString(),
                r.get(3).toInteger());
    }

    /**
     * queued.lua: per (id, cursor) pair asked, in order, the numbers of its messages; the blobs of
     * those the node does not hold; the last message number; the store's epoch.
     */
    record Queued(List<List<Long>> seqs, List<byte[]> blobs, long lastSeq, String epoch) {}

    static Queued queued(Response r) {
        int pairs = r.size() - 3;
        List<List<Long>> seqs = new ArrayList<>(pairs);
        for (int i = 0; i < pairs; i++) {
            Response list = r.get(i);
            List<Long> one = new ArrayList<>(list.size());
            for (Response s : list) one.add(Long.parseLong(s.toString()));
            seqs.add(one);
        }
        Response blobsReply = r.get(pairs);
        List<byte[]> blobs = new ArrayList<>(blobsReply.size());
        for (Response b : blobsReply) blobs.add(b.toBytes());
        return new Queued(
                seqs,
                blobs,
                Long.parseLong(r.get(pairs + 1).toString()),
                r.get(pairs + 2).toString());
    }

    /**
     * presence.lua: whether Redis did not know the node, the last generated cursor, the last
     * message number, the next event position, the store's epoch; then what was read: the kept
     * events (read 'events', else empty), the cluster's table sizes (read 'stats', else null).
     */
    record Presence(
            boolean fresh,
            Cursor lastCursor,
            long lastSeq,
            long nextEventPosition,
            String epoch,
            List<PresenceEvent> events,
            ClusterStats stats) {}

    /**
     * @param onlineIds     ids in P:online
     * @param countdowns    offline countdowns running
     * @param nodeDeadlines node id to its heartbeat deadline (Redis time, ms), in deadline order
     * @param nowMillis     Redis's time when it answered
     * @param eventsKept    entries in the event log
     */
    record ClusterStats(
            long onlineIds, long countdowns, Map<String, Long> nodeDeadlines, long nowMillis, long eventsKept) {}

    static Presence presence(Response r, String read) {
        List<PresenceEvent> events = List.of();
        ClusterStats stats = null;
        if (read.equals("events")) {
            events = new ArrayList<>();
            for (Response e : r.get(5)) {
                String[] f = e.toString().split(" ", 3);
                events.add(new PresenceEvent(Long.parseLong(f[0]), f[1], f[2]));
            }
        } else if (read.equals("stats")) {
            Response nodes = r.get(7);
            Map<String, Long> deadlines = new LinkedHashMap<>();
            for (int i = 0; i + 1 < nodes.size(); i += 2)
                deadlines.put(nodes.get(i).toString(), nodes.get(i + 1).toLong());
            stats = new ClusterStats(
                    r.get(5).toLong(),
                    r.get(6).toLong(),
                    deadlines,
                    r.get(8).toLong(),
                    r.get(9).toLong());
        }
        return new Presence(
                r.get(0).toInteger() == 1,
                Cursor.of(r.get(1).toString()),
                Long.parseLong(r.get(2).toString()),
                Long.parseLong(r.get(3).toString()),
                r.get(4).toString(),
                events,
                stats);
    }

    /** One page of SCAN (keys) or HSCAN (field, value, field, value...): the next cursor, "0" at the end. */
    record Page(String next, List<String> items) {
        boolean last() {
            return next.equals("0");
        }
    }

    static Page page(Response r) {
        Response items = r.get(1);
        List<String> out = new ArrayList<>(items.size());
        for (Response i : items) out.add(i.toString());
        return new Page(r.get(0).toString(), out);
    }

    /** A pub/sub push: the message's payload, or null for anything else (subscribe confirmations). */
    static byte[] busMessage(Response push) {
        if (push.size() != 3 || !"message".equals(push.get(0).toString())) return null;
        return push.get(2).toBytes();
    }
}
