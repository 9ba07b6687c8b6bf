package dev.manageprocs.manager;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.VerbOption;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.StreamSession;
import dev.manageprocs.sidecar.LogCursor;
import dev.manageprocs.sidecar.LogTime;
import dev.manageprocs.unit.LogSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code logs}: the manager reads the units' console logs and streams them, so the logs need not be
 * readable by the user (system mode: /var/log/manage-procs) and the control-socket rules decide. Several
 * units are merged by their lines' time stamps and each line gets a "NAME | " prefix; {@code -f} then
 * follows every file across rotations ({@link LogCursor}), woken by inotify (a JDK WatchService on the
 * log directories, re-checked every second as a safety net) until the client goes away.
 */
final class LogStreams {
    /** tail's default when following without -n or --since. */
    private static final int FOLLOW_LINES = 10;
    private static final int FLUSH_AT = 32 * 1024;
    private static final long RECHECK_SECONDS = 1;

    private final Manager manager;

    LogStreams(Manager manager) {
        this.manager = manager;
    }

    /** One unit's log being read: its cursor and, with time stamps, the time of its last stamped line. */
    private static final class Feed {
        final String prefix;
        final LogCursor cursor;
        final LogTime time;
        final long since;
        boolean reachedSince;
        long lastMillis = Long.MIN_VALUE;
        byte[] peeked;

        Feed(String prefix, LogCursor cursor, LogTime time, long since) {
            this.prefix = prefix;
            this.cursor = cursor;
            this.time = time;
            this.since = since;
            this.reachedSince = since == Long.MIN_VALUE;
        }

        /** The next line to show (lines before --since are skipped), or null for none yet. */
        byte[] peek() throws IOException {
            while (peeked == null) {
                byte[] line = cursor.nextLine();
                if (line == null) {
                    return null;
                }
                if (time != null) {
                    OptionalLong t = time.millis(line, 0, line.length);
                    if (t.isPresent()) {
                        lastMillis = t.getAsLong(); // a line without a stamp belongs to the time of the one before
                    }
                    reachedSince |= t.isPresent() && lastMillis >= since;
                }
                if (reachedSince) {
                    peeked = line;
                }
            }
            return peeked;
        }

        byte[] take() {
            byte[] line = peeked;
            peeked = null;
            return line;
        }
    }

