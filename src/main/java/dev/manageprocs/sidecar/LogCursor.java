package dev.manageprocs.sidecar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A reading position in one unit's console log that follows {@link ConsoleLog}'s rotation (NAME becomes
 * NAME.1, NAME.1 becomes NAME.2, ...), as {@code tail -F} does: the open file is read to its very end even
 * after it was renamed away, then reading goes on in the file that came after it (found by the open file's
 * new number, so a cursor that falls behind by several rotations still misses nothing that is kept), and
 * a file truncated in place (logrotate's copytruncate) is read again from its start once it is found
 * shorter than what was read of it.
 *
 * <p>Lines are whole: bytes after the last '\n' wait until their line ends ({@link #rest()} gives them at
 * the end of a one-off read). One thread uses a cursor; it holds one open file and a bounded buffer.
 */
public final class LogCursor implements AutoCloseable {
    private static final int BLOCK = 64 * 1024;
    /** A "line" this long without a '\n' is passed on in pieces, so the buffer stays bounded. */
    private static final int MAX_LINE = 1024 * 1024;

    private final Path file;
    private final int keep;
    private FileChannel channel;
    private Object key;
    private long pos;
    private byte[] buf = new byte[BLOCK];
    private int start;
    private int end;

    private LogCursor(Path file, int keep) {
        this.file = file;
        this.keep = keep;
    }

    /** At the first byte of the oldest kept file: the whole log. */
    public static LogCursor atStart(Path file, int keep) throws IOException {
        LogCursor c = new LogCursor(file, keep);
        List<Path> files = c.existing();
        if (!files.isEmpty()) {
            c.open(files.get(0), 0);
        }
        return c;
    }

    /** At the first of the files modified at or after {@code millis}: older files hold only older lines. */
    public static LogCursor atFilesSince(Path file, int keep, long millis) throws IOException {
        LogCursor c = new LogCursor(file, keep);
        for (Path p : c.existing()) {
            if (p.equals(file) || Files.getLastModifiedTime(p).toMillis() >= millis) {
                c.open(p, 0);
                break;
            }
        }
        return c;
    }

    /**
     * Before the last {@code lines} lines (a last line without its '\n' counts), reaching into rotated
     * files when the current one has fewer: walking back from the end, every '\n' but the very last byte
     * starts one more line.
     */
    public static LogCursor atLastLines(Path file, int keep, long lines) throws IOException {
        if (lines <= 0) {
            return atEnd(file, keep);
        }
        LogCursor c = new LogCursor(file, keep);
        List<Path> files = c.existing();
        long starts = 0;
        boolean lastByte = true;
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        for (int i = files.size() - 1; i >= 0; i--) {
            try (FileChannel ch = FileChannel.open(files.get(i), StandardOpenOption.READ)) {
                for (long at = ch.size(); at > 0; ) {
                    int n = (int) Math.min(BLOCK, at);
                    at -= n;
                    block.clear().limit(n);
                    readFully(ch, block, at);
                    for (int j = n - 1; j >= 0; j--) {
                        boolean newline = block.get(j) == '\n';
                        if (newline && !lastByte && ++starts == lines) {
                            c.open(files.get(i), at + j + 1);
                            return c;
                        }
                        lastByte = false;
                    }
                }
            }
        }
        if (!files.isEmpty()) {
            c.open(files.get(0), 0); // fewer lines than asked for: all of them
        }
        return c;
    }

    /** At the end of the current file: only what is written from now on. */
    public static LogCursor atEnd(Path file, int keep) throws IOException {
        LogCursor c = new LogCursor(file, keep);
        if (Files.exists(file)) {
            c.open(file, -1);
        }
        return c;
    }

    /** The next whole line with its '\n', or null when no whole line is there (yet). */
    public byte[] nextLine() throws IOException {
        while (true) {
            for (int i = start; i < end; i++) {
                if (buf[i] == '\n') {
                    byte[] line = Arrays.copyOfRange(buf, start, i + 1);
                    start = i + 1;
                    return line;
                }
            }
            if (end - start >= MAX_LINE) {
                return rest();
            }
            if (!fill()) {
                return null;
            }
        }
    }

    /** The bytes of a last line that has no '\n' yet (a prompt), taken from the cursor. */
    public byte[] rest() {
        byte[] r = Arrays.copyOfRange(buf, start, end);
        start = end;
        return r;
    }

    @Override
    public void close() {
        closeChannel();
    }

    /** Reads more into the buffer, moving on to the next file at the end of a rotated one; false: nothing new. */
    private boolean fill() throws IOException {
        if (channel == null) {
            if (!Files.exists(file)) {
                return false;
            }
            open(file, 0);
            if (channel == null) {
                return false;
            }
        }
        if (read() > 0) {
            return true;
        }
        Object current = keyOf(file);
        if (Objects.equals(current, key)) {
            if (channel.size() < pos) {
                pos = 0; // truncated in place
                return read() > 0;
            }
            return false;
        }
        // renamed away (or deleted): whatever was written before that is in the open file
        if (read() > 0) {
            return true;
        }
        Path next = successor();
        if (next == null) {
            return false;
        }
        open(next, 0);
        return channel != null && read() > 0;
    }

    private int read() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2); // a long line: grows up to MAX_LINE and a bit
        }
        int n = channel.read(ByteBuffer.wrap(buf, end, buf.length - end), pos);
        if (n <= 0) {
            return 0;
        }
        pos += n;
        end += n;
        return n;
    }

    /** The file written after the open one: NAME.(j-1) when the open one is now NAME.j, NAME when it was NAME.1. */
    private Path successor() throws IOException {
        for (int j = 1; j <= keep; j++) {
            if (Objects.equals(keyOf(numbered(j)), key)) {
                return j == 1 ? file : numbered(j - 1);
            }
        }
        return Files.exists(file) ? file : null; // deleted, or rotated by someone else: go on with the current file
    }

    private List<Path> existing() {
        List<Path> files = new ArrayList<>();
        for (int j = keep; j >= 1; j--) {
            if (Files.exists(numbered(j))) {
                files.add(numbered(j));
            }
        }
        if (Files.exists(file)) {
            files.add(file);
        }
        return files;
    }

    /** Opens {@code p} at {@code at} (-1: its end). */
    private void open(Path p, long at) throws IOException {
        closeChannel();
        try {
            channel = FileChannel.open(p, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return; // rotated away between listing and opening: fill() tries the current file
        }
        key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        pos = at < 0 ? channel.size() : at;
    }

    private Path numbered(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    private static Object keyOf(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("the file shrank while it was read");
            }
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // read-only: nothing to lose
            }
            channel = null;
        }
    }
}
