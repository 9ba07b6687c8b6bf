package dev.manageprocs.cli;

import dev.manageprocs.console.Telnet;
import dev.manageprocs.console.TelnetDecoder;
import dev.manageprocs.control.CallFailed;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.StreamCall;
import dev.manageprocs.control.WireFormat;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * One attach, from the open stream to the exit code. Output: the console's telnet stream with the
 * telnet commands stripped, written to stdout as it comes. Input: stdin, with 0xFF escaped and, on a
 * terminal, the window size sent as telnet NAWS at the start and on every SIGWINCH.
 *
 * <p>Without a terminal, stdin is forwarded and, after its end, output is printed until the console has
 * been quiet for {@link #QUIET}: time for the IOC to answer the last command. {@code --timeout} ends
 * any session after that long.
 *
 * <p>A live re-exec of the manager cuts the stream; the session then attaches again by itself ({@link
 * Reattach}) and says so in one line: the console's banner and replay follow once more, and what was typed
 * meanwhile is sent to the new stream.
 */
final class AttachSession implements WireFormat.ChunkSink {
    static final Duration QUIET = Duration.ofMillis(500);

    private final Reattach reattach;
    private final Request request;
    private final String name;
    /** The stream being read; replaced only by the reading thread, after a re-exec, under {@code this}. */
    private StreamCall call;
    /** Set under {@code this} once the session is over: input waiting for a new stream gives up. */
    private boolean over;
    private final Optional<Terminal> terminal;
    /** How often the timer looks at the clock (only with --timeout or without a terminal). */
    private static final Duration TICK = Duration.ofMillis(20);

    private final Duration timeout;
    private final long started = System.nanoTime();
    private final OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    private final OutputStream stderr = new FileOutputStream(FileDescriptor.err);
    private TelnetDecoder telnet = new TelnetDecoder();
    private final TerminalInput keys;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean inputEnded;
    private volatile boolean endedHere;
    private volatile boolean reattaching;
    private boolean atLineStart = true;

    /**
     * @param call    the stream opened for {@code request} through {@code reattach}
     * @param timeout how long the session may last at most; null for no limit
     */
    AttachSession(Reattach reattach, Request request, StreamCall call, Optional<Terminal> terminal, Duration timeout) {
        this.reattach = reattach;
        this.request = request;
        this.name = request.args().get(0);
        this.call = call;
        this.terminal = terminal;
        this.timeout = timeout;
        this.keys = terminal.isPresent() ? new TerminalInput() : null;
    }

    /** Runs the session; returns the exit code (0 detached or ended as asked, 1 connection lost, 4 no such unit). */
    int run() {
        Response end;
        try {
            if (terminal.isPresent()) {
                terminal.get().raw();
                sendWindowSize();
                sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), new sun.misc.SignalHandler() {
                    @Override
                    public void handle(sun.misc.Signal s) {
                        sendWindowSize();
                    }
                });
            }
            daemon("attach-input", new Runnable() {
                @Override
                public void run() {
                    pumpInput();
                }
            });
            if (timeout != null || terminal.isEmpty()) {
                daemon("attach-timer", new Runnable() {
                    @Override
                    public void run() {
                        watchTime();
                    }
                });
            }
            end = follow();
        } finally {
            if (keys != null) {
                keys.close(); // before the terminal is restored: what is typed from now on is the shell's
            }
            terminal.ifPresent(Terminal::restore);
            synchronized (this) {
                over = true;
                call.close();
                notifyAll();
            }
        }
        if (endedHere) {
            endLine();
            return Response.OK;
        }
        try {
            if (!(end.out() + end.err()).isEmpty()) {
                endLine();
            }
            stdout.write(end.out().getBytes(StandardCharsets.UTF_8));
            stderr.write(end.err().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // nowhere left to say it
        }
        return end.exitCode();
    }

    /** Reads the stream to its end, attaching again each time a live re-exec of the manager cut it. */
    private Response follow() {
        while (true) {
            StreamCall current = current();
            Response end = current.read(this);
            if (endedHere || !current.cut() || !reattach.reexecuted()) {
                return end;
            }
            reattaching = true;
            StreamCall next;
            try {
                next = reattach.open(request);
            } catch (CallFailed e) {
                return e.response();
            } finally {
                reattaching = false;
                lastActivity = System.nanoTime();
            }
            synchronized (this) {
                current.close();
                call = next;
                notifyAll(); // input waiting for a stream goes to this one
            }
            if (endedHere) {
                return end; // ended here while the new stream was being opened
            }
            telnet = new TelnetDecoder();
            endLine();
            atLineStart = true;
            String eol = terminal.isPresent() ? "\r\n" : "\n"; // raw mode: no newline translation
            try {
                stderr.write((reattach.notice("reattached to " + name) + eol).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // stderr is gone; the console goes on all the same
            }
            sendWindowSize();
        }
    }

    private synchronized StreamCall current() {
        return call;
    }

    /**
     * Sends to the current stream; when that fails (a re-exec cut it) waits for the next one and sends
     * there. False once the session is over.
     */
    private boolean forward(byte[] bytes, int len) {
        StreamCall target = current();
        while (true) {
            try {
                target.send(bytes, 0, len);
                return true;
            } catch (IOException e) {
                synchronized (this) {
                    while (call == target && !over) {
                        try {
                            wait();
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    }
                    if (over) {
                        return false;
                    }
                    target = call;
                }
            }
        }
    }

    /** Ends a last line without its newline (a prompt), so what follows starts on a line of its own. */
    private void endLine() {
        if (!atLineStart) {
            try {
                stdout.write('\n');
            } catch (IOException e) {
                // stdout is gone
            }
        }
    }

    @Override
    public void chunk(boolean toStderr, byte[] bytes) throws IOException {
        lastActivity = System.nanoTime();
        if (toStderr) {
            stderr.write(bytes);
            return;
        }
        int n = telnet.decode(bytes, 0, bytes.length);
        if (n > 0) {
            stdout.write(bytes, 0, n);
            atLineStart = bytes[n - 1] == '\n';
        }
    }

    private void pumpInput() {
        InputStream in = new FileInputStream(FileDescriptor.in);
        byte[] buf = new byte[4096];
        byte[] escaped = new byte[2 * buf.length];
        while (true) {
            int n;
            try {
                n = keys != null ? keys.read(buf) : in.read(buf);
            } catch (IOException e) {
                n = -1; // stdin broke: the end of input
            }
            if (n < 0) {
                break;
            }
            if (!forward(escaped, Telnet.escape(buf, 0, n, escaped))) {
                return; // the session is over
            }
        }
        lastActivity = System.nanoTime();
        inputEnded = true;
        if (keys != null && !keys.closed()) {
            endHere(); // the terminal went away
        }
    }

    /** Ends the session at --timeout, and without a terminal once the output is quiet after the end of input. */
    private void watchTime() {
        while (true) {
            long now = System.nanoTime();
            if (timeout != null && now - started >= timeout.toNanos()
                    || inputEnded && !reattaching && now - lastActivity >= QUIET.toNanos()) {
                endHere();
                return;
            }
            LockSupport.parkNanos(TICK.toNanos());
        }
    }

    private void endHere() {
        endedHere = true;
        current().close();
    }

    private void sendWindowSize() {
        terminal.flatMap(Terminal::size).ifPresent(s -> {
            byte[] naws = Telnet.naws(s[0], s[1]);
            try {
                current().send(naws, 0, naws.length);
            } catch (IOException e) {
                // the read side notices the broken connection (and sends the size again on reattaching)
            }
        });
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }
}
