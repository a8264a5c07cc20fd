package org.realplexor.protocol;

import java.util.List;

/**
 * What follows the {@code identifier=} marker: optional credentials and the well-formed items
 * (malformed ones are already dropped, as the original did, silently).
 *
 * @param login    the login, or null when the list has no {@code LOGIN:PASSWORD@} part
 * @param password the password, or null with login
 * @param items    items in the order written
 */
public record IdentifierList(String login, String password, List<Item> items) {
}
