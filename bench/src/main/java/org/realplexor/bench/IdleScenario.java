package org.realplexor.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * (a) N held polls, each on an id of its own, opened from several source addresses; once the
 * server has sent the head to every one, the server's memory per poll.
 */
final class IdleScenario {
    /** Connects in flight at once: stays well under the server's accept backlog. */
    private static final int IN_FLIGHT = 256;
    /** Warm-up: rounds of at most this many held polls, opened and closed again before the baseline. */
    private static final int WARM_ROUND_POLLS = 2000;

    private static final int CONNECT_ATTEMPTS = 3;

    private final Scenario sc;
    private final int polls;
    private final int histoTop;
    private final int warmPolls;
    private final Transport transport;
    private final Channel[] channels;
    private final Semaphore permits = new Semaphore(IN_FLIGHT);
    private final AtomicInteger heads = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final Scenario.FirstError firstError = new Scenario.FirstError();
    private volatile boolean closing;

    IdleScenario(Scenario sc, int polls, int histoTop, int warmPolls, Transport transport) {
        this.sc = sc;
        this.transport = transport;
        this.warmPolls = warmPolls;
        this.polls = polls;
        this.histoTop = histoTop;
        this.channels = new Channel[polls];
    }

    Scenario.Result run() throws InterruptedException {
        warmUp();
        JvmProbe.Histogram heapBefore = JvmProbe.histogram(sc.server().pid);
        ProcStats.Sample before = sc.server().sample();
        ClientTls.Counts tlsBefore = Scenario.waitTls(sc.net());

        long t0 = System.nanoTime();
        for (int i = 0; i < polls; i++) {
            if (!permits.tryAcquire(sc.deadline().remainingNanos(), TimeUnit.NANOSECONDS)) {
                break;
            }
            open(i, "idle_" + sc.tag() + "_" + i, 1);
        }
        boolean allHeld = sc.deadline().awaitCondition(() -> heads.get() + failed.get() >= polls);
        double openSeconds = (System.nanoTime() - t0) / 1e9;

        ProcStats.Sample held = sc.server().sample();
        JvmProbe.Histogram heapHeld = JvmProbe.histogram(sc.server().pid);
        ProcStats.Sample heldAfterGc = sc.server().sample();
        int n = heads.get();

        Line line = new Line("idle");
        if (transport.streaming()) {
            line.put("transport", transport.label());
        }
        Scenario.tlsFields(line, tlsBefore, Scenario.waitTls(sc.net()));
        line.put("polls", polls)
                .put("warmup_polls", Math.max(1, warmPolls))
                .put("held", n)
                .kb("rss_per_poll", perPoll(Scenario.rss(before), Scenario.rss(held), n))
                .mb("rss_before", Scenario.rss(before))
                .mb("rss_total", Scenario.rss(held))
                .kb("rss_per_poll_after_gc", perPoll(Scenario.rss(before), Scenario.rss(heldAfterGc), n))
                .kb(
                        "heap_live_per_poll",
                        heapBefore == null || heapHeld == null
                                ? Double.NaN
                                : perPoll(heapBefore.totalBytes(), heapHeld.totalBytes(), n))
                .num("cpu_s", Scenario.cpu(before, held), 2)
                .num("cpu_sys_share", Scenario.sysShare(before, held), 2)
                .num("open_s", openSeconds, 2)
                .put("failed", failed.get())
                .put("dropped", dropped.get());
        boolean ok = allHeld && n == polls && dropped.get() == 0;
        line.put("status", ok ? "ok" : allHeld ? "error" : "timeout");
        if (histoTop > 0 && heapBefore != null && heapHeld != null && n > 0) {
            Bench.note("idle live-heap growth per poll, top classes: " + heapHeld.topGrowth(heapBefore, histoTop, n));
        }
        if (firstError.get() != null) {
            Bench.note("idle first error: " + firstError.get());
        }
        closeAll();
        return new Scenario.Result(line, ok);
    }

    private static double perPoll(double before, double after, int n) {
        return n == 0 ? Double.NaN : (after - before) / n;
    }

