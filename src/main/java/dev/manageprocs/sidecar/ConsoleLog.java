package dev.manageprocs.sidecar;

import dev.manageprocs.unit.LogSpec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Console log of one unit. All methods are called on the single event-loop thread; never throws for
 * I/O, because a broken log must never stop or slow the IOC.
 *
 * <p>Bytes go straight to a FileChannel opened for append, one write per chunk, so nothing sits in a
 * Java buffer when the manager dies. Before each write the path is checked to still name the open
 * file: when it was renamed away (logrotate without a postrotate {@link #reopen()}) or deleted, a new
 * file is opened at the path. The manager creates the log directory; this class never does, so a
 * mistyped or removed directory is reported instead of silently recreated.
 *
 * <p>When the file cannot be opened or written, the problem is reported once through
 * {@code problems}, the bytes that could not be written are counted, and opening is retried at most
 * once per second, only when output arrives; once a write succeeds again that is reported with the
 * count of lost bytes.
 *
 * <p>Rotation ({@code keep > 0}): when a chunk would make the file exceed {@code max_size}, the part
 * up to the last '\n' that still fits stays in the file, NAME.i becomes NAME.i+1 (the oldest is
 * deleted), NAME becomes NAME.1 and the rest goes to a fresh NAME. A line that fits nowhere in the
 * current file moves whole to the fresh one; only a line longer than {@code max_size} by itself is
 * cut, at {@code max_size}.
 */
public final class ConsoleLog implements AutoCloseable {

    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path file;
    private final LogSpec spec;
    private final Consumer<String> problems;
    private final LinePrefixer prefixer;

    private FileChannel channel;
    /** Identity (device, inode) of the open file, to notice when the path names another file. */
    private Object fileKey;
    private long size;
    private boolean closed;

    /** A problem was reported and no write has succeeded since. */
    private boolean failing;
    private long lostBytes;
    private long nextOpenAttempt;
    private boolean rotationFailing;
    private long nextRotationAttempt;

    public ConsoleLog(Path file, LogSpec spec, ZoneId zone, Consumer<String> problems) {
        this.file = Objects.requireNonNull(file);
        this.spec = Objects.requireNonNull(spec);
        this.problems = Objects.requireNonNull(problems);
        this.prefixer = spec.timestamp() ? new LinePrefixer(spec.timestampFormat(), zone) : null;
        open();
    }

    /** Child output, in order. */
    public void write(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (closed || len == 0) {
            return;
        }
        byte[] bytes = buf;
        int from = off;
        int count = len;
        if (prefixer != null) {
            count = prefixer.prefix(buf, off, len);
            bytes = prefixer.bytes();
            from = 0;
        }
        writeLogged(bytes, from, count);
    }

    /** False while the last line written has no end yet (a prompt), as far as timestamps care. */
    public boolean atLineStart() {
        return prefixer == null || prefixer.atLineStart();
    }

    /**
     * For a log handed over by a live re-exec whose last line was unfinished: its rest gets no second
     * timestamp. Offsets and rotation need nothing: the file is opened in append mode and its size read.
     */
    public void resumeMidLine() {
        if (prefixer != null) {
            prefixer.resumeMidLine();
        }
    }

    /** For logrotate (postrotate): close and open the path again. */
    public void reopen() {
        if (closed) {
            return;
        }
        closeChannel();
        open();
    }

    @Override
    public void close() {
        closed = true;
        closeChannel();
    }

    private void writeLogged(byte[] bytes, int off, int len) {
        if (!ensureOpen()) {
            lostBytes += len;
            return;
        }
        int pos = off;
        int end = off + len;
        try {
            while (pos < end) {
                int n = bytesForThisFile(bytes, pos, end);
                writeFully(bytes, pos, n);
                pos += n;
                if (pos < end && !rotate()) {
                    writeFully(bytes, pos, end - pos); // better an oversized log than a lost one
                    pos = end;
                }
            }
        } catch (IOException e) {
            closeChannel();
            lostBytes += end - pos;
            fail("cannot be written (" + OsReason.of(e) + ")");
            return;
        }
        if (failing) {
            failing = false;
            problems.accept("console log " + file + " resumed; " + lostBytes + " bytes were lost while it was unwritable");
            lostBytes = 0;
        }
    }

    /** How many bytes of {@code bytes[pos..end)} go into the current file before it must rotate. */
    private int bytesForThisFile(byte[] bytes, int pos, int end) {
        int remaining = end - pos;
        if (!rotates() || size + remaining <= spec.maxSize() || System.nanoTime() < nextRotationAttempt) {
            return remaining;
        }
        long room = spec.maxSize() - size;
        for (int i = pos + (int) Math.min(room, remaining) - 1; i >= pos; i--) {
            if (bytes[i] == '\n') {
                return i + 1 - pos;
            }
        }
        // No line end fits: move the line to a fresh file, or cut a line longer than max_size.
        return size > 0 ? 0 : (int) Math.min(spec.maxSize(), remaining);
    }

    private boolean rotates() {
        return spec.keep() > 0 && spec.maxSize() > 0;
    }

    /** Shifts NAME → NAME.1 → ... → NAME.keep (deleted) and opens a fresh NAME; false: keep appending. */
    private boolean rotate() throws IOException {
        try {
            Files.deleteIfExists(numbered(spec.keep()));
            for (int i = spec.keep() - 1; i >= 1; i--) {
                Path older = numbered(i);
                if (Files.exists(older)) {
                    Files.move(older, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            nextRotationAttempt = System.nanoTime() + RETRY_NANOS;
            if (!rotationFailing) {
                rotationFailing = true;
                String where = e instanceof FileSystemException fse && fse.getFile() != null ? fse.getFile() + ": " : "";
                problems.accept("console log " + file + " cannot be rotated (" + where + OsReason.of(e)
                        + "), so it grows past max_size until that is fixed; check " + file.toAbsolutePath().getParent()
                        + " is writable and the old logs in it are plain files");
            }
            return false;
        }
        rotationFailing = false;
        closeChannel();
        openChannel(); // failure here is a write failure: the caller counts the rest as lost
        return true;
    }

    private Path numbered(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    /** An open channel on the file the path names now, or false when that is impossible for now. */
    private boolean ensureOpen() {
        if (channel != null && pathStillNamesOpenFile()) {
            return true;
        }
        if (channel != null) {
            closeChannel(); // renamed away or deleted: continue in a new file at the path
        } else if (System.nanoTime() < nextOpenAttempt) {
            return false;
        }
        return open();
    }

    private boolean pathStillNamesOpenFile() {
        try {
            return Objects.equals(fileKey, Files.readAttributes(file, BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    private boolean open() {
        try {
            openChannel();
            return true;
        } catch (IOException e) {
            closeChannel();
            fail("cannot be opened (" + OsReason.of(e) + ")");
            return false;
        }
    }

    private void openChannel() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = channel.size();
        fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private void writeFully(byte[] bytes, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, off, len);
        while (b.hasRemaining()) {
            size += channel.write(b);
        }
    }

    private void fail(String what) {
        nextOpenAttempt = System.nanoTime() + RETRY_NANOS;
        if (!failing) {
            failing = true;
            problems.accept("console log " + file + " " + what + "; the unit keeps running but its output is not logged"
                    + " until the file can be written, so make sure " + file.toAbsolutePath().getParent()
                    + " exists and is writable");
        }
    }

    private void closeChannel() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing is buffered on the Java side, so there is nothing a failed close could lose
        }
        channel = null;
        fileKey = null;
    }
}
