package org.realplexor.protocol;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a publish's identifier list asks for: the ids to store the message under, each with the
 * cursor it gave (null for "the next"), and the limiter ids ({@code *ID}: only listeners of one
 * of them may see it).
 *
 * @param targets by id; an id listed twice takes the later item's cursor and place
 * @param limiters in the order given
 */
public record PublishTargets(Map<String, Cursor> targets, Set<String> limiters) {

    /**
     * @param login the publisher's login, or null for a guest: a login's targets outside its
     *              {@code LOGIN_} scope are skipped silently (limiters are kept as given)
     */
    public static PublishTargets of(List<Item> items, String login) {
        Map<String, Cursor> targets = new LinkedHashMap<>();
        Set<String> limiters = new LinkedHashSet<>();
        for (Item it : items) {
            if (it.limiter()) {
                limiters.add(it.id());
            } else if (IdPrefixes.inScope(login, it.id())) {
                targets.remove(it.id());
                targets.put(it.id(), it.cursor());
            }
        }
        return new PublishTargets(targets, limiters);
    }
}
