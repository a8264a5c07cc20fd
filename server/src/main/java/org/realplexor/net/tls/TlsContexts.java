package org.realplexor.net.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.ReferenceCountUtil;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLException;
import org.realplexor.config.Settings;
import org.realplexor.net.TimerWheel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context of one line (WAIT or IN): the certificate in force, and a fresh SslHandler for
 * each connection accepted on a TLS address. A reload builds a new context from the new files;
 * connections already open keep the one they started with.
 */
public final class TlsContexts {
    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    /** TLS 1.2 and 1.3 only: older versions are broken or deprecated (RFC 8996). */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * Forward-secret AEAD suites only (what current browsers and the Mozilla "intermediate"
     * profile use); the TLS 1.3 ones first. Suites an engine lacks are left out.
     */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Both lines speak HTTP/1.1 (WebSocket included): advertised, so that no client tries h2. */
    private static final ApplicationProtocolConfig ALPN = alpn(ApplicationProtocolNames.HTTP_1_1);

    /**
     * The WAIT line with H2_ENABLED: h2 first (the server's preference wins), http/1.1 for the
     * rest; a client that offers neither gets http/1.1, as before.
     */
    private static final ApplicationProtocolConfig ALPN_H2 =
            alpn(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    private static ApplicationProtocolConfig alpn(String... protocols) {
        return new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                protocols);
    }

    /** A context replaced by a reload is released this long after: a connection being set up may still be using it. */
    private static final long RELEASE_AFTER_MS = 60_000;

    /** See {@link #build}: bytes of handshake output an engine buffers at once. */
    static final int BIO_BUFFER = Integer.getInteger("realplexor.tls.bioBuffer", 512);

    private final String line;
    private final SslProvider provider;
    private final ApplicationProtocolConfig alpn;
    /** The server's: a replaced context is released on it. */
    private final TimerWheel timers;

    private volatile SslContext current;
    private volatile TlsCredentials credentials;

    private TlsContexts(String line, SslProvider provider, boolean h2, TimerWheel timers) {
        this.line = line;
        this.provider = provider;
        this.alpn = h2 ? ALPN_H2 : ALPN;
        this.timers = timers;
    }

    /**
     * The context for {@code line} from the settings' files; a clear IllegalArgumentException
     * (naming the knob and the file) when they cannot serve.
     *
     * @param openSsl use the OpenSSL engine when it loads (else the JDK's)
     */
    /** @param h2 offer h2 next to http/1.1 in ALPN (the WAIT line with H2_ENABLED) */
    public static TlsContexts start(String line, Settings s, boolean openSsl, boolean h2, TimerWheel timers) {
        SslProvider p = openSsl && OpenSsl.isAvailable() ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK;
        TlsContexts t = new TlsContexts(line, p, h2, timers);
        TlsCredentials c = TlsCredentials.load(s, new Date());
        t.current = t.build(c);
        t.credentials = c;
        log.info(
                "{} line TLS: {} engine; certificate {}; ALPN {}",
                line,
                engineName(p),
                c.describe(),
                h2 ? "h2, http/1.1" : "http/1.1");
        t.warnIfExpiringSoon(c);
        return t;
    }

    /** Which engine, for the log: OpenSSL with its version, or the JDK's and why not OpenSSL. */
    static String engineName(SslProvider p) {
        if (p != SslProvider.JDK) return "OpenSSL (" + OpenSsl.versionString() + ")";
        Throwable why = OpenSsl.unavailabilityCause();
        return "JDK" + (why == null ? "" : " (OpenSSL unavailable: " + why + ")");
    }

    /** The handler that goes first in a new connection's pipeline. */
    public SslHandler newHandler(Channel ch) {
        return current.newHandler(ch.alloc());
    }

    /**
     * SIGHUP: new handshakes get the new files' certificate; open connections keep theirs. Files
     * that cannot serve leave the old certificate in force, and the log says why (the rest of
     * the reload still applies).
     */
    public void reload(Settings s) {
        TlsCredentials c;
        SslContext next;
        try {
            c = TlsCredentials.load(s, new Date());
            next = build(c);
        } catch (IllegalArgumentException e) {
            log.error(
                    "{} line TLS: keeping the certificate in force ({}): {}",
                    line,
                    credentials.describe(),
                    e.getMessage());
            return;
        }
        SslContext old = current;
        current = next;
        credentials = c;
        log.info("{} line TLS: new handshakes get certificate {}", line, c.describe());
        warnIfExpiringSoon(c);
        timers.after(RELEASE_AFTER_MS, () -> ReferenceCountUtil.release(old));
    }

    /** Releases the context in force (the server stops). */
    public void close() {
        ReferenceCountUtil.release(current);
    }

    private SslContext build(TlsCredentials c) {
        try {
            SslContext ctx = SslContextBuilder.forServer(c.key(), c.chain())
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(alpn)
                    .build();
            // Resumption: a long-poll reconnects after every answer, and a resumed handshake
            // skips the certificate and its signature. Netty turns tickets off by default for
            // OpenSSL; with no keys given, BoringSSL makes and rotates its own. (The JDK's
            // engine resumes from its session cache and, for TLS 1.3, its own tickets.)
            if (ctx.sessionContext() instanceof OpenSslSessionContext o) {
                o.setTicketKeys();
                // Tickets carry the session to the client: no per-session state stays here, and
                // a server-side cache would hold about one entry per recent connection.
                o.setSessionCacheEnabled(false);
            }
            // Each connection's engine keeps a buffer of this size for handshake output
            // (allocated up front, 2 KB by default, idle for the rest of a held poll's life);
            // a small one costs a few more passes during the handshake and saves RSS per poll.
            if (ctx instanceof ReferenceCountedOpenSslContext o) o.setBioNonApplicationBufferSize(BIO_BUFFER);
            return ctx;
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "TLS_CERT_FILE " + c.certFile() + " / TLS_KEY_FILE " + c.keyFile()
                            + ": the TLS engine refused them: " + e.getMessage(),
                    e);
        }
    }

    private void warnIfExpiringSoon(TlsCredentials c) {
        long days = c.daysLeft(new Date());
        if (days < 14) {
            log.warn(
                    "{} line TLS: the certificate expires in {} days ({}): renew it and send SIGHUP",
                    line,
                    days,
                    c.certFile());
        }
    }
}
