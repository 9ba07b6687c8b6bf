package dev.manageprocs.cli;

import dev.manageprocs.control.CallFailed;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.StreamCall;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import dev.manageprocs.control.WireFormat;
import dev.manageprocs.unit.Durations;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print units' console logs (the manager reads them, so they need not be readable by you). "
                + "Without options: the whole log, rotated files first. Several units (names or glob patterns such "
                + "as 'ioc*') are merged by time stamp, each line prefixed with its unit's name."},
        footer = {"", "TIME is a date-time (2024-05-01T10:00, '2024-05-01 10:00:00', 2024-05-01T10:00+02:00), a date "
                + "(2024-05-01, from midnight), a time of today (10:00) or a duration meaning that long ago (10min, "
                + "1h, 30s). A line without a time stamp belongs to the time of the stamped line before it.",
            "", "A live re-exec of the manager (daemon-reexec, a package upgrade) does not end logs -f: it follows "
                + "again by itself, where it stopped, and says so in one line.",
            "", "Exit status: 0 ok, 1 a unit has no console log, 4 no unit matches a name, 141 its output was closed "
                + "(logs -f ... | head), silently."})
final class LogsCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Unit names or glob patterns.")
    List<String> names;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are logged, across "
            + "rotations, until interrupted (starts with the last 10 lines unless -n or --since says otherwise).")
    boolean follow;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "Only the last N lines of each unit.")
    Long lines;

    @Option(names = "--since", paramLabel = "TIME", description = "Only lines logged at TIME or later.")
    String since;

    LogsCommand() {
        super(Verb.LOGS);
    }

    @Override
    Request request() {
        Map<String, String> options = new LinkedHashMap<>();
        if (follow) {
            options.put(VerbOption.FOLLOW.wire(), "true");
        }
        if (lines != null) {
            if (lines < 0) {
                throw usage("-n " + lines + " is negative; give the number of lines to show");
            }
            options.put(VerbOption.LINES.wire(), Long.toString(lines));
        }
        if (since != null) {
            options.put(VerbOption.SINCE.wire(), Long.toString(sinceMillis(since, ZonedDateTime.now()).orElseThrow(() -> usage(
                    "--since '" + since + "' is not a time; write it like 2024-05-01T10:00, 2024-05-01, 10:00 or 10min"))));
        }
        return new Request(verb(), names, options, Map.of());
    }

    @Override
    public Integer call() {
        Request request = request();
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        try {
            if (!follow) {
                try (StreamCall call = client().stream(request)) {
                    return print(call.read(new WireFormat.ChunkSink() {
                        @Override
                        public void chunk(boolean toStderr, byte[] bytes) throws IOException {
                            (toStderr ? stderr : stdout).write(bytes);
                        }
                    }));
                }
            }
            return follow(new Reattach(client()), request, stderr, new ResumableLogOutput(stdout, stderr));
        } catch (CallFailed e) {
            return print(e.response());
        }
    }

    /** Follows until the stream ends for good; a live re-exec of the manager only interrupts it. */
    private int follow(Reattach reattach, Request request, OutputStream stderr, ResumableLogOutput out)
            throws CallFailed {
        StreamCall call = reattach.open(request);
        while (true) {
            Response end;
            try {
                end = call.read(out);
            } finally {
                call.close();
            }
            if (!call.cut() || !reattach.reexecuted()) {
                return print(end);
            }
            call = reattach.open(resumeRequest(request));
            out.resume();
            try {
                stderr.write((reattach.notice("following " + String.join(" ", names) + " again") + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // stderr is gone; the lines go on all the same
            }
        }
    }

    /** The request that follows again after a re-exec: enough of every unit's last lines to find where it stopped. */
    private static Request resumeRequest(Request first) {
        Map<String, String> options = new LinkedHashMap<>(first.options());
        options.put(VerbOption.LINES.wire(), Integer.toString(ResumableLogOutput.RESUME_LINES));
        return new Request(first.verb(), first.args(), options, first.files());
    }

    /** --since TIME as milliseconds since the epoch, {@code now} giving today and the time zone. */
    static Optional<Long> sinceMillis(String text, ZonedDateTime now) {
        String t = text.strip();
        String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
        try {
            return Optional.of(OffsetDateTime.parse(iso).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            // not with an offset
        }
        try {
            return Optional.of(LocalDateTime.parse(iso).atZone(now.getZone()).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            // not a local date-time
        }
        try {
            return Optional.of(LocalDate.parse(iso).atStartOfDay(now.getZone()).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            // not a date
        }
        try {
            return Optional.of(LocalTime.parse(iso).atDate(now.toLocalDate()).atZone(now.getZone()).toInstant()
                    .toEpochMilli());
        } catch (DateTimeParseException e) {
            // not a time of day
        }
        try {
            return Optional.of(now.toInstant().minus(Durations.parse(t)).toEpochMilli());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
