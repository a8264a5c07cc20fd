package org.realplexor.net;

import io.vertx.core.Future;
import java.util.List;
import org.realplexor.protocol.IdempotencyKey;
import org.realplexor.protocol.IdentifierList;
import org.realplexor.protocol.InAnswer;
import org.realplexor.protocol.InCommand;
import org.realplexor.protocol.InRequest;
import org.realplexor.protocol.PublishBatch;

/**
 * What a complete IN request asks of the Hub, once its credentials pass: a publish, or the
 * ONLINE, WATCH or STATS command; or the answer that refuses it. Checks of a publish that need
 * more of the request than its identifier belong in {@link #publish}, before the Hub is asked.
 */
final class InDispatch {
    private InDispatch() {}

    /**
     * The answer at once ({@code now}; null: none at all), or the Hub's answer to come
     * ({@code later}, non-null).
     */
    record Outcome(byte[] now, Future<byte[]> later) {
        static Outcome now(byte[] bytes) {
            return new Outcome(bytes, null);
        }

        static Outcome later(Future<byte[]> answer) {
            return new Outcome(null, answer);
        }
    }

    static Outcome act(InContext cx, InRequest req) {
        if (req.identifiers() == null) {
            String guest = cx.auth.denial(null, null);
            if (guest != null) return Outcome.now(InAnswer.denied(guest));
        }
        if (req.batch()) return batch(cx, req);
        return req.command() != null ? command(cx, req) : publish(cx, req);
    }

    /**
     * A batch ({@link PublishBatch}): every message is checked before any is stored, then all go
     * to the Hub in one call. The request's own identifier carries credentials only.
     */
    private static Outcome batch(InContext cx, InRequest req) {
        IdentifierList ids = req.identifiers();
        if (ids != null && !ids.items().isEmpty()) {
            return refuse("a batch names each message's ids in its body; the request's " + cx.settings.identifier()
                    + "= may carry only credentials (" + cx.settings.identifier() + "=LOGIN:PASSWORD@)");
        }
        PublishBatch.Parsed parsed =
                PublishBatch.parse(req.header(PublishBatch.HEADER), req.body(), cx.settings.maxIdLength());
        if (parsed.refusal() != null) return refuse(parsed.refusal());
        String key = req.header(IdempotencyKey.HEADER);
        String badKey = IdempotencyKey.problem(key);
        if (badKey != null) return refuse(badKey);
        String login = ids == null ? null : ids.login();
        return Outcome.later(cx.hub.publishBatch(parsed.messages(), login, key).map(results -> {
            List<String> blocks = new java.util.ArrayList<>(results.size());
            for (var r : results) blocks.add(r.lines());
            return InAnswer.ok(PublishBatch.answer(blocks));
        }));
    }

    private static Outcome refuse(String why) {
        return Outcome.now(InAnswer.answer("400 Bad Request", why + "; nothing was published\n"));
    }

    private static Outcome publish(InContext cx, InRequest req) {
        String refusal = req.publishRefusal(cx.settings.identifier());
        if (refusal != null)
            return Outcome.now(InAnswer.answer("400 Bad Request", refusal + "; nothing was published\n"));
        String key = req.header(IdempotencyKey.HEADER);
        String badKey = IdempotencyKey.problem(key);
        if (badKey != null)
            return Outcome.now(InAnswer.answer("400 Bad Request", badKey + "; nothing was published\n"));
        var ids = req.identifiers();
        return Outcome.later(
                cx.hub.publish(ids.items(), ids.login(), req.body(), key).map(r -> InAnswer.ok(r.lines())));
    }

    private static Outcome command(InContext cx, InRequest req) {
        String login = req.identifiers() == null ? null : req.identifiers().login();
        InCommand cmd = req.command();
        List<String> args = cmd.args();
        return switch (cmd.name()) {
            case "ONLINE" -> Outcome.later(cx.hub.online(login, args).map(InAnswer::ok));
            case "WATCH" ->
                Outcome.later(cx.hub
                        .watch(
                                login,
                                args.isEmpty() ? "" : args.get(0),
                                args.isEmpty() ? List.of() : args.subList(1, args.size()))
                        .map(InAnswer::ok));
            // STATS shows every login's ids: a login (scoped to its own) gets no answer.
            default ->
                login != null ? Outcome.now(null) : Outcome.later(cx.hub.stats().map(InAnswer::ok));
        };
    }
}
