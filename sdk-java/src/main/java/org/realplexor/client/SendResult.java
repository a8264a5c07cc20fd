package org.realplexor.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the server reported about a publish.
 *
 * <p>This project's server answers a publish with one {@code ID CURSOR} line per stored
 * target; the original answered zero bytes. So {@link #cursors()} is the cursor each target
 * got (namespace stripped, in the server's order), and it is empty when the server reported
 * nothing ({@link #reported()} is then false) or stored nothing (for example every target was
 * outside the logged-in user's {@code LOGIN_} scope).
 */
public final class SendResult {

    private static final SendResult UNREPORTED = new SendResult(false, Map.of());

    private final boolean reported;
    private final Map<String, String> cursors;

    private SendResult(boolean reported, Map<String, String> cursors) {
        this.reported = reported;
        this.cursors = cursors;
    }

    static SendResult unreported() {
        return UNREPORTED;
    }

    static SendResult reported(LinkedHashMap<String, String> cursors) {
        return new SendResult(true, Collections.unmodifiableMap(cursors));
    }

    /**
     * True when the server answered with an HTTP 200; false when it answered zero bytes.
     *
     * @return whether the server reported the cursors
     */
    public boolean reported() {
        return reported;
    }

    /**
     * The cursor of each stored target, by id without the namespace; unmodifiable.
     *
     * @return id to cursor, unmodifiable
     */
    public Map<String, String> cursors() {
        return cursors;
    }

    /**
     * The cursor the given id (without namespace) got, if the server reported it.
     *
     * @param id target id without the namespace, {@code \w+}
     * @return the cursor, or empty
     */
    public Optional<String> cursor(String id) {
        return Optional.ofNullable(cursors.get(id));
    }

    @Override
    public String toString() {
        return reported ? "SendResult" + cursors : "SendResult(not reported)";
    }
}
