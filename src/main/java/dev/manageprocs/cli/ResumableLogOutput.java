package dev.manageprocs.cli;

import dev.manageprocs.control.WireFormat;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code logs -f} prints, kept so that it can go on where it stopped when a live re-exec of the manager
 * cut its stream. The logs verb has no cursor to resume from, so the stream is opened again with the last
 * {@link #RESUME_LINES} lines of every unit and, unit by unit (told apart by the "NAME | " prefix), the lines
 * are dropped up to the last {@link #REMEMBERED} lines printed before the cut; what follows is new. Time
 * stamps make those lines unique; the limits (docs/upgrade.md) are logs without time stamps, whose repeated
 * lines can be matched too early, and units that log more than that many lines during the gap.
 *
 * <p>A unit whose last lines do not come again within {@link #SETTLE} (its log was rotated away meanwhile,
 * or it logged more than {@link #RESUME_LINES}) gets what came, less the part that overlaps what was printed,
 * and one warning. Warnings the new stream repeats are printed once.
 */
final class ResumableLogOutput implements WireFormat.ChunkSink {
    /** Asked for when following again: covers what a unit logs during the gap of a second or two. */
    static final int RESUME_LINES = 1000;
    /** Per unit, for the match: all must come again in order. */
    static final int REMEMBERED = 100;
    static final Duration SETTLE = Duration.ofSeconds(2);
    /** The manager's prefix when it merges several units: the name padded to one width, then " | ". */
    private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.@-]{0,63}) * \\| ");

    private final OutputStream stdout;
    private final OutputStream stderr;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final Map<String, Unit> units = new LinkedHashMap<>();
    private final Set<String> warnings = new HashSet<>();
    private int resumes;

    ResumableLogOutput(OutputStream stdout, OutputStream stderr) {
        this.stdout = new BufferedOutputStream(stdout, 1 << 16);
        this.stderr = stderr;
    }

    @Override
    public synchronized void chunk(boolean toStderr, byte[] bytes) throws IOException {
        if (toStderr) {
            if (warnings.add(new String(bytes, StandardCharsets.UTF_8))) {
                stderr.write(bytes);
            }
            return;
        }
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                partial.write(bytes, start, i + 1 - start);
                line(partial.toByteArray());
                partial.reset();
                start = i + 1;
            }
        }
        partial.write(bytes, start, bytes.length - start);
        stdout.flush();
    }

    /**
     * The stream was opened again with {@link #RESUME_LINES}: from now on each unit's lines are dropped until
     * its last printed ones have come again.
     */
    synchronized void resume() {
        partial.reset(); // an unfinished line was not printed: it comes again
        units.values().forEach(Unit::search);
        int resume = ++resumes;
        Thread.ofPlatform().daemon().name("logs-resume").start(() -> {
            LockSupport.parkNanos(SETTLE.toNanos());
            settleAll(resume);
        });
    }

    /** Gives every unit still waiting for its last lines what came for it (the timer, after {@link #SETTLE}). */
    synchronized void settleAll(int resume) {
        if (resume != resumes) {
            return; // a later resume has its own timer
        }
        try {
            for (Unit u : units.values()) {
                u.settle();
            }
            stdout.flush();
        } catch (IOException e) {
            // stdout is gone: the reading thread finds out at its next write
        }
    }

    private void line(byte[] line) throws IOException {
        Matcher m = PREFIX.matcher(new String(line, 0, Math.min(line.length, 72), StandardCharsets.ISO_8859_1));
        boolean prefixed = m.lookingAt();
        String name = prefixed ? m.group(1) : "";
        units.computeIfAbsent(name, Unit::new).offer(line, prefixed ? m.end() : 0);
    }

    private static boolean sameContent(byte[] line, int start, byte[] content) {
        return Arrays.equals(line, start, line.length, content, 0, content.length);
    }

    /** One unit's lines: the last ones printed (without the prefix, whose padding may change) and those held. */
    private final class Unit {
        private final String name;
        private final ArrayDeque<byte[]> printed = new ArrayDeque<>();
        /** Lines come again since the resume, whole, with where their content starts; null: printing. */
        private List<byte[]> held;
        private List<Integer> heldStarts;

        Unit(String name) {
            this.name = name;
        }

        void search() {
            if (!printed.isEmpty()) {
                held = new ArrayList<>();
                heldStarts = new ArrayList<>();
            }
        }

        void offer(byte[] line, int contentStart) throws IOException {
            if (held == null) {
                print(line, contentStart);
                return;
            }
            held.add(line);
            heldStarts.add(contentStart);
            if (caughtUp()) {
                held = null; // every held line was printed before the cut
                heldStarts = null;
            } else if (held.size() > RESUME_LINES) {
                settle();
            }
        }

        /** The last held lines are all the lines remembered, in order. */
        private boolean caughtUp() {
            int h = held.size();
            if (h < printed.size()) {
                return false;
            }
            Iterator<byte[]> back = printed.descendingIterator();
            for (int i = h - 1; back.hasNext(); i--) {
                if (!sameContent(held.get(i), heldStarts.get(i), back.next())) {
                    return false;
                }
            }
            return true;
        }

        /** Prints what was held, without the lines at its start that end what was printed before. */
        void settle() throws IOException {
            if (held == null) {
                return;
            }
            List<byte[]> last = new ArrayList<>(printed);
            int overlap = Math.min(last.size(), held.size());
            for (; overlap > 0; overlap--) {
                boolean same = true;
                for (int i = 0; i < overlap && same; i++) {
                    same = sameContent(held.get(i), heldStarts.get(i), last.get(last.size() - overlap + i));
                }
                if (same) {
                    break;
                }
            }
            if (overlap == 0) {
                stdout.flush();
                stderr.write(("manage-procs: lines " + (name.isEmpty() ? "" : "of " + name + " ")
                        + "logged while the manager re-executed may be missing\n").getBytes(StandardCharsets.UTF_8));
            }
            List<byte[]> rest = held.subList(overlap, held.size());
            List<Integer> restStarts = heldStarts.subList(overlap, heldStarts.size());
            held = null;
            heldStarts = null;
            for (int i = 0; i < rest.size(); i++) {
                print(rest.get(i), restStarts.get(i));
            }
        }

        private void print(byte[] line, int contentStart) throws IOException {
            stdout.write(line);
            printed.addLast(Arrays.copyOfRange(line, contentStart, line.length));
            if (printed.size() > REMEMBERED) {
                printed.removeFirst();
            }
        }
    }
}
