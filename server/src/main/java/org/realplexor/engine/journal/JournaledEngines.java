package org.realplexor.engine.journal;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.io.IOException;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.concurrent.Executor;
import org.realplexor.config.Settings;
import org.realplexor.engine.CursorClock;
import org.realplexor.engine.LocalEngine;
import org.realplexor.protocol.Cursor;

/** Makes the local engine with DATA_DIR: its state read back from the folder, its changes journaled there. */
public final class JournaledEngines {
    private JournaledEngines() {}

    public static LocalEngine open(Context hubContext, Settings settings) throws IOException {
        Executor hub = task -> hubContext.runOnContext(v -> task.run());
        EventLoop loop = hubContext instanceof ContextInternal ci ? ci.nettyEventLoop() : null;
        // Records of one loop turn go to the writer together, once the turn's work is done.
        Executor afterTurn = loop instanceof SingleThreadEventLoop st ? st::executeAfterEventLoopIteration : hub;
        return open(settings, hub, afterTurn, FileJournal.MIN_COMPACT_BYTES);
    }

    /** As above, on any executors (tests), with the journal rewritten past {@code minCompactBytes}. */
    static LocalEngine open(Settings settings, Executor hub, Executor afterTurn, long minCompactBytes)
            throws IOException {
        DataDir dir = DataDir.open(settings.dataDir());
        try {
            Recovery.Result r = Recovery.run(dir, settings.maxDataForId(), settings.eventsKept());
            FsyncPolicy policy = FsyncPolicy.of(settings.journalFsync());
            JournalWriter writer =
                    new JournalWriter(dir.journal(r.generation()), r.generation(), policy, hub, afterTurn);
            LocalEngine engine =
                    new LocalEngine(settings, clockAbove(r.state().lastGenerated()), System::currentTimeMillis, hub);
            engine.restore(r.state());
            engine.journal(new FileJournal(dir, policy, writer, r.generation(), minCompactBytes));
            return engine;
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /**
     * A clock whose cursors are all above {@code last}, the highest one given out before the
     * restart, even when the wall clock now reads less (it was set back, or another box).
     */
    static CursorClock clockAbove(Cursor last) {
        long floor = last == null ? 0 : micros(last) + 1;
        return new CursorClock(() -> {
            Instant now = Instant.now();
            return Math.max(floor, now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L);
        });
    }

    private static long micros(Cursor c) {
        try {
            return c.value().movePointRight(6).setScale(0, RoundingMode.FLOOR).longValueExact();
        } catch (ArithmeticException e) {
            return 0;
        }
    }
}
