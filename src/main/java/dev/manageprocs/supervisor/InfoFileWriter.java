package dev.manageprocs.supervisor;

import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.sidecar.InfoFile;
import dev.manageprocs.sidecar.RunDir;
import java.io.IOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a unit's info file in step with the unit, writing it at most once per event-loop turn: a
 * change marks it dirty and the write runs at the end of the turn (a task posted to the loop runs
 * after the turn's events and timers), with the content of that moment. A burst of changes in one
 * turn (endpoints, STARTING, RUNNING at start-up; BACKOFF, STARTING, RUNNING of a quick restart) so
 * costs one temp file + rename instead of one each, which is what start-up of many units waits for
 * when the run directory is on a disk. {@link #flush} writes a pending change at once, for a caller
 * about to tell someone the new state. Loop thread only.
 */
final class InfoFileWriter {
    private static final Logger log = LoggerFactory.getLogger(InfoFileWriter.class);

    private final Reactor reactor;
    private final RunDir runDir;
    private final Supplier<InfoFile> content;
    private final String unitName;
    private boolean dirty;
    private boolean closed;

    /** @param content what the file says now; asked at write time */
    InfoFileWriter(Reactor reactor, RunDir runDir, Supplier<InfoFile> content, String unitName) {
        this.reactor = reactor;
        this.runDir = runDir;
        this.content = content;
        this.unitName = unitName;
    }

    /** The unit changed: the file is written at the end of this loop turn, or at an earlier {@link #flush}. */
    void changed() {
        if (closed || dirty) {
            return;
        }
        dirty = true;
        reactor.execute(this::flush);
    }

    /** Writes a pending change now (a no-op when the file is up to date). */
    void flush() {
        if (!dirty) {
            return;
        }
        dirty = false;
        try {
            runDir.writeInfo(content.get());
        } catch (IOException e) {
            log.warn("{}: cannot write the info file in {}: {}", unitName, runDir.dir(), e.getMessage());
        }
    }

    /** The unit is going away and its files are removed: a write still pending must not bring the file back. */
    void close() {
        closed = true;
        dirty = false;
    }
}
