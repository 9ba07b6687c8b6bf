package dev.manageprocs.supervisor;

import dev.manageprocs.sidecar.ConsoleLog;
import dev.manageprocs.unit.LogSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a unit's console goes: its console log and its listeners (console hub, log streams), for the
 * child's output, the server's announcements and state changes. Lives as long as the unit, across its
 * children. Loop thread only.
 */
final class ConsoleOutput {
    private static final Logger log = LoggerFactory.getLogger(ConsoleOutput.class);

    private final String unitName;
    private final Optional<Path> logFile;
    private final LogSpec logSpec;
    private final ZoneId zone;
    private final List<OutputListener> listeners = new ArrayList<>();
    private ConsoleLog consoleLog;
    private boolean logAtLineStart = true;

    /** @param logFile empty when the unit logs nothing */
    ConsoleOutput(String unitName, Optional<Path> logFile, LogSpec logSpec, ZoneId zone) {
        this.unitName = unitName;
        this.logFile = logFile;
        this.logSpec = logSpec;
        this.zone = zone;
    }

    void addListener(OutputListener listener) {
        listeners.add(listener);
    }

    void removeListener(OutputListener listener) {
        listeners.remove(listener);
    }

    /** Opens the console log on the first start, not at load: a unit that never runs leaves no file. */
    void openLogIfNeeded() {
        if (consoleLog == null && logFile.isPresent()) {
            consoleLog = new ConsoleLog(logFile.get(), logSpec, zone,
                    problemText -> log.warn("{}: {}", unitName, problemText));
        }
    }

    /** logrotate's postrotate: the log file was moved away, open a new one. */
    void reopenLog() {
        if (consoleLog != null) {
            consoleLog.reopen();
        }
    }

    /** The unit is gone: closes the log and forgets the listeners. */
    void close() {
        if (consoleLog != null) {
            consoleLog.close();
            consoleLog = null;
        }
        listeners.clear();
    }

    /** Bytes the child wrote to its terminal; buf is reused once this returns. */
    void childOutput(byte[] buf, int off, int len) {
        if (consoleLog != null) {
            consoleLog.write(buf, off, len);
        }
        logAtLineStart = buf[off + len - 1] == '\n';
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).output(buf, off, len);
        }
    }

    /** Server messages ("@@@ ..."), each on a line of its own in the log even when the child left one open. */
    void announce(List<String> lines) {
        if (consoleLog != null) {
            StringBuilder b = new StringBuilder();
            if (!logAtLineStart) {
                b.append('\n');
            }
            lines.forEach(l -> b.append(l).append('\n'));
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            consoleLog.write(bytes, 0, bytes.length);
            logAtLineStart = true;
        }
        for (String line : lines) {
            for (int i = 0; i < listeners.size(); i++) {
                listeners.get(i).announce(line);
            }
        }
    }

    void stateChanged(UnitStatus status) {
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).stateChanged(status);
        }
    }
}
