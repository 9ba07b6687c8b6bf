package dev.manageprocs.child;

import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.Memory;
import dev.manageprocs.posix.Epoll;
import dev.manageprocs.posix.LibC;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** Blocking waits with a deadline for tests: epoll on one fd, no sleeping. */
final class Await {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Await() {
    }

    /** Waits until fd is ready (EPOLLIN or HUP/ERR) or the deadline passes; false on timeout. */
    static boolean ready(int fd, long deadlineNanos) {
        return Epoll.awaitReadable(fd, java.time.Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
    }

    /** Reads the pty master until the text (with CR removed) satisfies done; fails with what came on timeout. */
    static String output(Child child, Predicate<String> done) {
        return read(child, done, false);
    }

    /** Reads the pty master until the child side has closed (EIO), with CR removed. */
    static String allOutput(Child child) {
        return read(child, s -> false, true);
    }

    private static String read(Child child, Predicate<String> done, boolean toEof) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        StringBuilder text = new StringBuilder();
        Memory buf = new Memory(4096);
        while (!done.test(text.toString())) {
            long n = LibC.read(child.masterFd(), buf, buf.size());
            if (n > 0) {
                text.append(new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8).replace("\r", ""));
                continue;
            }
            int err = LibC.errno();
            if (n < 0 && err == LibC.EIO && toEof) {
                return text.toString();
            }
            if (n < 0 && err != LibC.EAGAIN && err != LibC.EINTR) {
                fail("reading the pty failed (" + LibC.strerror(err) + ") after: " + text);
            }
            if (!ready(child.masterFd(), deadline)) {
                fail("timed out waiting for the child's output; got: " + text);
            }
        }
        return text.toString();
    }

    static void write(Child child, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(bytes.length);
        m.write(0, bytes, 0, bytes.length);
        if (LibC.write(child.masterFd(), m, bytes.length) != bytes.length) {
            fail("writing to the pty failed: " + LibC.lastError());
        }
    }

    /** Waits for the pidfd to turn readable, then reaps. */
    static ExitStatus exit(Child child) {
        if (!ready(child.pidFd(), System.nanoTime() + TIMEOUT.toNanos())) {
            fail("child " + child.pid() + " did not exit");
        }
        return child.reap().orElseThrow(() -> new AssertionError("pidfd readable but reap() found nothing"));
    }
}