    void logs(Request request, StreamSession session) throws IOException {
        List<String> patterns = request.args();
        if (patterns.isEmpty()) {
            session.finish(Response.error(Response.USAGE, "logs takes one or more unit names or patterns"));
            return;
        }
        boolean follow = request.flag(VerbOption.FOLLOW);
        OptionalLong lines = number(request, VerbOption.LINES);
        OptionalLong since = number(request, VerbOption.SINCE);
        if (lines == null || since == null) {
            session.finish(Response.error(Response.USAGE, "lines and since must be whole numbers"));
            return;
        }
        record Source(String name, Path file, LogSpec spec) {
        }
        record Found(List<Source> sources, List<String> noLog, List<String> unmatched) {
        }
        Found found = manager.reactor().call(() -> {
            List<Source> sources = new ArrayList<>();
            List<String> noLog = new ArrayList<>();
            for (LoadedUnit lu : manager.matching(patterns)) {
                manager.logFile(lu.unit()).ifPresentOrElse(f -> sources.add(new Source(lu.name(), f, lu.unit().log())),
                        () -> noLog.add(lu.name()));
            }
            return new Found(sources, noLog, manager.unmatched(patterns));
        });
        if (found.sources().isEmpty() && found.noLog().isEmpty()) {
            session.finish(ManagerCommands.noSuchUnit(found.unmatched()));
            return;
        }
        for (String name : found.noLog()) {
            session.err("manage-procs: unit " + name + " has no console log (log.file = \"\"), so there is nothing to show for it\n");
        }
        if (!found.unmatched().isEmpty()) {
            session.err(ManagerCommands.noSuchUnit(found.unmatched()).err());
        }
        int width = found.sources().stream().mapToInt(s -> s.name().length()).max().orElse(0);
        boolean prefixed = found.sources().size() + found.noLog().size() > 1;
        List<Feed> feeds = new ArrayList<>();
        try {
            for (Source s : found.sources()) {
                if (since.isPresent() && !s.spec().timestamp()) {
                    session.err("manage-procs: unit " + s.name() + " logs without time stamps (timestamp = false), "
                            + "so --since cannot select its lines; use -n instead\n");
                    continue;
                }
                int keep = s.spec().keep();
                LogCursor cursor = lines.isPresent() ? LogCursor.atLastLines(s.file(), keep, lines.getAsLong())
                        : since.isPresent() ? LogCursor.atFilesSince(s.file(), keep, since.getAsLong())
                        : follow ? LogCursor.atLastLines(s.file(), keep, FOLLOW_LINES)
                        : LogCursor.atStart(s.file(), keep);
                String prefix = prefixed ? String.format("%-" + width + "s | ", s.name()) : "";
                LogTime time = s.spec().timestamp() ? new LogTime(s.spec().timestampFormat(), manager.zone()) : null;
                feeds.add(new Feed(prefix, cursor, time, since.orElse(Long.MIN_VALUE)));
            }
            if (feeds.isEmpty()) {
                session.finish(new Response(Response.FAILED, "", ""));
                return;
            }
            Output out = new Output(session);
            merge(feeds, out);
            if (!follow) {
                for (Feed f : feeds) {
                    byte[] rest = f.cursor.rest();
                    if (rest.length > 0) {
                        out.line(f.prefix, rest);
                        out.line("", new byte[] {'\n'});
                    }
                }
                out.flush();
                boolean partial = !found.noLog().isEmpty() || !found.unmatched().isEmpty();
                session.finish(new Response(partial ? (found.unmatched().isEmpty() ? Response.FAILED
                        : Response.NO_SUCH_UNIT) : Response.OK, "", ""));
                return;
            }
            out.flush();
            follow(feeds, found.sources().stream().map(Source::file).toList(), out, session.input());
        } finally {
            feeds.forEach(f -> f.cursor.close());
        }
    }

    /** The lines there are now, oldest first across the units (by time stamp; units without them in order). */
    private static void merge(List<Feed> feeds, Output out) throws IOException {
        while (true) {
            Feed next = null;
            for (Feed f : feeds) {
                if (f.peek() != null && (next == null || f.lastMillis < next.lastMillis)) {
                    next = f;
                }
            }
            if (next == null) {
                return;
            }
            out.line(next.prefix, next.take());
        }
    }

    /** Until the client goes away (the end of its input) or stops reading and its connection breaks. */
    private static void follow(List<Feed> feeds, List<Path> files, Output out, InputStream client) throws IOException {
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            Set<Path> dirs = new HashSet<>();
            for (Path f : files) {
                Path dir = f.toAbsolutePath().getParent();
                if (Files.isDirectory(dir) && dirs.add(dir)) {
                    dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
                }
            }
            Thread.ofVirtual().name("logs-client").start(() -> {
                try {
                    while (client.read() >= 0) {
                        // the client sends nothing during logs; only its end matters
                    }
                } catch (IOException e) {
                    // gone all the same
                }
                try {
                    watch.close();
                } catch (IOException e) {
                    // closing is all that was wanted
                }
            });
            while (true) {
                merge(feeds, out);
                out.flush();
                WatchKey key = watch.poll(RECHECK_SECONDS, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (ClosedWatchServiceException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** null when present but not a number (the client checks; this guards the protocol). */
    private static OptionalLong number(Request r, VerbOption option) {
        String v = r.options().get(option.wire());
        if (v == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Lines gathered into chunks of a few KiB. */
    private static final class Output {
        private final StreamSession session;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(FLUSH_AT + 1024);

        Output(StreamSession session) {
            this.session = session;
        }

        void line(String prefix, byte[] line) throws IOException {
            buf.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
            buf.writeBytes(line);
            if (buf.size() >= FLUSH_AT) {
                flush();
            }
        }

        void flush() throws IOException {
            if (buf.size() > 0) {
                session.out(buf.toByteArray(), 0, buf.size());
                buf.reset();
            }
        }
    }
}
