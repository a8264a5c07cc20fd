package org.realplexor.protocol;

import java.util.List;

/**
 * What follows the {@code identifier=} marker: optional credentials and the well-formed items
 * (malformed ones are already dropped, as the original did, silently).
 *
 * @param login    the login, or null when the list has no {@code LOGIN:PASSWORD@} part
 * @param password the password, or null with login
 * @param items    items in the order written
 * @param overLimit null, or what was too long (an id over MAX_ID_LENGTH, a cursor over
 *                  {@link Cursor#MAX_LENGTH}): such items are left out of {@code items}, and the
 *                  IN line refuses the request with this text rather than drop them silently
 */
public record IdentifierList(String login, String password, List<Item> items, String overLimit) {
    public IdentifierList(String login, String password, List<Item> items) {
        this(login, password, items, null);
    }
}
