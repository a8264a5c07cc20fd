package org.realplexor.net;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.Native;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a socket whose client half-closed in the event loop's epoll set, so that an answer too
 * large for the kernel's send buffer can still wait there for the client to read.
 *
 * <p>Why: Netty 4.2's epoll transport (4.2.18 here) takes a socket out of epoll
 * ({@code EPOLL_CTL_DEL}) as soon as it is interested in no event, and after a client's FIN it is
 * not: reading stops (EPOLLIN cleared) and EPOLLRDHUP is cleared too. The registration still
 * counts as added, so when a write later fills the send buffer and asks for EPOLLOUT, Netty uses
 * {@code EPOLL_CTL_MOD}, which fails with ENOENT; Netty then shuts the output (a clean FIN) and
 * fails the write, and the rest of the answer is lost. So the moment the input ends (while the
 * socket still listens for EPOLLIN or EPOLLRDHUP), the socket's interest is made edge-triggered:
 * EPOLLET alone is never "no event", so the socket stays in the set and EPOLLOUT can be asked
 * for again. Edge triggering is sound here: nothing is read any more, and Netty writes until the
 * buffer is full before it asks for EPOLLOUT, which is the edge-triggered rule.
 *
 * <p>Netty has no public way to set the flag (AbstractEpollChannel#setFlag is protected): it is
 * reached by reflection, once. Should that ever fail, the server still runs, and such answers
 * end in a reset that {@link CutAnswers} logs. A Netty that adds the socket back after such a
 * removal makes this unneeded, and is not harmed by it.
 */
final class HalfClosure {
    private static final Logger log = LoggerFactory.getLogger(HalfClosure.class);
    private static final MethodHandle SET_FLAG = setFlag();

    private HalfClosure() {}

    private static MethodHandle setFlag() {
        try {
            for (Class<?> c = EpollSocketChannel.class; c != null; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals("setFlag")
                            && m.getParameterCount() == 1
                            && m.getParameterTypes()[0] == int.class) {
                        m.setAccessible(true);
                        return MethodHandles.lookup().unreflect(m);
                    }
                }
            }
            throw new NoSuchMethodException("setFlag(int) in EpollSocketChannel's classes");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn(
                    "cannot keep half-closed sockets polled ({}): an answer larger than the socket buffer"
                            + " to a client that half-closed will end in a reset",
                    e.toString());
            return null;
        }
    }

    /** The client half-closed: call on the channel's event loop, before the event is passed on. */
    static void inputEnded(Channel ch) {
        if (SET_FLAG == null || !(ch instanceof EpollSocketChannel) || !ch.isOpen()) return;
        try {
            SET_FLAG.invoke(ch, Native.EPOLLET);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            // The socket failed under us: the answer's write, if any, reports it.
        }
    }
}
