package org.realplexor.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Subscription tokens for a server with signed subscriptions (its SIGNED_PREFIXES and
 * SUBSCRIBE_SECRET knobs): a grant to listen to some ids until a moment, which the page passes
 * to its browser client ({@code rpl.setToken(token)} in sdk-js). The format is the server's
 * (PROTOCOL.md section 14): {@code EXPIRY.ID-ID.MAC}, MAC = HMAC-SHA256 keyed with the secret's
 * UTF-8 bytes over {@code EXPIRY.ID-ID}, in URL-safe base64 without padding.
 *
 * <pre>{@code
 * String token = SubscribeTokens.make(secret, List.of("user_42"), Duration.ofHours(1));
 * }</pre>
 *
 * <p>The ids are taken as they go on the wire; {@link Realplexor#subscribeToken} glues its
 * namespace to them first, as {@code send} does.
 */
public final class SubscribeTokens {

    private SubscribeTokens() {}

    /**
     * A token granting {@code ids} for {@code lifetime} from now.
     *
     * @param secret the server's SUBSCRIBE_SECRET
     * @param ids the ids as the browser listens to them (namespace and login prefix included)
     * @param lifetime how long the token is good for; more than zero
     * @return the token, URL-safe as it is
     * @throws RealplexorException on an empty secret, no ids, an invalid id or a lifetime not above zero
     */
    public static String make(String secret, Collection<String> ids, Duration lifetime) {
        return make(secret, ids, lifetime, Clock.systemUTC());
    }

    static String make(String secret, Collection<String> ids, Duration lifetime, Clock clock) {
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new RealplexorException("invalid token lifetime " + lifetime + ": it must be more than zero");
        }
        return make(secret, ids, clock.instant().plus(lifetime));
    }

    /**
     * A token granting {@code ids} until {@code expiresAt} (to the second, rounded up).
     *
     * @param secret the server's SUBSCRIBE_SECRET
     * @param ids the ids as the browser listens to them (namespace and login prefix included)
     * @param expiresAt when the server stops accepting it
     * @return the token, URL-safe as it is
     * @throws RealplexorException on an empty secret, no ids or an invalid id
     */
    public static String make(String secret, Collection<String> ids, Instant expiresAt) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (secret == null || secret.isEmpty()) {
            throw new RealplexorException("no secret: a token is signed with the server's SUBSCRIBE_SECRET");
        }
        if (ids.isEmpty()) {
            throw new RealplexorException("no ids: a token grants at least one id");
        }
        List<String> checked = new ArrayList<>();
        for (String id : ids) checked.add(Ids.id(id));
        long expiry = expiresAt.getEpochSecond() + (expiresAt.getNano() > 0 ? 1 : 0);
        String signed = expiry + "." + String.join("-", checked);
        return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(secret, signed));
    }

    private static byte[] hmac(String secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
