package org.realplexor.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.apache.commons.codec.digest.UnixCrypt;

/**
 * Checks a password against a stored hash in the forms crypt(3) and htpasswd write: classic
 * DES crypt (13 characters; only the first 8 password bytes count), {@code $1$} MD5-crypt,
 * {@code $apr1$} (Apache MD5), {@code $5$} / {@code $6$} SHA-crypt, {@code $2a$ $2b$ $2y$}
 * bcrypt, {@code {SHA}} (base64 SHA-1). Passwords are taken as UTF-8 bytes. A hash of any other
 * form (including an empty one) never matches.
 */
public final class PasswordHashes {

    private static final Pattern DES = Pattern.compile("[./0-9A-Za-z]{13}");
    /**
     * crypt(3) bcrypt reads at most 72 password bytes; truncating (not rejecting) longer ones
     * matches what htpasswd and the C library do.
     */
    private static final BCrypt.Verifyer BCRYPT =
            BCrypt.verifyer(null, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));

    private PasswordHashes() {}

    public static boolean verify(String password, String hash) {
        if (password == null || hash == null) return false;
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        String computed;
        try {
            if (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$")) {
                // The library compares in constant time.
                return BCRYPT.verify(pw, hash.getBytes(StandardCharsets.UTF_8)).verified;
            } else if (hash.startsWith("$apr1$")) {
                computed = Md5Crypt.apr1Crypt(pw, hash);
            } else if (hash.startsWith("$1$")) {
                computed = Md5Crypt.md5Crypt(pw, hash);
            } else if (hash.startsWith("$5$")) {
                computed = Sha2Crypt.sha256Crypt(pw, hash);
            } else if (hash.startsWith("$6$")) {
                computed = Sha2Crypt.sha512Crypt(pw, hash);
            } else if (hash.startsWith("{SHA}")) {
                computed = "{SHA}" + Base64.getEncoder().encodeToString(DigestUtils.sha1(pw));
            } else if (DES.matcher(hash).matches()) {
                computed = UnixCrypt.crypt(pw, hash.substring(0, 2));
            } else {
                return false;
            }
        } catch (IllegalArgumentException e) {
            // A malformed salt or cost: the hash cannot match anything.
            return false;
        }
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8));
    }
}
