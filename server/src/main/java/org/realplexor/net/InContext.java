package org.realplexor.net;

import org.realplexor.auth.Authenticator;
import org.realplexor.config.Settings;
import org.realplexor.hub.Hub;
import org.realplexor.protocol.IdentifierScanner;

/** What every IN connection shares; swapped as a whole on reload. */
final class InContext {
    final Settings settings;
    final Hub hub;
    final IdentifierScanner scanner;
    final Authenticator auth;
    /** The server's, the same in every context: unfinished requests outlive a reload. */
    final InBuffers buffers;
    /** The server's, the same in every context. */
    final CutAnswers cutAnswers;
    /** The server's, kept across reloads: it counts the connections open and the answers. */
    final InAdmission admission;
    /** The server's, the same in every context. */
    final TimerWheel timers;
    /** The server's, kept across reloads: checks under way outlive a reload. */
    final PasswordChecks passwords;

    InContext(
            Settings settings,
            Hub hub,
            Authenticator auth,
            InBuffers buffers,
            CutAnswers cutAnswers,
            InAdmission admission,
            TimerWheel timers,
            PasswordChecks passwords) {
        this.settings = settings;
        this.hub = hub;
        this.scanner = new IdentifierScanner(settings.identifier(), settings.maxIdLength());
        this.auth = auth;
        this.buffers = buffers;
        this.cutAnswers = cutAnswers;
        this.admission = admission;
        this.timers = timers;
        this.passwords = passwords;
    }
}
