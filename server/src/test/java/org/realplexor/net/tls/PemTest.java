package org.realplexor.net.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM parsing of every key form openssl writes, against keys it makes. */
class PemTest {
    @TempDir
    static Path dir;

    static TestPki pki;

    @BeforeAll
    static void keys() throws Exception {
        pki = new TestPki(dir)
                .ca("ca")
                .server("rsa1", "ca", "rsa", "traditional", 1, 1)
                .server("ec1", "ca", "ec", "traditional", 1, 2)
                .server("rsa8", "ca", "rsa", "pkcs8", 1, 3)
                .server("ec8", "ca", "ec", "pkcs8", 1, 4);
        // `openssl ecparam -genkey` style: an EC PARAMETERS block before the key
        pki.openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ecparam.key");
        pki.openssl("pkey", "-in", "rsa8.key", "-aes256", "-passout", "pass:x", "-out", "enc.key");
    }

    static String read(String f) throws Exception {
        return Files.readString(dir.resolve(f));
    }

    @Test
    void everyFormReadsAndMatchesItsCertificate() throws Exception {
        for (String name : List.of("rsa1", "ec1", "rsa8", "ec8")) {
            String text = read(name + ".key");
            assertTrue(
                    text.contains(
                            name.endsWith("1")
                                    ? (name.startsWith("rsa") ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY")
                                    : "BEGIN PRIVATE KEY"),
                    name + " is in the form under test");
            PrivateKey key = Pem.privateKey(text);
            List<X509Certificate> chain = Pem.certificates(read(name + ".pem"));
            assertEquals(2, chain.size(), "leaf and CA");
            assertTrue(TlsCredentials.matches(key, chain.get(0).getPublicKey()), name);
        }
        assertEquals("EC", Pem.privateKey(read("ecparam.key")).getAlgorithm());
    }

    @Test
    void aKeyDoesNotMatchAnotherCertificate() throws Exception {
        assertTrue(!TlsCredentials.matches(
                Pem.privateKey(read("ec1.key")),
                Pem.certificates(read("ec8.pem")).get(0).getPublicKey()));
        assertTrue(!TlsCredentials.matches(
                Pem.privateKey(read("rsa1.key")),
                Pem.certificates(read("ec8.pem")).get(0).getPublicKey()));
    }

    @Test
    void encryptedAndMissingKeysAreNamed() {
        Pem.Invalid enc = assertThrows(Pem.Invalid.class, () -> Pem.privateKey(read("enc.key")));
        assertTrue(enc.getMessage().contains("encrypted"), enc.getMessage());
        Pem.Invalid none = assertThrows(Pem.Invalid.class, () -> Pem.privateKey("hello"));
        assertTrue(none.getMessage().contains("no private key"), none.getMessage());
        Pem.Invalid bad = assertThrows(
                Pem.Invalid.class,
                () -> Pem.certificates("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----"));
        assertTrue(bad.getMessage().contains("base64"), bad.getMessage());
    }
}
