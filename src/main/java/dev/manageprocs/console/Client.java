package dev.manageprocs.console;

import dev.manageprocs.posix.Epoll;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.Sockets;
import dev.manageprocs.reactor.LoopBuffers;
import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.supervisor.Announcements;
import java.nio.charset.StandardCharsets;

/**
 * One console connection, on the event loop. Output is written at once while the socket takes it;
 * the rest waits in a bounded {@link SendQueue} and goes out when epoll says the socket is writable
 * (EPOLLOUT is watched only while something waits).
 *
 * <p>A client that stops reading is never disconnected and never slows anyone down: once its queue
 * is full (or the unit's clients together hold their whole {@link SendBudget}), output for it is
 * dropped (counted) until the queue has drained completely; then it is
 * told {@code @@@ N bytes of output were dropped because this client was not reading} and gets live
 * output again. Dropping rather than disconnecting keeps an operator's session (a terminal paused
 * with ^S, a slow ssh link) alive and tells them exactly what they missed, while memory per client
 * stays at most the queue limit; the console log still has everything.
 */
final class Client {
    private final Reactor reactor;
    private final ConsoleHub hub;
    private final int fd;
    private final String who;
    private final boolean readOnly;
    private final TelnetDecoder decoder = new TelnetDecoder();
    private final SendQueue queue;
    private final SendBudget budget;
    /** False for an attach session's socket pair: its other end does not survive a re-exec. */
    private final boolean survivesReexec;
    private boolean writeWatched;
    private long dropped;
    private boolean closed;

    Client(Reactor reactor, ConsoleHub hub, int fd, String who, boolean readOnly, int queueLimit, SendBudget budget,
            boolean survivesReexec) {
        this.survivesReexec = survivesReexec;
        this.reactor = reactor;
        this.hub = hub;
        this.fd = fd;
        this.who = who;
        this.readOnly = readOnly;
        this.queue = new SendQueue(queueLimit);
        this.budget = budget;
        reactor.register(fd, Epoll.EPOLLIN, this::ready);
    }

    String who() {
        return who;
    }

    boolean readOnly() {
        return readOnly;
    }

    boolean closed() {
        return closed;
    }

    boolean survivesReexec() {
        return survivesReexec;
    }

    /** This connection for a live re-exec; its fd must stay open across the exec. */
    ConsoleSnapshot.Connection snapshot() {
        return new ConsoleSnapshot.Connection(fd, who, readOnly, queue.contents(), dropped);
    }

    /** Takes over the output a previous program of this process had not sent yet, and what it dropped. */
    void resume(ConsoleSnapshot.Connection c) {
        int n = c.queued().length;
        if (n > 0 && budget.reserve(n)) {
            if (queue.offer(c.queued(), 0, n)) {
                watchWrites(true);
            } else {
                budget.release(n);
            }
        }
        dropped = c.dropped();
        if (dropped > 0) {
            watchWrites(true); // the notice goes out once the socket is writable
        }
    }

    /** Bytes of send buffer this client holds right now. */
    int buffered() {
        return queue.capacity();
    }

    /** Sends bytes already in wire form (escaped output, server lines, telnet commands). */
    void send(byte[] b, int off, int len) {
        if (closed || len == 0) {
            return;
        }
        if (dropped > 0) {
            dropped += len;
            return;
        }
        if (queue.isEmpty()) {
            int n = write(b, off, len);
            if (n < 0 || n == len) {
                return;
            }
            off += n;
            len -= n;
        }
        if (!budget.reserve(len)) {
            dropped = len;
        } else if (!queue.offer(b, off, len)) {
            budget.release(len);
            dropped = len;
        }
        watchWrites(true);
    }

    void send(byte[] b) {
        send(b, 0, b.length);
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        budget.release(queue.size());
        reactor.unregister(fd);
        LibC.close(fd);
        hub.clientClosed(this);
    }

    private void ready(int events) {
        if ((events & Epoll.EPOLLOUT) != 0) {
            flush();
        }
        if (!closed && (events & Epoll.EPOLLIN) != 0) {
            read();
        }
        if (!closed && (events & (Epoll.EPOLLERR | Epoll.EPOLLHUP)) != 0) {
            close();
        }
    }

    private void read() {
        LoopBuffers io = reactor.buffers();
        long n = Sockets.recv(fd, io.socketReadNative, LoopBuffers.SOCKET_READ_SIZE, 0);
        if (n < 0 && LibC.errno() == LibC.EAGAIN) {
            return;
        }
        if (n <= 0) {
            close();
            return;
        }
        io.socketReadNative.read(0, io.socketRead, 0, (int) n);
        int data = decoder.decode(io.socketRead, 0, (int) n);
        send(decoder.takeReplies());
        decoder.takeWindowSize().ifPresent(w -> hub.clientResized(this, w.rows(), w.cols()));
        if (!closed && data > 0) {
            hub.clientInput(this, io.socketRead, 0, data);
        }
    }

    private void flush() {
        LoopBuffers io = reactor.buffers();
        while (!queue.isEmpty()) {
            int n = queue.peek(io.socketWriteNative, LoopBuffers.SOCKET_WRITE_SIZE);
            long sent = Sockets.send(fd, io.socketWriteNative, n, Sockets.MSG_NOSIGNAL);
            if (sent < 0) {
                if (LibC.errno() != LibC.EAGAIN) {
                    close();
                }
                return;
            }
            queue.consume((int) sent);
            budget.release((int) sent);
            if (sent < n) {
                return;
            }
        }
        if (dropped > 0) {
            byte[] notice = ("\r\n" + Announcements.dropped(dropped) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            dropped = 0;
            send(notice);
            if (!queue.isEmpty()) {
                return;
            }
        }
        watchWrites(false);
    }

    /** Writes what the socket takes now; -1 when the client is gone (it is closed then). */
    private int write(byte[] b, int off, int len) {
        LoopBuffers io = reactor.buffers();
        int done = 0;
        while (done < len) {
            int n = Math.min(len - done, LoopBuffers.SOCKET_WRITE_SIZE);
            io.socketWriteNative.write(0, b, off + done, n);
            long sent = Sockets.send(fd, io.socketWriteNative, n, Sockets.MSG_NOSIGNAL);
            if (sent < 0) {
                if (LibC.errno() == LibC.EAGAIN) {
                    return done;
                }
                close();
                return -1;
            }
            done += (int) sent;
            if (sent < n) {
                return done;
            }
        }
        return done;
    }

    private void watchWrites(boolean on) {
        if (on != writeWatched && !closed) {
            writeWatched = on;
            reactor.modify(fd, on ? Epoll.EPOLLIN | Epoll.EPOLLOUT : Epoll.EPOLLIN);
        }
    }
}
