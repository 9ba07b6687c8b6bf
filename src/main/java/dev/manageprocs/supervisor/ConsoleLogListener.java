package dev.manageprocs.supervisor;

import dev.manageprocs.sidecar.ConsoleLog;
import dev.manageprocs.unit.LogSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unit's console log as one consumer of its console, like a client (procServ's "logger"): it
 * gets the same output and the same "@@@" lines. The file is opened on the first start, not at load,
 * so a unit that never runs leaves no file. Loop thread only.
 */
final class ConsoleLogListener implements OutputListener {
    private static final Logger log = LoggerFactory.getLogger(ConsoleLogListener.class);

    private final String unitName;
    private final Path file;
    private final LogSpec spec;
    private final ZoneId zone;
    private ConsoleLog consoleLog;
    private boolean atLineStart = true;

    ConsoleLogListener(String unitName, Path file, LogSpec spec, ZoneId zone) {
        this.unitName = unitName;
        this.file = file;
        this.spec = spec;
        this.zone = zone;
    }

    void openIfNeeded() {
        if (consoleLog == null) {
            consoleLog = new ConsoleLog(file, spec, zone, problemText -> log.warn("{}: {}", unitName, problemText));
        }
    }

    /** logrotate's postrotate: the file was moved away, open a new one. */
    void reopen() {
        if (consoleLog != null) {
            consoleLog.reopen();
        }
    }

    /** The log's state for a live re-exec; empty when it was never opened. */
    Optional<SupervisorSnapshot.Log> snapshot() {
        return consoleLog == null ? Optional.empty()
                : Optional.of(new SupervisorSnapshot.Log(atLineStart, consoleLog.atLineStart()));
    }

    /** Opens the log again after a live re-exec and continues it where the previous program left it. */
    void resume(SupervisorSnapshot.Log state) {
        openIfNeeded();
        atLineStart = state.atLineStart();
        if (!state.stampAtLineStart()) {
            consoleLog.resumeMidLine();
        }
    }

    void close() {
        if (consoleLog != null) {
            consoleLog.close();
            consoleLog = null;
        }
    }

    @Override
    public void output(byte[] buf, int off, int len) {
        if (consoleLog != null && len > 0) {
            consoleLog.write(buf, off, len);
            atLineStart = buf[off + len - 1] == '\n';
        }
    }

    /** Each "@@@" line on a line of its own, even when the child left one open; one write for the batch. */
    @Override
    public void announce(List<String> lines) {
        if (consoleLog != null) {
            StringBuilder b = new StringBuilder(atLineStart ? "" : "\n");
            lines.forEach(l -> b.append(l).append('\n'));
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            consoleLog.write(bytes, 0, bytes.length);
            atLineStart = true;
        }
    }
}
