package dev.manageprocs.sidecar;

import java.util.List;

/**
 * procServ-compatible info file content.
 *
 * <p>What procServ 2.7.0 writes for {@code --info-file} (observed by running it): a line
 * {@code pid:<procServ's own pid>}, then one line per listening endpoint, control and log endpoints
 * alike and not told apart: {@code tcp:<bound address>:<port>} (the real port when 0 was asked for,
 * {@code 0.0.0.0} when bound to all interfaces) or {@code unix:<path>} ({@code unix:@name} for an
 * abstract socket). Every line ends in "\n", there is nothing else, the file is mode 0644 and is
 * removed when procServ exits. procServ lists the most recently opened endpoint first; readers
 * search the lines rather than rely on that order, so we keep the caller's order.
 *
 * <p>Nothing else goes into the file: strict procServ-style parsers reject lines they do not know.
 * The child's pid is in the unit's {@code pid} file, its state in {@code status --json}; so the file
 * changes only when the endpoints do.
 *
 * @param endpoints already in info-file form, e.g. "tcp:127.0.0.1:20000", "unix:/run/manage-procs/ioc1/control"
 */
public record InfoFile(int managerPid, List<String> endpoints) {

    public InfoFile {
        endpoints = List.copyOf(endpoints);
        for (String e : endpoints) {
            if (e.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("an info-file endpoint cannot contain a line break: " + e);
            }
        }
    }

    public String render() {
        StringBuilder b = new StringBuilder(64);
        b.append("pid:").append(managerPid).append('\n');
        for (String e : endpoints) {
            b.append(e).append('\n');
        }
        return b.toString();
    }
}
