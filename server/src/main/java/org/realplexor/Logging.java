package org.realplexor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Maps the original's VERBOSITY knob onto log levels: 0 silent, 1 warnings, 2-3 info, 4+ debug. */
final class Logging {
    private Logging() {
    }

    static void apply(int verbosity) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext lc)) return;
        Level level = verbosity <= 0 ? Level.OFF
                : verbosity == 1 ? Level.WARN
                : verbosity <= 3 ? Level.INFO
                : Level.DEBUG;
        lc.getLogger("org.realplexor").setLevel(level);
        lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(verbosity <= 0 ? Level.OFF : Level.WARN);
    }
}
