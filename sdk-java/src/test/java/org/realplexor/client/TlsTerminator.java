package org.realplexor.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a TLS deployment puts in front of the IN line (stunnel, nginx stream): decrypts and
 * forwards each connection to the server, passing the client's half-close on, and sends the
 * answer back. Its certificate is made for this run by keytool, for the address
 * {@code 127.0.0.1} only (so that another name for the same host fails verification).
 */
final class TlsTerminator implements AutoCloseable {

    private static final char[] PASS = "changeit".toCharArray();

    private final SSLServerSocket server;
    private final int targetPort;
    private final SSLContext clientContext;

    private TlsTerminator(SSLServerSocket server, int targetPort, SSLContext clientContext) {
        this.server = server;
        this.targetPort = targetPort;
        this.clientContext = clientContext;
        Thread t = new Thread(this::acceptLoop, "tls-terminator");
        t.setDaemon(true);
        t.start();
    }

    static TlsTerminator start(Path dir, int targetPort) throws Exception {
        Path store = dir.resolve("test-tls.p12");
        Files.deleteIfExists(store);
        Process keytool = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "test",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=realplexor-test",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        new String(PASS),
                        "-keypass",
                        new String(PASS)))
                .redirectErrorStream(true)
                .start();
        String out = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASS);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
        SSLServerSocket server = (SSLServerSocket)
                serverContext.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new TlsTerminator(server, targetPort, clientContext);
    }

    int port() {
        return server.getLocalPort();
    }

    /** A context that trusts this terminator's certificate. */
    SSLContext clientContext() {
        return clientContext;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket tls = server.accept();
                Thread t = new Thread(() -> forward(tls), "tls-forward");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                // closed by close()
            }
        }
    }

    private void forward(Socket tls) {
        try (tls;
                Socket plain = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            Thread upstream = new Thread(
                    () -> {
                        try {
                            tls.getInputStream().transferTo(plain.getOutputStream());
                            plain.shutdownOutput(); // the client's half-close, passed on
                        } catch (IOException e) {
                            // the connection failed; the downstream copy ends too
                        }
                    },
                    "tls-upstream");
            upstream.setDaemon(true);
            upstream.start();
            plain.getInputStream().transferTo(tls.getOutputStream());
            upstream.join(10_000);
        } catch (IOException e) {
            // one broken connection: the client sees it as an I/O error
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
