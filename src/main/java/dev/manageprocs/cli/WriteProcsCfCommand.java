package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.Verb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "write-procs-cf", mixinStandardHelpOptions = true,
        description = "Write a conserver configuration with one console per unit (type uds for unix sockets, "
                + "type host for TCP ports), as procServUtils did. Include it from conserver.cf and reload "
                + "conserver after adding or removing units.",
        footer = {"", "Example: manage-procs write-procs-cf -o /etc/conserver/procs.cf && "
                + "systemctl reload conserver-server"})
final class WriteProcsCfCommand extends ClientCommand {
    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Write to FILE (replaced atomically) instead of standard output.")
    Path out;

    WriteProcsCfCommand() {
        super(Verb.WRITE_PROCS_CF);
    }

    @Override
    Request request() {
        return Request.of(verb());
    }

    @Override
    public Integer call() {
        Response response = send(request());
        if (out == null || response.exitCode() != Response.OK) {
            return print(response);
        }
        Path target = out.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, response.out(), StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The write already failed; that is the error to report.
            }
            return print(Response.error(Response.FAILED, "cannot write " + target + " (" + e.getMessage()
                    + "); check that its directory exists and is writable for you"));
        }
        return print(new Response(Response.OK, "", response.err()));
    }
}
