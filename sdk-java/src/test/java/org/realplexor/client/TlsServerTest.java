package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TLS straight to the real server's IN_TLS_ADDR, its certificate from this run's CA. */
@ExtendWith(RealServerExtension.class)
class TlsServerTest {

    private final RealServer server;

    TlsServerTest(RealServer server) {
        this.server = server;
    }

    private Realplexor.Builder tlsClient() {
        return Realplexor.builder().host("127.0.0.1").port(server.inTlsPort());
    }

    @Test
    void publishesOverTlsTrustingTheCaFile() throws Exception {
        Realplexor rpl = tlsClient()
                .trustedCertificates(server.certFile("ca.pem"))
                .namespace("stls1_")
                .build();
        try (WaitListener l = server.listen("stls1_Alpha")) {
            assertEquals(List.of("Alpha"), rpl.online(), "ONLINE over TLS");
            SendResult r = rpl.send("Alpha", Map.of("over", "tls"));
            assertTrue(r.reported(), "the server's answer came back over TLS");
            WaitListener.Part part = l.answer().get(0);
            assertEquals(Map.of("stls1_Alpha", r.cursors().get("Alpha")), part.ids());
            assertEquals("tls", part.data().get("over").asText());
        }
    }

    @Test
    void aTrustManagerOfOneOwnDecides() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(server.certFile("ca.pem"))) {
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        Realplexor rpl = tlsClient().trustManager(tm).namespace("stls2_").build();
        assertTrue(rpl.send("Beta", 1).reported());
    }

    @Test
    void theJvmTrustStoreRefusesAPrivateCa() {
        Realplexor rpl = tlsClient().tls(true).build();
        RealplexorException e = assertThrows(RealplexorException.class, () -> rpl.send("Alpha", 1));
        assertTrue(
                e.getMessage().startsWith("TLS handshake with 127.0.0.1:" + server.inTlsPort() + " failed"),
                e.getMessage());
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        Realplexor rpl =
                tlsClient().trustedCertificates(server.certFile("other-ca.pem")).build();
        RealplexorException e = assertThrows(RealplexorException.class, rpl::online);
        assertTrue(
                e.getMessage().startsWith("TLS handshake with 127.0.0.1:" + server.inTlsPort() + " failed"),
                e.getMessage());
    }

    @Test
    void theCertificateMustNameTheHost() {
        // Trusted, but made for 127.0.0.1 only: the same server reached as "localhost" is refused.
        Realplexor rpl = Realplexor.builder()
                .host("localhost")
                .port(server.inTlsPort())
                .trustedCertificates(server.certFile("ca.pem"))
                .build();
        RealplexorException e = assertThrows(RealplexorException.class, rpl::online);
        assertTrue(
                e.getMessage().startsWith("TLS handshake with localhost:" + server.inTlsPort() + " failed"),
                e.getMessage());
        assertTrue(e.getMessage().contains("localhost"), e.getMessage());
    }

    @Test
    void tlsCanBeTurnedOffAfterATrustOption() {
        // tls(false) wins over an implied TLS: the plain line answers.
        Realplexor rpl = Realplexor.builder()
                .host("127.0.0.1")
                .port(server.inPort())
                .trustedCertificates(server.certFile("ca.pem"))
                .tls(false)
                .namespace("stls3_")
                .build();
        assertTrue(rpl.send("Gamma", 1).reported());
    }

    @Test
    void aFileWithoutCertificatesIsABuilderError() throws Exception {
        var empty = Files.createTempFile("no-certs", ".pem");
        try {
            RealplexorException e = assertThrows(
                    RealplexorException.class, () -> Realplexor.builder().trustedCertificates(empty));
            assertTrue(e.getMessage().contains("no certificates in " + empty), e.getMessage());
        } finally {
            Files.delete(empty);
        }
    }
}
