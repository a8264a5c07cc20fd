package org.realplexor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway CA and a server certificate signed by it, made with the openssl command line in a
 * temporary folder (deleted on close): what {@code --tls} hands the server (TLS_CERT_FILE,
 * TLS_KEY_FILE) and the bench's clients (the CA to trust). ECDSA P-256 keys, as a current ACME CA
 * issues; the certificate names {@code localhost} and {@code 127.0.0.1}, the names the bench's
 * clients verify it against.
 */
final class TlsFiles implements AutoCloseable {
    final Path dir;
    final Path ca;
    final Path cert;
    final Path key;

    private TlsFiles(Path dir) {
        this.dir = dir;
        this.ca = dir.resolve("ca.pem");
        this.cert = dir.resolve("server.pem");
        this.key = dir.resolve("server.key");
    }

    static TlsFiles make() throws IOException, InterruptedException {
        TlsFiles t = new TlsFiles(Files.createTempDirectory("realplexor-bench-tls-"));
        try {
            Files.writeString(
                    t.dir.resolve("server.ext"),
                    "basicConstraints=critical,CA:FALSE\n"
                            + "keyUsage=critical,digitalSignature\n"
                            + "extendedKeyUsage=serverAuth\n"
                            + "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
                    StandardCharsets.US_ASCII);
            t.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key");
            t.openssl(
                    "req",
                    "-x509",
                    "-new",
                    "-key",
                    "ca.key",
                    "-subj",
                    "/CN=realplexor bench CA",
                    "-days",
                    "2",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign",
                    "-out",
                    "ca.pem");
            t.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "server.key");
            t.openssl("req", "-new", "-key", "server.key", "-subj", "/CN=localhost", "-out", "server.csr");
            t.openssl(
                    "x509",
                    "-req",
                    "-in",
                    "server.csr",
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    "2",
                    "-extfile",
                    "server.ext",
                    "-out",
                    "server.pem");
            return t;
        } catch (IOException | InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Path out = dir.resolve("openssl.log");
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
        } catch (IOException e) {
            throw new IOException("--tls needs the openssl command: " + e.getMessage(), e);
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl " + args[0] + " did not finish in 30 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(
                    String.join(" ", cmd) + " exited with " + p.exitValue() + ":\n" + Files.readString(out));
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            Bench.note("cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
