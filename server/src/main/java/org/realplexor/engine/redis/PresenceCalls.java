package org.realplexor.engine.redis;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.realplexor.config.Settings;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.protocol.OnlineTable;

/**
 * This node's side of presence on Redis: every call of the presence script (the cluster's
 * timers, this node's heartbeat and the counts Redis does not have yet, then what was asked:
 * ONLINE, events, STATS, or goodbye). One batch of counts in flight at a time; changes meanwhile
 * ride the next one. Used on the Hub's thread only.
 */
final class PresenceCalls {
    private static final LuaScript PRESENCE = new LuaScript(Scripts.PRESENCE);

    private final RedisLink commands;
    private final RedisKnobs knobs;
    private final String node;
    private final PresenceCounts counts;
    private final Supplier<Settings> settings;
    private final Consumer<Replies.Presence> answered;
    private boolean flushing;

    /** @param answered what the engine notes of every answer (its epoch, the last cursor, first contact) */
    PresenceCalls(
            RedisLink commands,
            RedisKnobs knobs,
            String node,
            PresenceCounts counts,
            Supplier<Settings> settings,
            Consumer<Replies.Presence> answered) {
        this.commands = commands;
        this.knobs = knobs;
        this.node = node;
        this.counts = counts;
        this.settings = settings;
        this.answered = answered;
    }

    Future<Void> listeners(Map<String, Integer> deltas) {
        Future<Void> landed = counts.apply(deltas);
        flush();
        return landed;
    }

    void flush() {
        send(false);
    }

    /** Sends changed counts (with {@code heartbeat}, also when none changed). */
    void send(boolean heartbeat) {
        if (flushing || !(heartbeat || counts.pending()) || !commands.up()) return;
        flushing = true;
        call("", "", "").onComplete(ar -> {
            flushing = false;
            if (ar.succeeded()) flush();
        });
    }

    /**
     * The presence call first (due timers end, this node's latest counts land), then the
     * cluster's totals in pages (see {@link HashPages}), never the whole hash in one answer.
     */
    Future<OnlineTable> online(Predicate<String> wanted) {
        return call("", "", "").compose(r -> {
            OnlineTable t = new OnlineTable();
            return HashPages.scan(commands, knobs.controlPrefix() + "online", (id, n) -> {
                        if (wanted.test(id)) t.add(id, Integer.parseInt(n));
                    })
                    .map(v -> t);
        });
    }

    Future<List<PresenceEvent>> eventsAfter(long pos) {
        return call("", "events", Long.toString(pos)).map(r -> {
            List<PresenceEvent> out = new ArrayList<>();
            for (PresenceEvent e : r.events()) if (e.pos() > pos) out.add(e);
            return out;
        });
    }

    /**
     * The presence script: the cluster's timers, this node's heartbeat and whatever counts Redis
     * does not have yet, then {@code read}. {@code mode} "leave" says goodbye.
     */
    Future<Replies.Presence> call(String mode, String read, String readArg) {
        PresenceCounts.Batch batch = counts.take();
        String m = mode.isEmpty() && batch.full() ? "full" : mode;
        Settings s = settings.get();
        List<Object> args = new ArrayList<>(8 + batch.pairs().size());
        args.add(knobs.controlPrefix());
        args.add(node);
        args.add(Long.valueOf(knobs.nodeTtlMs()));
        args.add(Long.valueOf(s.offlineTimeoutMs()));
        args.add(Long.valueOf(s.eventsKept()));
        args.add(m);
        args.add(read);
        args.add(readArg);
        args.addAll(batch.pairs());
        List<String> keys = knobs.cluster() ? List.of(knobs.controlPrefix() + "clock") : List.of();
        return PRESENCE.run(commands, keys, args)
                .map(r -> Replies.presence(r, read))
                .andThen(ar -> {
                    if (ar.failed()) {
                        counts.failed(batch, ar.cause());
                        return;
                    }
                    batch.done().tryComplete();
                    Replies.Presence r = ar.result();
                    answered.accept(r);
                    if (r.fresh() && !m.equals("full")) {
                        // Redis did not know this node (reaped while unreachable, or the store was lost)
                        counts.needFull();
                        flush();
                    }
                });
    }
}
