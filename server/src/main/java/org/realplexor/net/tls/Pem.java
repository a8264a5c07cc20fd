package org.realplexor.net.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text to certificates and keys; pure (no file access). Keys come in PKCS#8 ("PRIVATE
 * KEY") and in the traditional forms that openssl and most CAs' tools still write ("RSA
 * PRIVATE KEY", PKCS#1; "EC PRIVATE KEY", SEC 1): those are wrapped into PKCS#8 here, a few
 * bytes of DER, so that the JDK reads them without a BouncyCastle dependency.
 */
public final class Pem {
    /** A parse failure; the message says what is wrong with the text, the caller names the file. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    record Block(String label, byte[] der, boolean encrypted) {}

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** rsaEncryption (1.2.840.113549.1.1.1) with its NULL parameters, as an AlgorithmIdentifier. */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    /** id-ecPublicKey (1.2.840.10045.2.1), DER OID. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
    };

    private Pem() {}

    static List<Block> blocks(String text) throws Invalid {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean encrypted = body.contains("ENCRYPTED");
            StringBuilder b64 = new StringBuilder();
            for (String line : body.split("\r?\n|\r")) {
                if (line.contains(":")) continue; // RFC 1421 headers (Proc-Type, DEK-Info)
                b64.append(line.strip());
            }
            try {
                out.add(new Block(m.group(1), Base64.getDecoder().decode(b64.toString()), encrypted));
            } catch (IllegalArgumentException e) {
                throw new Invalid("the " + m.group(1) + " block is not valid base64");
            }
        }
        return out;
    }

    /** Every CERTIFICATE block, in file order (the server's own first, then its CA chain). */
    public static List<X509Certificate> certificates(String text) throws Invalid {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        for (Block b : blocks(text)) {
            if (!b.label().equals("CERTIFICATE") && !b.label().equals("TRUSTED CERTIFICATE")) continue;
            try {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
            } catch (CertificateException e) {
                throw new Invalid("certificate " + (out.size() + 1) + " cannot be read: " + e.getMessage());
            }
        }
        if (out.isEmpty()) throw new Invalid("no -----BEGIN CERTIFICATE----- block in it");
        return out;
    }

    /** The first private key in the text. */
    public static PrivateKey privateKey(String text) throws Invalid {
        for (Block b : blocks(text)) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(b.der(), "RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");
                }
                case "RSA PRIVATE KEY" -> {
                    if (b.encrypted()) throw encrypted();
                    return pkcs8(wrapPkcs1(b.der()), "RSA");
                }
                case "EC PRIVATE KEY" -> {
                    if (b.encrypted()) throw encrypted();
                    return pkcs8(wrapSec1(b.der()), "EC");
                }
                case "ENCRYPTED PRIVATE KEY" -> throw encrypted();
                default -> {
                    // EC PARAMETERS, certificates...: look further
                }
            }
        }
        throw new Invalid("no private key block in it (expected -----BEGIN PRIVATE KEY-----, "
                + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }

    private static Invalid encrypted() {
        return new Invalid(
                "the private key is encrypted; the server cannot ask for a passphrase: "
                        + "write it decrypted (openssl pkey -in KEY -out KEY.plain) and keep that file readable by the server only");
    }

    private static PrivateKey pkcs8(byte[] der, String... algorithms) throws Invalid {
        for (String alg : algorithms) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new Invalid("the private key cannot be read (not an RSA, EC or EdDSA key, or damaged)");
    }

    /** PKCS#1 RSAPrivateKey to PKCS#8: version 0, rsaEncryption, the key as an OCTET STRING. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        return sequence(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, pkcs1));
    }

    /**
     * SEC 1 ECPrivateKey to PKCS#8. PKCS#8 names the curve in the AlgorithmIdentifier, so it is
     * taken from the key's own [0] parameters; the SEC 1 structure then goes in unchanged.
     */
    static byte[] wrapSec1(byte[] sec1) throws Invalid {
        byte[] curve = null;
        try {
            Der outer = new Der(sec1, 0);
            if (outer.tag != 0x30) throw new Invalid("the EC private key is not a DER SEQUENCE");
            int at = outer.valueStart;
            while (at < outer.end) {
                Der field = new Der(sec1, at);
                if (field.tag == 0xa0) {
                    Der oid = new Der(sec1, field.valueStart);
                    if (oid.tag == 0x06) curve = java.util.Arrays.copyOfRange(sec1, oid.start, oid.end);
                }
                at = field.end;
            }
        } catch (IndexOutOfBoundsException e) {
            throw new Invalid("the EC private key is damaged (truncated DER)");
        }
        if (curve == null) throw new Invalid("the EC private key does not name its curve (no named-curve parameters)");
        return sequence(new byte[] {0x02, 0x01, 0x00}, sequence(EC_PUBLIC_KEY_OID, curve), tlv(0x04, sec1));
    }

    /** One DER element's tag and extent. */
    private static final class Der {
        final int tag;
        final int start;
        final int valueStart;
        final int end;

        Der(byte[] b, int at) throws Invalid {
            start = at;
            tag = b[at] & 0xff;
            int len = b[at + 1] & 0xff;
            int p = at + 2;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n == 0 || n > 3) throw new Invalid("unsupported DER length form");
                len = 0;
                for (int i = 0; i < n; i++) len = (len << 8) | (b[p++] & 0xff);
            }
            valueStart = p;
            end = p + len;
            if (end > b.length) throw new IndexOutOfBoundsException();
        }
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) body.writeBytes(p);
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
