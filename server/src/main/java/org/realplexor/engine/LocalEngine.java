package org.realplexor.engine;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.realplexor.config.Settings;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.FirstSorted;
import org.realplexor.protocol.OnlineTable;
import org.realplexor.protocol.StatsText;

/**
 * The embedded engine: everything in this process's memory, touched only from the Hub's thread,
 * so there are no locks. Futures come back already completed, except those of ONLINE and STATS,
 * which walk whole tables in slices on the Hub's loop (see {@link Slices}).
 */
public final class LocalEngine implements Engine {
    private final CursorClock clock;
    private final LongSupplier millis;
    private final Executor loop;
    private final Map<String, ChannelQueue> queues = new HashMap<>();
    private final DeadlineQueue<String> cleanups = new DeadlineQueue<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, Long> offlineAt = new HashMap<>();
    private final DeadlineQueue<String> offlineTimers = new DeadlineQueue<>();
    private final ArrayDeque<PresenceEvent> events = new ArrayDeque<>();
    private final List<Consumer<StoredMessage>> consumers = new ArrayList<>();
    private long nextPos = 10;
    /** Queue entries and their bytes over all queues (for the metrics). */
    private long queuedMessages;

    private long queuedBytes;
    /** The last "from now" cursor and the millisecond it was made in (see now()). */
    private Cursor nowCursor;

    private long nowMillis;
    private Settings settings;
    /** Where state changes go to survive a restart (DATA_DIR), and the last cursor the clock made for it. */
    private LocalJournal journal = LocalJournal.OFF;

    private Cursor lastGenerated;

    /** @param hubLoop runs a task later on the Hub's thread (slices of ONLINE and STATS) */
    public LocalEngine(Settings settings, Executor hubLoop) {
        this(settings, new CursorClock(), System::currentTimeMillis, hubLoop);
    }

    public LocalEngine(Settings settings, CursorClock clock, LongSupplier millis, Executor hubLoop) {
        this.settings = settings;
        this.clock = clock;
        this.millis = millis;
        this.loop = hubLoop;
    }

    @Override
    public Future<StoredMessage> publish(Map<String, Cursor> targets, Collection<String> limiters, byte[] data) {
        Cursor shared = null;
        SortedMap<String, Cursor> cursors = new TreeMap<>();
        for (Map.Entry<String, Cursor> t : targets.entrySet()) {
            Cursor c = t.getValue();
            if (c == null) {
                if (shared == null) shared = lastGenerated = clock.next();
                c = shared;
            }
            cursors.put(t.getKey(), c);
        }
        StoredMessage m = new StoredMessage(data, cursors, new LinkedHashSet<>(limiters));
        nowCursor = null;
        long now = millis.getAsLong();
        for (Map.Entry<String, Cursor> e : cursors.entrySet()) {
            ChannelQueue q = queues.get(e.getKey());
            if (q == null) {
                // One clean-up entry per queue; at its deadline it re-arms if the id was published
                // to since (see tick), so a busy id never piles up entries.
                q = new ChannelQueue();
                queues.put(e.getKey(), q);
                cleanups.add(now + settings.cleanIdAfterMs(), e.getKey(), 0);
            }
            int before = q.size();
            queuedBytes += q.add(e.getValue(), m, settings.maxDataForId());
            queuedMessages += q.size() - before;
            q.lastPublishMillis = now;
        }
        Future<Void> durable = journal.stored(now, shared, m);
        for (Consumer<StoredMessage> c : consumers) c.accept(m);
        return durable == null ? Future.succeededFuture(m) : durable.map(m);
    }

    /**
     * A fresh cursor, shared by the polls registering within the same millisecond while nothing
     * is published: a burst of held polls then does not carry a cursor object each, and no
     * message can fall between them (a publish clears the shared one).
     */
    @Override
    public Cursor now() {
        long ms = millis.getAsLong();
        if (nowCursor == null || ms != nowMillis) {
            nowCursor = lastGenerated = clock.next();
            nowMillis = ms;
        }
        return nowCursor;
    }

