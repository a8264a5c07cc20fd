package org.realplexor.hub;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.realplexor.config.Settings;
import org.realplexor.engine.Engine;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.engine.Slices;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.FirstSorted;
import org.realplexor.protocol.IdPrefixes;
import org.realplexor.protocol.IdempotencyKey;
import org.realplexor.protocol.Item;
import org.realplexor.protocol.OnlineTable;
import org.realplexor.protocol.PublishTargets;
import org.realplexor.protocol.StatsText;
import org.realplexor.protocol.WatchText;

/**
 * The IN line's requests as the Hub serves them: a publish, ONLINE, WATCH and STATS. Each asks
 * the engine and turns its answer into the IN answer's body; none registers or delivers. Runs
 * on the Hub's thread (the {@link Hub}'s public methods hop there), so it may read the Hub's
 * tables it is given.
 */
final class Commands {
    /** Rows up to this many are printed on the Hub's thread at once: a hop would cost more. */
    private static final int PRINT_HERE_MAX_ROWS = 1000;

    private final EventExecutor loop;
    private final Engine engine;
    private final ListenersById byId;
    private final HubCounters counts;
    private final PublishOnce once;

    Commands(EventExecutor loop, Engine engine, ListenersById byId, HubCounters counts) {
        this.loop = loop;
        this.engine = engine;
        this.byId = byId;
        this.counts = counts;
        this.once = new PublishOnce(engine, counts);
    }

    /** See {@link Hub#publish(List, String, byte[], String)}; {@code s}: the Hub's settings in force. */
    Future<PublishResult> publish(List<Item> items, String login, byte[] data, String idempotencyKey, Settings s) {
        return publish(PublishTargets.of(items, login), login, data, idempotencyKey, s);
    }

    /** One message to the targets its login may reach ({@code asked}). */
    Future<PublishResult> publish(PublishTargets asked, String login, byte[] data, String idempotencyKey, Settings s) {
        Map<String, Cursor> targets = asked.targets();
        if (targets.isEmpty()) return Future.succeededFuture(new PublishResult(Map.of()));
        Supplier<Future<Map<String, Cursor>>> store = () -> {
            counts.publishes++;
            return engine.publish(targets, asked.limiters(), data)
                    .map(m -> PublishResult.of(targets.keySet(), m).cursors());
        };
        Future<Map<String, Cursor>> stored = idempotencyKey == null
                ? store.get()
                : once.publish(IdempotencyKey.scoped(login, idempotencyKey), s, targets, asked.limiters(), data, store);
        return stored.map(PublishResult::new);
    }

    /** See {@link Hub#online}. */
    Future<String> online(String login, List<String> prefixes) {
        List<String> scoped = IdPrefixes.scope(login, prefixes);
        if (scoped == null) return Future.succeededFuture("");
        return engine.online(id -> IdPrefixes.matches(id, scoped)).compose(Commands::print);
    }

    /** A big table is sorted and printed off the Hub's thread, so deliveries go on meanwhile. */
    private static Future<String> print(OnlineTable table) {
        if (table.size() <= PRINT_HERE_MAX_ROWS) return Future.succeededFuture(table.text());
        return Future.fromCompletionStage(CompletableFuture.supplyAsync(table::text, ForkJoinPool.commonPool()));
    }

    /** See {@link Hub#watch}. */
    Future<String> watch(String login, String pos, List<String> prefixes) {
        long from = WatchText.parsePosition(pos);
        if (from < 0) return engine.nextEventPosition().map(WatchText::fake);
        List<String> scoped = IdPrefixes.scope(login, prefixes);
        if (scoped == null) return Future.succeededFuture("");
        return engine.eventsAfter(from).map(events -> watchText(events, scoped));
    }

    /** The WATCH body: the events of ids within {@code scoped}, in log order. */
    static String watchText(List<PresenceEvent> events, List<String> scoped) {
        WatchText text = new WatchText();
        for (PresenceEvent e : events) if (IdPrefixes.matches(e.id(), scoped)) text.add(e.pos(), e.type(), e.id());
        return text.text();
    }

    /** See {@link Hub#stats}. */
    Future<String> stats() {
        return engine.stats().compose(engineSections -> {
            FirstSorted<Void> first = new FirstSorted<>(StatsText.MAX_LINES);
            return Slices.forEach(loop, byId.idArray(), id -> first.offer(id, null))
                    .map(v -> statsText(
                            engineSections,
                            byId.connectedSection(first.entries().keySet()),
                            counts.connected));
        });
    }

    /** The STATS body: the engine's sections, then the listeners held here and their count. */
    static String statsText(Map<String, String> engineSections, String connectedSection, int connections) {
        Map<String, String> sections = new LinkedHashMap<>(engineSections);
        sections.put("connected_fhs", connectedSection);
        sections.put("pairs_by_fhs", connections + " connection(s) registered\n");
        return StatsText.render(sections);
    }
}
