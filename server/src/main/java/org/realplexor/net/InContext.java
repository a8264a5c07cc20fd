package org.realplexor.net;

import org.realplexor.config.Settings;
import org.realplexor.hub.Hub;
import org.realplexor.protocol.IdentifierScanner;

/** What every IN connection shares; swapped as a whole on reload. */
final class InContext {
    final Settings settings;
    final Hub hub;
    final IdentifierScanner scanner;
    final Authenticator auth;

    InContext(Settings settings, Hub hub, Authenticator auth) {
        this.settings = settings;
        this.hub = hub;
        this.scanner = new IdentifierScanner(settings.identifier());
        this.auth = auth;
    }
}
