package org.realplexor.net;

import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.realplexor.config.Settings;
import org.realplexor.hub.Hub;
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

    private final Listeners listeners;
    private final Hub hub;
    private final AuthFactory authFactory;
    private final AtomicInteger open = new AtomicInteger();
    private final InBuffers inBuffers = new InBuffers();
    private final WaitAdmission admission = new WaitAdmission();
    private final CutAnswers cutAnswers = new CutAnswers();
    private final InAdmission inAdmission = new InAdmission();
    private volatile WaitContext wait;
    private volatile InContext in;
    private List<InetSocketAddress> waitAddresses;
    private List<InetSocketAddress> inAddresses;

    private NetLines(VertxInternal vertx, Hub hub, AuthFactory authFactory) {
        this.listeners = new Listeners(vertx, open);
        this.hub = hub;
        this.authFactory = authFactory;
    }

    public static NetLines start(VertxInternal vertx, Hub hub, Settings settings, AuthFactory authFactory)
            throws IOException, InterruptedException {
        NetLines n = new NetLines(vertx, hub, authFactory);
        n.wait = new WaitContext(settings, hub, StaticPages.load(settings), n.admission, n.cutAnswers);
        n.in = new InContext(settings, hub, authFactory.create(settings), n.inBuffers, n.cutAnswers, n.inAdmission);
        try {
            n.inAddresses = List.copyOf(n.listeners.bindIn(settings.inAddr(), () -> n.in));
            n.waitAddresses = List.copyOf(n.listeners.bindWait(settings.waitAddr(), () -> n.wait));
            n.admission.sizeFromOpenFilesLimit();
        } catch (RuntimeException e) {
            n.listeners.close();
            throw e;
        }
        return n;
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
        WaitContext w = new WaitContext(s, hub, StaticPages.load(s), admission, cutAnswers);
        InContext i = new InContext(s, hub, authFactory.create(s), inBuffers, cutAnswers, inAdmission);
        wait = w;
        in = i;
    }

    public void stopAccepting() {
        listeners.close();
    }

    /** Waits until no connection is open, or {@code millis} pass. */
    public void awaitQuiet(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (open.get() > 0 && System.currentTimeMillis() < until) Thread.sleep(20);
    }
}
