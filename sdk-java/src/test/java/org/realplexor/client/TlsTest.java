package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS: the real server behind a TLS terminator, as deployments put it. */
@ExtendWith(RealServerExtension.class)
class TlsTest {

    private static TlsTerminator terminator;

    private final RealServer server;

    TlsTest(RealServer server) {
        this.server = server;
    }

    @BeforeAll
    static void startTerminator(RealServer server, @TempDir Path dir) throws Exception {
        terminator = TlsTerminator.start(dir, server.inPort());
    }

    @AfterAll
    static void stopTerminator() throws Exception {
        terminator.close();
    }

    @Test
    void publishesAndQueriesOverTls() throws Exception {
        Realplexor rpl = Realplexor.builder()
                .host("127.0.0.1")
                .port(terminator.port())
                .sslContext(terminator.clientContext())
                .namespace("tls1_")
                .build();
        try (WaitListener l = server.listen("tls1_Alpha")) {
            assertEquals(List.of("Alpha"), rpl.online(), "ONLINE over TLS");
            SendResult r = rpl.send("Alpha", "secret");
            assertTrue(r.reported(), "the answer came back through the half-closed TLS connection");
            WaitListener.Part part = l.answer().get(0);
            assertEquals(Map.of("tls1_Alpha", r.cursors().get("Alpha")), part.ids());
            assertEquals("secret", part.data().asText());
        }
    }

    @Test
    void untrustedCertificateFailsTheHandshake() {
        Realplexor rpl = Realplexor.builder().port(terminator.port()).tls(true).build();
        RealplexorException e = assertThrows(RealplexorException.class, () -> rpl.send("Alpha", 1));
        assertTrue(
                e.getMessage().startsWith("TLS handshake with 127.0.0.1:" + terminator.port() + " failed"),
                e.getMessage());
    }

    @Test
    void certificateMustNameTheHost() {
        // Trusted, but made for 127.0.0.1 only: reaching it as "localhost" must be refused.
        Realplexor rpl = Realplexor.builder()
                .host("localhost")
                .port(terminator.port())
                .sslContext(terminator.clientContext())
                .build();
        RealplexorException e = assertThrows(RealplexorException.class, rpl::online);
        assertTrue(
                e.getMessage().startsWith("TLS handshake with localhost:" + terminator.port() + " failed"),
                e.getMessage());
        assertTrue(e.getMessage().contains("localhost"), e.getMessage());
    }
}