    /**
     * Lets the server allocate what it allocates once (buffer pools, first ids, a publish) and
     * lets the JIT compile the connection path: without it, the compiled code and compiler arenas
     * that grow while the first ten thousand polls arrive (several MB) were counted per poll.
     * All warm-up polls share one id, so the only state they leave is that id's presence.
     */
    private void warmUp() throws InterruptedException {
        for (int round = 0, left = Math.max(1, warmPolls); left > 0; round++, left -= WARM_ROUND_POLLS) {
            warmRound(round, Math.min(left, WARM_ROUND_POLLS));
        }
        InClient in = new InClient(sc.net(), sc.server().in);
        List<CompletableFuture<InClient.Answer>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(in.send("idlewarm_" + sc.tag(), Scenario.payload(i)));
        }
        for (CompletableFuture<InClient.Answer> f : sent) {
            try {
                f.get(Math.max(1, sc.deadline().remainingNanos()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                Bench.note("idle warm-up publish failed: " + e);
            }
        }
    }

    /** {@code count} held polls on the warm-up id, at most IN_FLIGHT connecting at once, then closed. */
    private void warmRound(int round, int count) throws InterruptedException {
        List<Channel> warm = new ArrayList<>();
        AtomicInteger warmHeads = new AtomicInteger();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        for (int i = 0; i < count; i++) {
            if (!inFlight.tryAcquire(10, TimeUnit.SECONDS)) {
                break;
            }
            ChannelFuture f = sc.net()
                    .bootstrap(sc.net().loop(i))
                    .handler(sc.net()
                            .waitClient(
                                    new ChannelInboundHandlerAdapter() {
                                        private final HeadMatcher head = new HeadMatcher();

                                        @Override
                                        public void channelActive(ChannelHandlerContext ctx) {
                                            ctx.writeAndFlush(WaitRequest.encode(
                                                    transport, ctx.alloc(), sc.server().wait, "idlewarm_" + sc.tag()));
                                        }

                                        @Override
                                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                            ByteBuf in = (ByteBuf) msg;
                                            if (!head.done() && head.feed(in)) {
                                                warmHeads.incrementAndGet();
                                                inFlight.release();
                                            }
                                            in.release();
                                        }
                                    },
                                    sc.server().wait))
                    .connect(sc.server().wait, sc.net().source(i + round));
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    inFlight.release();
                }
            });
            warm.add(f.channel());
        }
        if (!sc.deadline().within(20).awaitCondition(() -> warmHeads.get() >= warm.size())) {
            Bench.note("idle warm-up round " + round + ": " + warmHeads.get() + " of " + warm.size() + " polls held");
        }
        for (Channel ch : warm) {
            ch.close().awaitUninterruptibly(Math.max(1, sc.deadline().remainingNanos()), TimeUnit.NANOSECONDS);
        }
    }

    private void open(int i, String id, int attempt) {
        ChannelFuture f = sc.net()
                .bootstrap(sc.net().loop(i))
                .handler(sc.net().waitClient(new HeldPoll(id), sc.server().wait))
                .connect(sc.server().wait, sc.net().source(i));
        channels[i] = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                firstError.offer("connect: " + done.cause());
                if (attempt < CONNECT_ATTEMPTS && !closing) {
                    sc.net().loop(i).schedule(() -> open(i, id, attempt + 1), 50, TimeUnit.MILLISECONDS);
                } else {
                    failed.incrementAndGet();
                    permits.release();
                }
            }
        });
    }

    private void closeAll() {
        closing = true;
        for (Channel ch : channels) {
            if (ch != null) {
                ch.close()
                        .awaitUninterruptibly(
                                Math.max(1, sc.deadline().within(30).remainingNanos()), TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Holds one poll: sends the request, notices the head, then just sits. */
    private final class HeldPoll extends ChannelInboundHandlerAdapter {
        private final String id;
        private final HeadMatcher head = new HeadMatcher();

        HeldPoll(String id) {
            this.id = id;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(WaitRequest.encode(transport, ctx.alloc(), sc.server().wait, id));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (!head.done() && head.feed(in)) {
                    heads.incrementAndGet();
                    permits.release();
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (closing) {
                return;
            }
            if (head.done()) {
                dropped.incrementAndGet();
                firstError.offer("server closed a held poll");
            } else {
                failed.incrementAndGet();
                permits.release();
                firstError.offer("server closed a poll before its head");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            firstError.offer(cause.toString());
            ctx.close();
        }
    }
}
