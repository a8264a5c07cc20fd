package org.realplexor.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The warnings one class logs while an action runs, whatever the build's logging setup. */
public final class LogCapture {
    private LogCapture() {}

    public static List<String> warnings(Class<?> loggerOf, ThrowingRunnable action) throws Exception {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : capture(loggerOf, Level.WARN, action)) {
            if (e.getLevel() == Level.WARN) out.add(e.getFormattedMessage());
        }
        return out;
    }

    /** Every line one class logs at INFO or above while an action runs, as "LEVEL message". */
    public static List<String> lines(Class<?> loggerOf, ThrowingRunnable action) throws Exception {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : capture(loggerOf, Level.INFO, action)) {
            if (e.getLevel().isGreaterOrEqual(Level.INFO)) out.add(e.getLevel() + " " + e.getFormattedMessage());
        }
        return out;
    }

    /** The warnings a logger and those below it log while an action runs (e.g. "org.realplexor": all the server's). */
    public static List<String> warnings(String loggerName, ThrowingRunnable action) throws Exception {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : capture(loggerName, Level.WARN, action)) {
            if (e.getLevel() == Level.WARN) out.add(e.getFormattedMessage());
        }
        return out;
    }

    private static List<ILoggingEvent> capture(Class<?> loggerOf, Level at, ThrowingRunnable action) throws Exception {
        return capture(loggerOf.getName(), at, action);
    }

    private static List<ILoggingEvent> capture(String loggerName, Level at, ThrowingRunnable action) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level level = logger.getLevel();
        logger.setLevel(at);
        logger.addAppender(appender);
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
        return appender.list;
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
