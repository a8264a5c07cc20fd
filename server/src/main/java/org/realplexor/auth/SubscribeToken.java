package org.realplexor.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A subscription token (ours): a back end's grant to listen to some ids until a moment, signed
 * with SUBSCRIBE_SECRET. The text is {@code EXPIRY.ID-ID-...-ID.MAC}:
 * <ul>
 * <li>EXPIRY: unix seconds, decimal; the token is good while the server's clock is before it;</li>
 * <li>the granted ids, exactly as they go on the wire ({@code \w+}, so {@code -} cannot occur in
 * one), in any order;</li>
 * <li>MAC: HMAC-SHA256 keyed with the secret's UTF-8 bytes over everything before the last dot,
 * in URL-safe base64 without padding (43 characters).</li>
 * </ul>
 * Every character is URL-safe, so a token goes into a query unescaped, and the payload is plain
 * text: a browser client reads the expiry without knowing the secret (it learns nothing it did
 * not already send in its identifier list).
 *
 * <p>Pure: no clock, no I/O. The MAC is checked before the expiry, in constant time.
 */
public final class SubscribeToken {
    /** What a check found, worst last. */
    public enum Status {
        VALID,
        EXPIRED,
        BAD_SIGNATURE,
        MALFORMED;

        /** How a refusal names it on the wire: {@code expired}, or {@code invalid}. */
        public String word() {
            return this == EXPIRED ? "expired" : this == VALID ? "valid" : "invalid";
        }
    }

    /** A token's fields as written; nothing about them is trusted until {@link #check} says so. */
    public record Parsed(long expiry, List<String> ids, String signed, byte[] mac) {}

    /** The outcome of {@link #check}: the ids granted (empty unless VALID or EXPIRED). */
    public record Check(Status status, List<String> ids, long expiry) {
        static final Check MALFORMED = new Check(Status.MALFORMED, List.of(), 0);
        static final Check BAD_SIGNATURE = new Check(Status.BAD_SIGNATURE, List.of(), 0);
    }

    private static final int MAC_BYTES = 32;
    private static final int MAC_CHARS = 43;
    /** Up to the year 33658: enough digits for any real expiry, few enough to fit a long. */
    private static final int MAX_EXPIRY_DIGITS = 12;

    /** Initialised once with the key; cloned per use, as a Mac is not thread-safe. */
    private final Mac prototype;

    /** @throws IllegalArgumentException when the secret is empty */
    public SubscribeToken(String secret) {
        if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("the secret is empty");
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /**
     * A token granting {@code ids} until {@code expiry} (unix seconds).
     *
     * @throws IllegalArgumentException for no ids, an id that is not {@code \w+}, or a negative expiry
     */
    public String make(Collection<String> ids, long expiry) {
        if (ids.isEmpty()) throw new IllegalArgumentException("a token grants at least one id");
        if (expiry < 0) throw new IllegalArgumentException("the expiry is negative");
        for (String id : ids) {
            if (!isId(id)) throw new IllegalArgumentException("not an id (letters, digits, _): " + id);
        }
        String signed = expiry + "." + String.join("-", ids);
        return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(signed));
    }

    /** The token's verdict at {@code nowSeconds}: the signature first, then the expiry. */
    public Check check(String token, long nowSeconds) {
        Parsed p = parse(token);
        if (p == null) return Check.MALFORMED;
        if (!MessageDigest.isEqual(mac(p.signed()), p.mac())) return Check.BAD_SIGNATURE;
        return new Check(nowSeconds < p.expiry() ? Status.VALID : Status.EXPIRED, p.ids(), p.expiry());
    }

    private byte[] mac(String signed) {
        try {
            return ((Mac) prototype.clone()).doFinal(signed.getBytes(StandardCharsets.ISO_8859_1));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 can be cloned in every Java runtime", e);
        }
    }

    /** The fields of a well-formed token, or null (null, empty, a field missing or of the wrong form). */
    public static Parsed parse(String token) {
        if (token == null) return null;
        int firstDot = token.indexOf('.');
        int lastDot = token.lastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot) return null;
        String expiryText = token.substring(0, firstDot);
        if (expiryText.length() > MAX_EXPIRY_DIGITS || !digits(expiryText)) return null;
        String idText = token.substring(firstDot + 1, lastDot);
        List<String> ids = new ArrayList<>();
        int start = 0;
        while (true) {
            int dash = idText.indexOf('-', start);
            String id = idText.substring(start, dash < 0 ? idText.length() : dash);
            if (!isId(id)) return null;
            ids.add(id);
            if (dash < 0) break;
            start = dash + 1;
        }
        String macText = token.substring(lastDot + 1);
        if (macText.length() != MAC_CHARS || !base64url(macText)) return null;
        byte[] mac = Base64.getUrlDecoder().decode(macText);
        // Only the canonical spelling: the last character's unused bits must be zero, so that one
        // MAC has one text and a changed character is always a changed MAC.
        if (mac.length != MAC_BYTES
                || !Base64.getUrlEncoder().withoutPadding().encodeToString(mac).equals(macText)) {
            return null;
        }
        return new Parsed(Long.parseLong(expiryText), List.copyOf(ids), token.substring(0, lastDot), mac);
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** {@code \w+} in ASCII: what the WAIT line accepts as an id. */
    static boolean isId(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
        }
        return true;
    }

    private static boolean base64url(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
