package org.realplexor.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which ids need a subscription token (SIGNED_PREFIXES) and which of a request's ids its tokens
 * grant (SUBSCRIBE_SECRET). Pure: the clock comes in as an argument. Off (no prefixes) it
 * refuses nothing and costs nothing.
 */
public final class SignedIds {
    /** Why a request's refused ids were refused, as the refusal names it on the wire. */
    public enum Reason {
        /** A token with the right signature grants them, but it has expired: ask for a fresh one. */
        EXPIRED("expired"),
        /** A token was given but is malformed or signed with another secret (or was changed). */
        INVALID("invalid"),
        /** No token grants them (none given, or the tokens given name other ids). */
        MISSING("missing");

        public final String word;

        Reason(String word) {
            this.word = word;
        }
    }

    /** The ids refused, in the request's order, and why; {@link #NONE} when nothing is. */
    public record Verdict(List<String> refused, Reason reason) {
        public static final Verdict NONE = new Verdict(List.of(), null);

        public boolean refusesAny() {
            return !refused.isEmpty();
        }
    }

    /** 16 random characters of base64 hold 96 bits: out of reach of a search from one token. */
    public static final int MIN_SECRET_LENGTH = 16;

    public static final SignedIds OFF = new SignedIds(List.of(), null);

    private final List<String> prefixes;
    private final SubscribeToken tokens;

    private SignedIds(List<String> prefixes, SubscribeToken tokens) {
        this.prefixes = prefixes;
        this.tokens = tokens;
    }

    /**
     * @param prefixes SIGNED_PREFIXES (blank entries are dropped); none: off
     * @param secret   SUBSCRIBE_SECRET
     * @throws IllegalArgumentException when prefixes are given without a secret
     */
    public static SignedIds of(List<String> prefixes, String secret) {
        List<String> p = new ArrayList<>();
        for (String s : prefixes) if (!s.isBlank()) p.add(s.strip());
        if (p.isEmpty()) return OFF;
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException(
                    "SIGNED_PREFIXES needs SUBSCRIBE_SECRET: without it no token can be checked");
        }
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("SUBSCRIBE_SECRET: at least " + MIN_SECRET_LENGTH
                    + " characters (a short key can be guessed from one token, and then every token forged)");
        }
        return new SignedIds(List.copyOf(p), new SubscribeToken(secret));
    }

    public boolean off() {
        return prefixes.isEmpty();
    }

    /** Whether listening to {@code id} needs a token. */
    public boolean signed(String id) {
        for (String p : prefixes) if (id.startsWith(p)) return true;
        return false;
    }

    /**
     * Which of {@code ids} may not be listened to with these tokens at {@code nowSeconds}. An id
     * outside the prefixes is never refused; a signed one needs a valid token naming it. When
     * several reasons apply, the one a client can act on wins: EXPIRED (a refresh helps) over
     * INVALID over MISSING.
     */
    public Verdict judge(Collection<String> ids, List<String> given, long nowSeconds) {
        if (off()) return Verdict.NONE;
        List<String> refused = null;
        Set<String> granted = null;
        Set<String> expired = null;
        boolean invalid = false;
        for (String id : ids) {
            if (!signed(id)) continue;
            if (granted == null) {
                // Tokens are checked once per request, and only when a signed id is asked for.
                granted = new HashSet<>();
                expired = new HashSet<>();
                for (String t : given) {
                    SubscribeToken.Check c = tokens.check(t, nowSeconds);
                    switch (c.status()) {
                        case VALID -> granted.addAll(c.ids());
                        case EXPIRED -> expired.addAll(c.ids());
                        default -> invalid = true;
                    }
                }
            }
            if (granted.contains(id)) continue;
            if (refused == null) refused = new ArrayList<>();
            refused.add(id);
        }
        if (refused == null) return Verdict.NONE;
        boolean anyExpired = false;
        for (String id : refused) anyExpired |= expired.contains(id);
        Reason why = anyExpired ? Reason.EXPIRED : invalid ? Reason.INVALID : Reason.MISSING;
        return new Verdict(List.copyOf(refused), why);
    }
}
