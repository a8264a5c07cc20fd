package org.realplexor.engine.journal;

import java.util.Locale;

/** JOURNAL_FSYNC: when the journal's writes are forced to the disk (as Redis's appendfsync). */
public enum FsyncPolicy {
    /** Before the publish is answered; publishes written in the same moment share one fsync. */
    ALWAYS,
    /** Once a second, off the Hub's thread: a power loss may take the last second. */
    EVERYSEC,
    /** When the OS flushes its page cache (about 30 s on Linux): a process crash loses nothing written. */
    NO;

    /** always, everysec or no, any case. */
    public static FsyncPolicy of(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "everysec" -> EVERYSEC;
            case "no" -> NO;
            default ->
                throw new IllegalArgumentException(
                        "JOURNAL_FSYNC: expected always, everysec or no, got '" + text + "'");
        };
    }
}
