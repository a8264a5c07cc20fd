package org.realplexor.hub;

import java.util.Collection;
import java.util.List;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.WaitAnswer;

/**
 * What a registering listener is answered from what was queued for it: its backlog's parts,
 * oldest first and cut at about ANSWER_MAX_BYTES (the client comes back for the rest from the
 * cursors it got), the key under which listeners asking for the same backlog share one render,
 * and whether a stream ends once that is written (its backlog did not fit). Computed on the
 * Hub's thread; the only change it makes is taking the messages the listener held back while
 * its backlog was read (see {@link ListenerParts#backlog}).
 *
 * @param parts     what to send, in answer order; empty: nothing
 * @param shareKey  long-polls share by the parts alone; a stream's bytes also carry every
 *                  listened id's cursor after the parts, so its key holds those and its kind
 * @param endStream a stream whose backlog was cut: it ends after its writes
 */
record BacklogAnswer(List<WaitAnswer.Part> parts, Object shareKey, boolean endStream) {
    static final BacklogAnswer NOTHING = new BacklogAnswer(List.of(), null, false);

    /** {@code queued}: the engine's lists for the listener's ids (empty when reading them failed). */
    static BacklogAnswer of(Listener l, Collection<List<StoredMessage>> queued, int answerMaxBytes) {
        if (queued.isEmpty() && l.pending == null) return NOTHING; // the usual case: up to date
        List<WaitAnswer.Part> parts = ListenerParts.backlog(l, queued);
        int fit = WaitAnswer.partsWithin(parts, answerMaxBytes);
        boolean cut = fit < parts.size();
        if (cut) parts = parts.subList(0, fit);
        if (parts.isEmpty()) return NOTHING;
        if (!l.streaming()) return new BacklogAnswer(parts, parts, false);
        return new BacklogAnswer(parts, List.of(l.getClass(), ListenerParts.cursorsAfter(l, parts), parts), cut);
    }
}
