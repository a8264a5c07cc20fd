package org.realplexor.net.tls;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away CA and server certificates made by the openssl command for each test run (valid
 * for a day or two, never checked in).
 */
public final class TestPki {
    final Path dir;

    public TestPki(Path dir) {
        this.dir = dir;
    }

    /** A self-signed CA: NAME.pem and NAME.key. */
    public TestPki ca(String name) throws Exception {
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
                "/CN=Realplexor test CA " + name);
        return this;
    }

    /**
     * A server certificate for localhost / 127.0.0.1 issued by {@code ca}: NAME.pem (leaf then
     * CA) and NAME.key in the given form.
     *
     * @param keyType "ec" or "rsa"
     * @param keyForm "pkcs8" or "traditional" (BEGIN EC / RSA PRIVATE KEY)
     * @param days validity; negative: expired that many days ago
     */
    public TestPki server(String name, String ca, String keyType, String keyForm, int days, long serial)
            throws Exception {
        if (keyType.equals("ec")) {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".p8");
        } else {
            openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".p8");
        }
        if (keyForm.equals("traditional")) {
            // (openssl 3 writes PKCS#8 unless told: "rsa -traditional"; "ec" writes SEC 1 anyway)
            if (keyType.equals("rsa")) openssl("rsa", "-in", name + ".p8", "-out", name + ".key", "-traditional");
            else openssl("ec", "-in", name + ".p8", "-out", name + ".key");
        } else {
            Files.copy(dir.resolve(name + ".p8"), dir.resolve(name + ".key"));
        }
        openssl("req", "-new", "-key", name + ".p8", "-out", name + ".csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        List<String> sign = new ArrayList<>(List.of(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                ca + ".pem",
                "-CAkey",
                ca + ".key",
                "-set_serial",
                String.valueOf(serial),
                "-out",
                name + ".leaf",
                "-extfile",
                name + ".ext"));
        if (days > 0) {
            sign.addAll(List.of("-days", String.valueOf(days)));
        } else {
            // x509 -req only counts days from now: an expired one needs explicit dates
            expired(name, ca, serial, -days);
            return this;
        }
        openssl(sign.toArray(new String[0]));
        Files.writeString(
                dir.resolve(name + ".pem"),
                Files.readString(dir.resolve(name + ".leaf")) + Files.readString(dir.resolve(ca + ".pem")));
        return this;
    }

    /** A certificate that expired {@code daysAgo} days ago, through `openssl ca` with explicit dates. */
    private void expired(String name, String ca, long serial, int daysAgo) throws Exception {
        Path db = dir.resolve(name + ".db");
        Files.createDirectories(db);
        Files.writeString(db.resolve("index.txt"), "");
        Files.writeString(db.resolve("serial"), String.format("%08X%n", serial));
        String conf = "[ca]\ndefault_ca=t\n[t]\ndatabase=" + db.resolve("index.txt") + "\nserial="
                + db.resolve("serial")
                + "\nnew_certs_dir=" + db + "\ndefault_md=sha256\npolicy=p\ncopy_extensions=none\nunique_subject=no\n"
                + "[p]\ncommonName=supplied\n[e]\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n";
        Files.writeString(dir.resolve(name + ".cnf"), conf);
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC);
        java.time.Instant now = java.time.Instant.now();
        openssl(
                "ca",
                "-batch",
                "-config",
                name + ".cnf",
                "-in",
                name + ".csr",
                "-cert",
                ca + ".pem",
                "-keyfile",
                ca + ".key",
                "-startdate",
                f.format(now.minusSeconds(86400L * (daysAgo + 2))),
                "-enddate",
                f.format(now.minusSeconds(86400L * daysAgo)),
                "-extensions",
                "e",
                "-notext",
                "-out",
                name + ".leaf");
        Files.writeString(
                dir.resolve(name + ".pem"),
                Files.readString(dir.resolve(name + ".leaf")) + Files.readString(dir.resolve(ca + ".pem")));
    }

    public Path path(String file) {
        return dir.resolve(file);
    }

    /** A client context that trusts only {@code ca}. */
    public SSLContext clientTrusting(String ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = new FileInputStream(dir.resolve(ca + ".pem").toFile())) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    static BigInteger serialOf(X509Certificate c) {
        return c.getSerialNumber();
    }

    String openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}