    @Override
    public Future<Map<String, List<StoredMessage>>> queuedAfter(Map<String, Cursor> after) {
        Map<String, List<StoredMessage>> out = null;
        for (Map.Entry<String, Cursor> e : after.entrySet()) {
            ChannelQueue q = queues.get(e.getKey());
            if (q == null) continue;
            List<StoredMessage> newer = q.after(e.getValue());
            if (newer.isEmpty()) continue;
            if (out == null) out = new HashMap<>();
            out.put(e.getKey(), newer);
        }
        return Future.succeededFuture(out == null ? Map.of() : out);
    }

    @Override
    public void onMessage(Consumer<StoredMessage> consumer) {
        consumers.add(consumer);
    }

    @Override
    public Future<Void> listeners(Map<String, Integer> deltas) {
        long now = millis.getAsLong();
        for (Map.Entry<String, Integer> d : deltas.entrySet()) {
            String id = d.getKey();
            Integer before = counts.get(id);
            int after = (before == null ? 0 : before) + d.getValue();
            if (before == null && after > 0) {
                append("online", id);
            }
            if (after > 0) {
                counts.put(id, after);
                offlineAt.remove(id);
            } else if (before != null) {
                counts.put(id, 0);
                long at = now + settings.offlineTimeoutMs();
                offlineAt.put(id, at);
                offlineTimers.add(at, id, at);
            }
        }
        return Future.succeededFuture();
    }

    /**
     * In slices (see {@link Slices}) over the ids online when it starts: an id that went offline
     * since is left out, the others show their count when their slice runs.
     */
    @Override
    public Future<OnlineTable> online(Predicate<String> wanted) {
        OnlineTable t = new OnlineTable();
        return Slices.forEach(loop, counts.keySet().toArray(new String[0]), id -> {
                    Integer n = counts.get(id);
                    if (n != null && wanted.test(id)) t.add(id, n);
                })
                .map(v -> t);
    }

    @Override
    public Future<List<PresenceEvent>> eventsAfter(long pos) {
        List<PresenceEvent> out = new ArrayList<>();
        for (PresenceEvent e : events) if (e.pos() > pos) out.add(e);
        return Future.succeededFuture(out);
    }

    @Override
    public Future<Long> nextEventPosition() {
        return Future.succeededFuture(nextPos);
    }

    /**
     * Bounded however big the tables are: the ids of each table are walked in slices (see
     * {@link Slices}) keeping only the first {@link StatsText#MAX_LINES} by name (see
     * {@link FirstSorted}), whose lines are then made from what the tables hold at the end.
     */
    @Override
    public Future<Map<String, String>> stats() {
        FirstSorted<Void> firstQueues = new FirstSorted<>(StatsText.MAX_LINES);
        FirstSorted<Void> firstCounts = new FirstSorted<>(StatsText.MAX_LINES);
        String[] countIds = counts.keySet().toArray(new String[0]);
        return Slices.forEach(loop, queues.keySet().toArray(new String[0]), id -> firstQueues.offer(id, null))
                .compose(v -> Slices.forEach(loop, countIds, id -> firstCounts.offer(id, null)))
                .map(v -> statsText(
                        firstQueues.entries().keySet(), firstCounts.entries().keySet()));
    }

    private Map<String, String> statsText(Collection<String> queueIds, Collection<String> countIds) {
        long now = millis.getAsLong();
        Map<String, String> sections = new LinkedHashMap<>();
        StringBuilder data = new StringBuilder();
        StringBuilder cleanups = new StringBuilder();
        int listed = 0;
        for (String id : queueIds) {
            ChannelQueue q = queues.get(id);
            if (q == null) continue;
            listed++;
            data.append(id).append(" => ").append(q.describe()).append('\n');
            cleanups.append(id)
                    .append(" => cleanup in ")
                    .append(Math.max(0, q.lastPublishMillis + settings.cleanIdAfterMs() - now) / 1000.0)
                    .append("s\n");
        }
        long queuesLeft = queues.size() - listed;
        sections.put("data_to_send", data.append(StatsText.more(queuesLeft)).toString());
        StringBuilder sb = new StringBuilder();
        listed = 0;
        for (String id : countIds) {
            Integer n = counts.get(id);
            if (n == null) continue;
            listed++;
            Long at = offlineAt.get(id);
            sb.append(id)
                    .append(" => ")
                    .append(
                            at == null
                                    ? "assigned (" + n + " listening)"
                                    : "offline in " + Math.max(0, at - now) / 1000.0 + "s")
                    .append('\n');
        }
        sections.put(
                "online_timers",
                sb.append(StatsText.more(counts.size() - listed)).toString());
        sections.put(
                "cleanup_timers", cleanups.append(StatsText.more(queuesLeft)).toString());
        sections.put("events", "next position " + nextPos + ", kept " + events.size() + "\n");
        return sections;
    }

