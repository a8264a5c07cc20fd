package org.realplexor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

/**
 * Maps the original's VERBOSITY knob onto log levels (0 silent, 1 warnings, 2-3 info, 4+ debug),
 * and LOG_FORMAT onto the encoder of the one appender logback.xml sets up (STDERR).
 */
final class Logging {
    private Logging() {}

    static void apply(int verbosity) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext lc)) return;
        Level level =
                verbosity <= 0 ? Level.OFF : verbosity == 1 ? Level.WARN : verbosity <= 3 ? Level.INFO : Level.DEBUG;
        lc.getLogger("org.realplexor").setLevel(level);
        lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(verbosity <= 0 ? Level.OFF : Level.WARN);
    }

    /**
     * LOG_FORMAT=json: one JSON object a line, through logback's own encoder, for log shippers
     * that would otherwise have to parse the plain pattern. Called before the first line is
     * logged; plain keeps logback.xml's pattern.
     */
    static void format(String format) {
        if (!format.equals("json") || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext lc)) return;
        Appender<ILoggingEvent> a =
                lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        if (!(a instanceof OutputStreamAppender<ILoggingEvent> out)) return;
        JsonEncoder json = new JsonEncoder();
        json.setContext(lc);
        // What a reader needs: when, how bad, where from, the message as printed, the stack.
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        out.stop();
        out.setEncoder(json);
        out.start();
    }
}
