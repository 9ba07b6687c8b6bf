package dev.manageprocs.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import dev.manageprocs.posix.Epoll;
import dev.manageprocs.posix.LibC;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReactorTest {
    private final Reactor reactor = new Reactor("test-loop");

    @AfterEach
    void close() {
        reactor.close();
    }

    @Test
    void tasksFromOtherThreadsRunOnTheLoopInOrder() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 100; i++) {
            int n = i;
            reactor.execute(() -> {
                assertTrue(reactor.inLoop());
                seen.add(n);
            });
        }
        reactor.execute(done::countDown);
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(100, seen.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, seen.get(i));
        }
    }

    @Test
    void timersFireInDueOrderAndCancelledOnesNever() throws Exception {
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        reactor.call(() -> {
            reactor.schedule(Duration.ofMillis(60), () -> fired.add("late"));
            reactor.schedule(Duration.ofMillis(10), () -> fired.add("early"));
            reactor.schedule(Duration.ofMillis(30), () -> fired.add("cancelled")).cancel();
            reactor.schedule(Duration.ofMillis(80), done::countDown);
            return null;
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("early", "late"), fired);
    }

    @Test
    void readinessOfAnFdCallsItsHandlerUntilUnregistered() throws Exception {
        int efd = Epoll.eventfd(0, Epoll.EFD_CLOEXEC | Epoll.EFD_NONBLOCK);
        Memory buf = new Memory(8);
        CountDownLatch ready = new CountDownLatch(1);
        reactor.call(() -> {
            reactor.register(efd, Epoll.EPOLLIN, ev -> {
                LibC.read(efd, buf, 8);
                ready.countDown();
            });
            return null;
        });
        buf.setLong(0, 1);
        LibC.write(efd, buf, 8);
        assertTrue(ready.await(5, TimeUnit.SECONDS));
        assertEquals(0, (int) reactor.call(() -> {
            reactor.unregister(efd);
            return reactor.registeredCount();
        }));
        LibC.close(efd);
    }

    @Test
    void aFailingTaskDoesNotStopTheLoop() {
        reactor.execute(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        assertEquals("alive", reactor.call(() -> "alive"));
    }

    @Test
    void loopOnlyOperationsRefuseOtherThreads() {
        assertFalse(reactor.inLoop());
        assertThrows(IllegalStateException.class, () -> reactor.schedule(Duration.ZERO, () -> { }));
    }

    @Test
    void aFailingTaskIsLoggedAndTheLoopCarriesOn() {
        reactor.execute(() -> {
            throw new IllegalStateException("one unit's bug");
        });
        assertEquals(42, reactor.call(() -> 42));
    }

    @Test
    void anErrorEndsTheLoopReachesTheFatalHandlerAndFailsWaitingCallsInsteadOfHangingThem() throws Exception {
        CompletableFuture<Throwable> fatal = new CompletableFuture<>();
        Reactor dying = new Reactor("dying-loop", fatal::complete);
        try {
            CompletableFuture<Throwable> waiter = new CompletableFuture<>();
            CountDownLatch blocked = new CountDownLatch(1);
            dying.execute(() -> {
                blocked.countDown();
                // a call from another thread is waiting while this task runs out of memory
                sleepQuietly(200);
                throw new OutOfMemoryError("test: Java heap space");
            });
            assertTrue(blocked.await(5, TimeUnit.SECONDS));
            Thread.ofPlatform().start(() -> {
                try {
                    dying.call(() -> 1);
                    waiter.complete(null);
                } catch (RuntimeException e) {
                    waiter.complete(e);
                }
            });
            assertTrue(fatal.get(5, TimeUnit.SECONDS) instanceof OutOfMemoryError, "not swallowed");
            Throwable failed = waiter.get(5, TimeUnit.SECONDS);
            assertTrue(failed instanceof IllegalStateException && failed.getMessage().contains("fatal error"),
                    String.valueOf(failed));
            assertThrows(IllegalStateException.class, () -> dying.call(() -> 2), "a later call fails at once");
        } finally {
            dying.close();
        }
    }

    /** An Error whose every description fails too, as a class missing from a jar replaced in place makes them. */
    private static final class Unprintable extends Error {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new NoClassDefFoundError("test: dev/manageprocs/Gone");
        }
    }

    @Test
    void anErrorThatBreaksTheLoggingTooStillReachesTheFatalHandler() throws Exception {
        CompletableFuture<Throwable> fatal = new CompletableFuture<>();
        Reactor dying = new Reactor("dying-loop", fatal::complete);
        try {
            dying.execute(() -> {
                throw new Unprintable();
            });
            assertTrue(fatal.get(5, TimeUnit.SECONDS) instanceof Unprintable, "the fatal handler was never reached");
        } finally {
            dying.close();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms); // the task itself stands for work in progress: nothing to wait for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
