package org.realplexor.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS contexts for the builder's trust options. Host name checking is not here: the IN line
 * turns it on for every socket (endpoint identification "HTTPS"), whatever the context.
 */
final class TlsTrust {

    private TlsTrust() {}

    /** A context trusting exactly the certificates in a PEM file (a private CA, a pinned certificate). */
    static SSLContext trusting(Path pemFile) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new RealplexorException("cannot read the trusted certificates " + pemFile + ": " + e, e);
        } catch (GeneralSecurityException e) {
            throw new RealplexorException("no certificates in " + pemFile + ": " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new RealplexorException("no certificates in " + pemFile + " (expected PEM \"BEGIN CERTIFICATE\")");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("trusted-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new RealplexorException("cannot make a TLS context from " + pemFile + ": " + e, e);
        }
    }

    /** A context deciding trust with the given manager. */
    static SSLContext trusting(X509TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new RealplexorException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }
}
