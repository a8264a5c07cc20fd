package org.realplexor.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and server certificates made by the openssl command for each run (valid for
 * two days, never checked in), as the server's own TLS tests make them.
 */
final class TestCerts {

    private final Path dir;

    TestCerts(Path dir) {
        this.dir = dir;
    }

    /** A self-signed CA: NAME.pem and NAME.key. */
    TestCerts ca(String name) throws IOException, InterruptedException {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                name + ".key",
                "-out",
                name + ".pem",
                "-days",
                "2",
                "-subj",
                "/CN=Realplexor sdk-java test CA " + name);
        return this;
    }

    /** NAME.pem (leaf, then the CA) and NAME.key (EC, PKCS#8) issued by {@code ca} for the given subjectAltName. */
    TestCerts server(String name, String ca, String subjectAltName) throws IOException, InterruptedException {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltName + "\n");
        openssl(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                ca + ".pem",
                "-CAkey",
                ca + ".key",
                "-set_serial",
                "77",
                "-days",
                "2",
                "-out",
                name + ".leaf",
                "-extfile",
                name + ".ext");
        Files.writeString(
                dir.resolve(name + ".pem"),
                Files.readString(dir.resolve(name + ".leaf")) + Files.readString(dir.resolve(ca + ".pem")));
        return this;
    }

    Path path(String file) {
        return dir.resolve(file);
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
        }
    }
}
