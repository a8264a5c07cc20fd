package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.realplexor.config.Settings;
import org.realplexor.hub.Hub;
import org.realplexor.protocol.IdentifierScanner;
import org.realplexor.protocol.WaitAnswer;
import org.realplexor.protocol.WaitReader;
import org.realplexor.protocol.WaitRequest;

/**
 * What every WAIT connection shares, rebuilt as a whole on reload and swapped in one write, so a
 * connection always sees one consistent set of settings.
 */
final class WaitContext {
    final Settings settings;
    final Hub hub;
    final IdentifierScanner scanner;
    /** What the request reader needs from the settings. */
    final WaitReader.Rules rules;

    final StaticPages pages;
    final Cors cors;
    /** Kept across reloads: it counts the connections held. */
    final WaitAdmission admission;
    /** The server's, the same in every context. */
    final CutAnswers cutAnswers;
    /** The server's, the same in every context. */
    final TimerWheel timers;
    /** The head every poll without an Origin gets; shared, never copied per connection. */
    final ByteBuf plainHead;
    /** The same for a kept poll ({@code keepalive=1}), up to its Content-Length's value. */
    final byte[] keptHeadStart;

    WaitContext(
            Settings settings,
            Hub hub,
            StaticPages pages,
            WaitAdmission admission,
            CutAnswers cutAnswers,
            TimerWheel timers) {
        this.settings = settings;
        this.hub = hub;
        this.scanner = new IdentifierScanner(settings.identifier(), settings.maxIdLength());
        this.pages = pages;
        this.cors = new Cors(settings.corsOrigins());
        this.rules = new WaitReader.Rules(
                settings.identifier(), settings.iframeId(), settings.scriptId(), settings.waitMaxIds(), cors::allows);
        this.admission = admission;
        this.cutAnswers = cutAnswers;
        this.timers = timers;
        byte[] head = WaitAnswer.head(settings.charset(), "");
        this.keptHeadStart = WaitAnswer.keptHeadStart(settings.charset(), false, "");
        this.plainHead =
                Unpooled.unreleasableBuffer(Unpooled.directBuffer(head.length).writeBytes(head));
    }

    /** The whole answer to a preflight or a static page; null for a request that listens. */
    byte[] page(WaitRequest req, String corsHeaders) {
        return switch (req.route()) {
            case PREFLIGHT ->
                cors.preflight(req.origin(), req.header("Access-Control-Request-Headers"))
                        .getBytes(StandardCharsets.ISO_8859_1);
            case IFRAME -> pages.iframe(corsHeaders);
            case SCRIPT -> pages.script(corsHeaders);
            default -> null;
        };
    }
}
