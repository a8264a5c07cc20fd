package org.realplexor.net;

import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.realplexor.auth.Authenticator;
import org.realplexor.config.Settings;
import org.realplexor.hub.Hub;
import org.realplexor.net.h2.H2Line;
import org.realplexor.net.tls.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Both lines and the shared contexts their connections read; reload swaps the contexts. */
public final class NetLines {
    private static final Logger log = LoggerFactory.getLogger(NetLines.class);

    /** Builds the credential check for a settings snapshot (reads the users file). */
    @FunctionalInterface
    public interface AuthFactory {
        Authenticator create(Settings settings) throws IOException;
    }

    private final ServerSockets listeners;
    private final Hub hub;
    private final AuthFactory authFactory;
    private final AtomicInteger open = new AtomicInteger();
    private final InBuffers inBuffers = new InBuffers();
    private final WaitAdmission admission = new WaitAdmission();
    private final CutAnswers cutAnswers = new CutAnswers();
    private final InAdmission inAdmission = new InAdmission();
    /** The server's (see RealplexorServer), handed to every context. */
    private final TimerWheel timers;

    private final PasswordChecks passwords;
    private volatile WaitContext wait;
    private volatile InContext in;
    private List<InetSocketAddress> waitAddresses;
    private List<InetSocketAddress> inAddresses;
    /** TLS contexts of the lines that have TLS addresses, else null. */
    private TlsContexts waitTls;

    private TlsContexts inTls;
    private List<InetSocketAddress> waitTlsAddresses = List.of();
    private List<InetSocketAddress> inTlsAddresses = List.of();
    /** HTTP/2 on the WAIT TLS addresses (H2_ENABLED), else null. */
    private H2Line h2;

    private NetLines(
            VertxInternal vertx, Hub hub, AuthFactory authFactory, TimerWheel timers, PasswordChecks passwords) {
        this.listeners = new ServerSockets(vertx, open);
        this.hub = hub;
        this.authFactory = authFactory;
        this.timers = timers;
        this.passwords = passwords;
    }

    /** {@code timers} and {@code passwords} stay the caller's: it closes them once the lines are closed. */
    public static NetLines start(
            VertxInternal vertx,
            Hub hub,
            Settings settings,
            AuthFactory authFactory,
            TimerWheel timers,
            PasswordChecks passwords)
            throws IOException, InterruptedException {
        NetLines n = new NetLines(vertx, hub, authFactory, timers, passwords);
        n.wait = n.waitContext(settings);
        n.in = n.inContext(settings);
        try {
            n.startTls(settings);
            n.inAddresses = List.copyOf(n.listeners.bindIn(settings.inAddr(), () -> n.in));
            n.waitAddresses = List.copyOf(n.listeners.bindWait(settings.waitAddr(), () -> n.wait));
            if (n.inTls != null)
                n.inTlsAddresses = List.copyOf(n.listeners.bindIn(settings.inTlsAddr(), () -> n.in, n.inTls));
            if (n.waitTls != null) {
                if (settings.h2Enabled()) n.h2 = n.h2Line();
                n.waitTlsAddresses =
                        List.copyOf(n.listeners.bindWait(settings.waitTlsAddr(), () -> n.wait, n.waitTls, n.h2));
            }
            n.admission.sizeFromOpenFilesLimit();
        } catch (RuntimeException e) {
            n.listeners.close();
            n.closeTls();
            throw e;
        }
        return n;
    }

    /**
     * TLS for the lines that have TLS addresses, from TLS_CERT_FILE and TLS_KEY_FILE; before any
     * bind, so that a certificate problem stops the start with nothing listening. The WAIT line
     * uses the OpenSSL engine where it loads: a held poll then costs a few KB. The IN line
     * uses the JDK's engine: its clients end a request with a close_notify and then read the
     * answer (a TLS 1.3 half-close), which the JDK's engine allows and Netty's OpenSSL engine
     * answers by closing both ways; IN connections are few and short, so its weight does not
     * matter.
     */
    /**
     * HTTP/2 on WAIT_TLS_ADDR: each stream gets a WAIT handler of its own; the connection is
     * admitted once, as an HTTP/1.1 connection is (its streams are not counted again).
     */
    private H2Line h2Line() {
        return new H2Line(
                () -> wait.settings,
                () -> new WaitHandler(() -> wait),
                ch -> {
                    Settings s = wait.settings;
                    String refused = admission.admit(ch, s.waitMaxConnPerIp(), s.maxConnections());
                    if (refused != null) return new H2Line.Admitted(refused, null);
                    boolean perAddress = s.waitMaxConnPerIp() > 0;
                    return new H2Line.Admitted(null, () -> admission.closed(ch, perAddress));
                },
                timers);
    }

    private void startTls(Settings s) {
        if (!s.waitTlsAddr().isEmpty()) waitTls = TlsContexts.start("WAIT", s, true, s.h2Enabled(), timers);
        if (!s.inTlsAddr().isEmpty()) inTls = TlsContexts.start("IN", s, false, false, timers);
    }

    private void closeTls() {
        if (waitTls != null) waitTls.close();
        if (inTls != null) inTls.close();
    }

    /** Bound WAIT_TLS_ADDR addresses (empty without TLS). */
    public List<InetSocketAddress> waitTlsAddresses() {
        return waitTlsAddresses;
    }

    /** Bound IN_TLS_ADDR addresses (empty without TLS). */
    public List<InetSocketAddress> inTlsAddresses() {
        return inTlsAddresses;
    }

    public List<InetSocketAddress> waitAddresses() {
        return waitAddresses;
    }

    public List<InetSocketAddress> inAddresses() {
        return inAddresses;
    }

    /** Connections currently open on both lines. */
    public int openConnections() {
        return open.get();
    }

    /** The WAIT line's admission and counters (for the metrics). */
    public WaitAdmission waitAdmission() {
        return admission;
    }

    /** The IN line's admission and counters (for the metrics). */
    public InAdmission inAdmission() {
        return inAdmission;
    }

    /** New connections see the new settings; held ones keep theirs until they end. */
    public void reload(Settings s) throws IOException {
        WaitContext w = waitContext(s);
        InContext i = inContext(s);
        wait = w;
        in = i;
        // A certificate that cannot serve is logged and the old one kept (see TlsContexts#reload).
        if (waitTls != null) waitTls.reload(s);
        if (inTls != null) inTls.reload(s);
    }

    /** A context for new WAIT connections: the settings' own parts, the server's shared ones. */
    private WaitContext waitContext(Settings s) throws IOException {
        return new WaitContext(s, hub, StaticPages.load(s), admission, cutAnswers, timers);
    }

    /** A context for new IN connections: the settings' own parts (the users file), the server's shared ones. */
    private InContext inContext(Settings s) throws IOException {
        return new InContext(s, hub, authFactory.create(s), inBuffers, cutAnswers, inAdmission, timers, passwords);
    }

    public void stopAccepting() {
        listeners.close();
        if (h2 != null) h2.goAway(); // no new streams; each connection closes once its streams end
        closeTls(); // open connections hold their own reference to the context
    }

    /** Waits until no connection is open, or {@code millis} pass. */
    public void awaitQuiet(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (open.get() > 0 && System.currentTimeMillis() < until) Thread.sleep(20);
    }
}