    @Override
    public void tick(long now) {
        cleanups.expire(now, (id, unused) -> {
            ChannelQueue q = queues.get(id);
            if (q == null) return false;
            long due = q.lastPublishMillis + settings.cleanIdAfterMs();
            if (due > now) {
                cleanups.add(due, id, 0);
                return false;
            }
            queues.remove(id);
            queuedMessages -= q.size();
            queuedBytes -= q.bytes;
            journal.dropped(now, id);
            return true;
        });
        offlineTimers.expire(now, (id, at) -> {
            Long current = offlineAt.get(id);
            if (current == null || current.longValue() != at) return false;
            offlineAt.remove(id);
            counts.remove(id);
            append("offline", id);
            return true;
        });
        // About what the live state takes on disk: its bytes plus a record head per entry.
        if (journal.wantsCompaction(queuedBytes + 64 * queuedMessages)) journal.compact(capture());
    }

    @Override
    public void apply(Settings s) {
        this.settings = s;
        while (events.size() > s.eventsKept()) events.pollFirst();
    }

    @Override
    public EngineMetrics metrics() {
        return new EngineMetrics(
                queues.size(), queuedMessages, queuedBytes, counts.size(), nextPos - 10, false, false, 0, 0, 0);
    }

    @Override
    public Future<Void> close() {
        journal.close(capture());
        queues.clear();
        return Future.succeededFuture();
    }

    private void append(String type, String id) {
        PresenceEvent e = new PresenceEvent(nextPos++, type, id);
        events.addLast(e);
        while (events.size() > settings.eventsKept()) events.pollFirst();
        journal.event(e);
    }

    // ---- surviving a restart (DATA_DIR, see engine/journal) ------------------------------

    /** From now on every change of state is told to {@code j}. */
    public void journal(LocalJournal j) {
        this.journal = j;
    }

    /** The state as plain values (references to the immutable messages; queue lists copied). */
    public LocalState capture() {
        List<LocalState.Queue> qs = new ArrayList<>(queues.size());
        queues.forEach((id, q) -> qs.add(new LocalState.Queue(id, q.lastPublishMillis, q.messages())));
        List<LocalState.Countdown> presence = new ArrayList<>(counts.size());
        counts.forEach((id, n) -> {
            Long at = offlineAt.get(id);
            presence.add(new LocalState.Countdown(id, at == null ? LocalState.Countdown.ONLINE : at));
        });
        return new LocalState(lastGenerated, nextPos, qs, presence, List.copyOf(events));
    }

    /**
     * Takes over {@code s} on an engine that holds nothing yet. Ids that were online start their
     * offline countdown now: their listeners' connections ended with the old process.
     */
    public void restore(LocalState s) {
        long now = millis.getAsLong();
        for (LocalState.Queue rq : s.queues()) {
            ChannelQueue q = new ChannelQueue();
            for (StoredMessage m : rq.messages()) {
                Cursor c = m.cursors().get(rq.id());
                if (c != null) q.add(c, m, settings.maxDataForId());
            }
            if (q.size() == 0) continue;
            q.lastPublishMillis = rq.lastPublishMillis();
            queues.put(rq.id(), q);
            cleanups.add(q.lastPublishMillis + settings.cleanIdAfterMs(), rq.id(), 0);
            queuedMessages += q.size();
            queuedBytes += q.bytes;
        }
        for (LocalState.Countdown c : s.presence()) {
            long at = c.offlineAt() == LocalState.Countdown.ONLINE ? now + settings.offlineTimeoutMs() : c.offlineAt();
            counts.put(c.id(), 0);
            offlineAt.put(c.id(), at);
            offlineTimers.add(at, c.id(), at);
        }
        events.addAll(s.events());
        while (events.size() > settings.eventsKept()) events.pollFirst();
        nextPos = Math.max(nextPos, s.nextEventPos());
        lastGenerated = s.lastGenerated();
    }
}
