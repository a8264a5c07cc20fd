package org.realplexor.client;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * Message data that is already JSON text and must be sent byte for byte, not serialized
 * again. Pass it as the data of {@link Realplexor#send}; nested in another object it is also
 * written verbatim by Jackson.
 *
 * <p>The text is not validated: the server never parses a message, so invalid JSON reaches
 * the browsers as it is (and breaks their parser there).
 */
public final class RawJson {

    private final String json;

    private RawJson(String json) {
        this.json = json;
    }

    /**
     * Wraps JSON text.
     *
     * @param json the JSON text, sent verbatim
     * @return the wrapper
     * @throws RealplexorException if {@code json} is empty or blank (the server would
     *     publish nothing, or an invalid answer on the original)
     */
    public static RawJson of(String json) {
        Objects.requireNonNull(json, "json");
        if (json.isBlank()) {
            throw new RealplexorException("raw JSON data is empty: there is nothing to publish");
        }
        return new RawJson(json);
    }

    /**
     * The JSON text, as given.
     *
     * @return the JSON text
     */
    @JsonValue
    @JsonRawValue
    public String json() {
        return json;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawJson && ((RawJson) o).json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
