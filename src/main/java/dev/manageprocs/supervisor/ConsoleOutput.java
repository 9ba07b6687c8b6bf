package dev.manageprocs.supervisor;

import dev.manageprocs.unit.LogSpec;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a unit's console goes: one fan-out path to its consumers, the console log first, then the
 * console hub (conmon's order: read, log, clients), for the child's output and the server's "@@@"
 * lines alike, so the log and every client see the same thing. Lives as long as the unit, across its
 * children. Loop thread only.
 */
final class ConsoleOutput {
    private final Optional<ConsoleLogListener> log;
    private final List<OutputListener> listeners = new ArrayList<>();

    /** @param logFile empty when the unit logs nothing */
    ConsoleOutput(String unitName, Optional<Path> logFile, LogSpec logSpec, ZoneId zone) {
        this.log = logFile.map(f -> new ConsoleLogListener(unitName, f, logSpec, zone));
        log.ifPresent(listeners::add);
    }

    void addListener(OutputListener listener) {
        listeners.add(listener);
    }

    void removeListener(OutputListener listener) {
        listeners.remove(listener);
    }

    /** Opens the console log on the first start, not at load: a unit that never runs leaves no file. */
    void openLogIfNeeded() {
        log.ifPresent(ConsoleLogListener::openIfNeeded);
    }

    /** logrotate's postrotate: the log file was moved away, open a new one. */
    void reopenLog() {
        log.ifPresent(ConsoleLogListener::reopen);
    }

    Optional<SupervisorSnapshot.Log> logSnapshot() {
        return log.flatMap(ConsoleLogListener::snapshot);
    }

    /** After a live re-exec: the log continues where the previous program left it. */
    void resumeLog(SupervisorSnapshot.Log state) {
        log.ifPresent(l -> l.resume(state));
    }

    /** The unit is gone: closes the log and forgets the listeners. */
    void close() {
        log.ifPresent(ConsoleLogListener::close);
        listeners.clear();
    }

    /** Bytes the child wrote to its terminal; buf is reused once this returns. */
    void childOutput(byte[] buf, int off, int len) {
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).output(buf, off, len);
        }
    }

    /** Server lines ("@@@ ..."), in order, to every consumer. */
    void announce(List<String> lines) {
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).announce(lines);
        }
    }
}
