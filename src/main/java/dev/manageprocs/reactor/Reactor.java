package dev.manageprocs.reactor;

import com.sun.jna.Memory;
import dev.manageprocs.posix.Epoll;
import dev.manageprocs.posix.LibC;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop on one platform thread: epoll over raw fds (pty masters, pidfds, sockets), timers and
 * tasks posted from other threads. Everything registered here runs on the loop thread only, so the
 * state it touches needs no locks. Handlers must not block (a disk write is the most they may do).
 *
 * <p>A handler that throws an exception is logged and the loop carries on: one unit's bug must not
 * stop every other unit. An {@link Error} (out of memory, a stack overflow, a class that no longer
 * loads because the jar was replaced) leaves the JVM in a state nothing can vouch for, so it ends the
 * loop and is handed to the {@code onFatal} handler, which the manager uses to exit at once; calls
 * still waiting for the loop then fail instead of hanging.
 */
public final class Reactor implements Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reactor.class);
    private static final int MAX_EVENTS = 256;
    private static final long WAKEUP_TOKEN = 0;

    /** Called on the loop thread with the ready epoll events (IN, OUT, ERR, HUP bits). */
    @FunctionalInterface
    public interface Handler {
        void ready(int events);
    }

    /** A scheduled task; {@link #cancel()} is safe to call more than once, on the loop thread. */
    public static final class Timer implements Comparable<Timer> {
        private final long dueNanos;
        private final long seq;
        private final Runnable task;
        private boolean cancelled;

        private Timer(long dueNanos, long seq, Runnable task) {
            this.dueNanos = dueNanos;
            this.seq = seq;
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }

        /** When it fires, in System.nanoTime. */
        public long dueNanos() {
            return dueNanos;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(dueNanos, o.dueNanos);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private record Registration(int fd, Handler handler) {
    }

    private final int epfd;
    private final int wakeFd;
    private final Thread thread;
    private final Memory events = Epoll.events(MAX_EVENTS);
    /** The loop reads the eventfd counter into this; only the loop thread touches it. */
    private final Memory wakeBuf = new Memory(8);
    /** Any thread writes this constant 1 to wake the loop; never modified, so sharing it is safe. */
    private final Memory one = new Memory(8);
    private final Memory ctlEvent = Epoll.events(1);
    // token (never reused) -> registration, so a late event for a closed and reused fd is ignored
    private final Map<Long, Registration> byToken = new HashMap<>();
    private final Map<Integer, Long> tokenByFd = new HashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final ArrayDeque<Runnable> posted = new ArrayDeque<>();
    private final Set<CompletableFuture<?>> waitingCalls = new HashSet<>();
    private final Consumer<Throwable> onFatal;
    private LoopBuffers buffers;
    private volatile Throwable died;
    private long nextToken = 1;
    private long timerSeq;
    private volatile boolean closing;

    /** A loop whose fatal errors are only logged (tests; the loop thread still ends). */
    public Reactor(String name) {
        this(name, t -> { });
    }

    /** @param onFatal called on the dying loop thread with the Error that ended the loop */
    public Reactor(String name, Consumer<Throwable> onFatal) {
        this.onFatal = onFatal;
        epfd = Epoll.epoll_create1(Epoll.EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw new IllegalStateException("epoll_create1 failed: " + LibC.lastError());
        }
        wakeFd = Epoll.eventfd(0, Epoll.EFD_CLOEXEC | Epoll.EFD_NONBLOCK);
        if (wakeFd < 0) {
            throw new IllegalStateException("eventfd failed: " + LibC.lastError());
        }
        one.setLong(0, 1);
        ctl(Epoll.EPOLL_CTL_ADD, wakeFd, Epoll.EPOLLIN, WAKEUP_TOKEN);
        thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
        thread.start();
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** The buffers every handler on this loop shares. Loop thread only. */
    public LoopBuffers buffers() {
        assertLoop();
        if (buffers == null) {
            buffers = new LoopBuffers();
        }
        return buffers;
    }

    /** Runs the task on the loop thread, soon; callable from any thread. */
    @Override
    public void execute(Runnable task) {
        if (died != null) {
            throw new IllegalStateException("the event loop has stopped after a fatal error (" + died + ")", died);
        }
        synchronized (posted) {
            posted.add(task);
        }
        if (!inLoop()) {
            LibC.write(wakeFd, one, 8);
        }
    }

    /** Runs the task on the loop thread and waits for its result; on the loop thread it runs at once. */
    public <T> T call(Callable<T> task) {
        if (inLoop()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        synchronized (waitingCalls) {
            waitingCalls.add(result);
        }
        execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception e) {
                result.completeExceptionally(e); // an Error ends the loop, which fails every waiting call
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the event loop", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            synchronized (waitingCalls) {
                waitingCalls.remove(result);
            }
        }
    }

    /** Watches fd for the given epoll events. Loop thread only. */
    public void register(int fd, int interest, Handler handler) {
        assertLoop();
        if (tokenByFd.containsKey(fd)) {
            throw new IllegalStateException("fd " + fd + " is already registered");
        }
        long token = nextToken++;
        ctl(Epoll.EPOLL_CTL_ADD, fd, interest, token);
        byToken.put(token, new Registration(fd, handler));
        tokenByFd.put(fd, token);
    }

    /** Changes the events watched on fd. Loop thread only. */
    public void modify(int fd, int interest) {
        assertLoop();
        Long token = tokenByFd.get(fd);
        if (token == null) {
            throw new IllegalStateException("fd " + fd + " is not registered");
        }
        ctl(Epoll.EPOLL_CTL_MOD, fd, interest, token);
    }

    /** Stops watching fd (call before closing it). Loop thread only; unknown fds are ignored. */
    public void unregister(int fd) {
        assertLoop();
        Long token = tokenByFd.remove(fd);
        if (token != null) {
            byToken.remove(token);
            Epoll.epoll_ctl(epfd, Epoll.EPOLL_CTL_DEL, fd, null);
        }
    }

    /** Runs task on the loop thread after delay. Loop thread only. */
    public Timer schedule(Duration delay, Runnable task) {
        assertLoop();
        Timer t = new Timer(System.nanoTime() + Math.max(0, delay.toNanos()), timerSeq++, task);
        timers.add(t);
        return t;
    }

    public int registeredCount() {
        assertLoop();
        return byToken.size();
    }

    private void ctl(int op, int fd, int interest, long token) {
        Epoll.setEvent(ctlEvent, 0, interest, token);
        if (Epoll.epoll_ctl(epfd, op, fd, ctlEvent) != 0) {
            throw new IllegalStateException("epoll_ctl on fd " + fd + " failed: " + LibC.lastError());
        }
    }

    private void assertLoop() {
        if (!inLoop()) {
            throw new IllegalStateException("must run on the event loop thread, not " + Thread.currentThread().getName());
        }
    }

    private void loop() {
        try {
            turns();
        } catch (Error e) {
            died = e;
            // Whatever failed (a class of a jar replaced in place, say) may fail the logging too: the
            // handler must run even then, or the process lingers with no loop and answers nothing.
            try {
                log.error("the event loop failed and cannot go on", e);
                synchronized (waitingCalls) {
                    waitingCalls.forEach(f -> f.completeExceptionally(new IllegalStateException(
                            "the event loop has stopped after a fatal error (" + e + ")", e)));
                }
            } catch (Throwable alsoFailed) {
                e.addSuppressed(alsoFailed);
            } finally {
                onFatal.accept(e);
            }
        }
    }

    private void turns() {
        while (!closing) {
            int n = Epoll.epoll_wait(epfd, events, MAX_EVENTS, timeoutMillis());
            if (n < 0 && LibC.errno() != LibC.EINTR) {
                log.error("epoll_wait failed: {}", LibC.lastError());
            }
            for (int i = 0; i < n; i++) {
                long token = Epoll.dataAt(events, i);
                if (token == WAKEUP_TOKEN) {
                    LibC.read(wakeFd, wakeBuf, 8);
                    continue;
                }
                Registration r = byToken.get(token);
                if (r != null) {
                    int ev = Epoll.eventsAt(events, i);
                    guarded(() -> r.handler.ready(ev));
                }
            }
            runTimers();
            runPosted();
        }
    }

    private int timeoutMillis() {
        synchronized (posted) {
            if (!posted.isEmpty()) {
                return 0;
            }
        }
        Timer next;
        while ((next = timers.peek()) != null && next.cancelled) {
            timers.poll();
        }
        if (next == null) {
            return -1;
        }
        long ms = (next.dueNanos - System.nanoTime() + 999_999) / 1_000_000;
        return (int) Math.max(0, Math.min(ms, Integer.MAX_VALUE));
    }

    private void runTimers() {
        long now = System.nanoTime();
        Timer t;
        while ((t = timers.peek()) != null && (t.cancelled || t.dueNanos <= now)) {
            timers.poll();
            if (!t.cancelled) {
                t.cancelled = true;
                guarded(t.task);
            }
        }
    }

    private void runPosted() {
        while (true) {
            Runnable r;
            synchronized (posted) {
                r = posted.poll();
            }
            if (r == null) {
                return;
            }
            guarded(r);
        }
    }

    private static void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("event loop task failed; the loop carries on", e);
        }
    }

    /** Stops the loop thread; fds registered here are not closed (their owners close them). */
    @Override
    public void close() {
        closing = true;
        LibC.write(wakeFd, one, 8);
        if (!inLoop()) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LibC.close(wakeFd);
        LibC.close(epfd);
    }
}
