package org.realplexor.net.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import org.realplexor.config.Settings;

/**
 * The server's certificate chain and private key, read from TLS_CERT_FILE and TLS_KEY_FILE and
 * checked before any connection sees them: every failure names the knob and the file, so an
 * operator can tell at start (or in the log after SIGHUP) what to fix.
 */
public record TlsCredentials(X509Certificate[] chain, PrivateKey key, Path certFile, Path keyFile) {

    /** Reads and checks both files; {@code now} is when validity is judged. */
    public static TlsCredentials load(Settings s, Date now) {
        Path certFile = required(s, "TLS_CERT_FILE");
        Path keyFile = required(s, "TLS_KEY_FILE");
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            chain = Pem.certificates(read("TLS_CERT_FILE", certFile));
        } catch (Pem.Invalid e) {
            throw new IllegalArgumentException("TLS_CERT_FILE " + certFile + ": " + e.getMessage());
        }
        try {
            key = Pem.privateKey(read("TLS_KEY_FILE", keyFile));
        } catch (Pem.Invalid e) {
            throw new IllegalArgumentException("TLS_KEY_FILE " + keyFile + ": " + e.getMessage());
        }
        X509Certificate leaf = chain.get(0);
        try {
            leaf.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw new IllegalArgumentException("TLS_CERT_FILE " + certFile + ": the certificate ("
                    + leaf.getSubjectX500Principal().getName() + ") expired on "
                    + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new IllegalArgumentException("TLS_CERT_FILE " + certFile + ": the certificate ("
                    + leaf.getSubjectX500Principal().getName() + ") is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        if (!matches(key, leaf.getPublicKey())) {
            throw new IllegalArgumentException(
                    "TLS_KEY_FILE " + keyFile + " does not match the certificate in TLS_CERT_FILE "
                            + certFile + " (" + leaf.getSubjectX500Principal().getName()
                            + "): the first certificate must be the "
                            + "server's own, issued for this key");
        }
        return new TlsCredentials(chain.toArray(new X509Certificate[0]), key, certFile, keyFile);
    }

    public X509Certificate leaf() {
        return chain[0];
    }

    /** Days until the server's certificate expires, from {@code now}. */
    public long daysLeft(Date now) {
        return (leaf().getNotAfter().getTime() - now.getTime()) / 86_400_000L;
    }

    /** For the log: whom the certificate names, its serial, and until when. */
    public String describe() {
        return leaf().getSubjectX500Principal().getName() + ", serial "
                + leaf().getSerialNumber().toString(16) + ", valid until "
                + leaf().getNotAfter().toInstant() + " (" + certFile + ")";
    }

    private static Path required(Settings s, String knob) {
        Path p = s.path(knob);
        if (p == null) {
            throw new IllegalArgumentException(
                    knob + " is empty: WAIT_TLS_ADDR or IN_TLS_ADDR is set, and TLS needs "
                            + "TLS_CERT_FILE (the PEM certificate chain, the server's own first) and TLS_KEY_FILE (its PEM private key)");
        }
        return p;
    }

    private static String read(String knob, Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(knob + " " + p + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(knob + " " + p + ": cannot be read (permission denied)");
        } catch (IOException e) {
            throw new IllegalArgumentException(knob + " " + p + ": cannot be read (" + e + ")");
        }
    }

    /** Whether the key signs what the certificate's public key verifies: the one test for every key type. */
    static boolean matches(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && pub.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature sign = Signature.getInstance(alg);
            if (alg.equals("RSASSA-PSS")) {
                sign.setParameter(new java.security.spec.PSSParameterSpec(
                        "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            sign.initSign(key);
            sign.update(probe);
            byte[] sig = sign.sign();
            Signature verify = Signature.getInstance(alg);
            if (alg.equals("RSASSA-PSS")) {
                verify.setParameter(new java.security.spec.PSSParameterSpec(
                        "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            verify.initVerify(pub);
            verify.update(probe);
            return verify.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
