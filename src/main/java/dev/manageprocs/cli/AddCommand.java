package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import dev.manageprocs.control.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "add", mixinStandardHelpOptions = true,
        customSynopsis = {
            "manage-procs add [--now] [--force] FILE.toml...",
            "   or: manage-procs add [--now] [--force] [-A] [-C DIR] [-P ENDPOINT] [-U USER] [-G GROUP] [-e K=V]... "
                    + "[-E ENVFILE] NAME -- CMD [ARGS...]"},
        description = {
            "Install unit files into the unit directory and load them. The manager validates each file first "
                    + "and installs nothing when one has an error. The files are read here and sent to the "
                    + "manager, so they may live anywhere you can read.",
            "The second form (procServUtils' 'manage-procs add') writes NAME.toml for you from the options and "
                    + "the command after '--'. A first argument that ends in .toml or names an existing file "
                    + "selects the first form.",
            "A unit with autostart = true (the default) starts as soon as it is added; --now starts the "
                    + "others too."},
        footer = {"", "Examples:",
            "  manage-procs add --now /epics/iocs/bl1/ioc1.toml",
            "  manage-procs add -C /epics/iocs/bl1/iocBoot/iocbl1 -P 20000 ioc1 -- ./st.cmd",
            "", "Exit status: 0 added, 1 a file is invalid or exists (without --force), 2 usage error."})
final class AddCommand extends ClientCommand {
    @Parameters(paramLabel = "FILE.toml|NAME", arity = "1..*", description = {
        "Unit files to install, or NAME followed by '--' and the command with its arguments."})
    List<String> words;

    @Option(names = "--now", description = "Start the units once they are loaded, even with autostart = false.")
    boolean now;

    @Option(names = "-A", description = "Same as --now (procServUtils' --autostart).")
    boolean autostart;

    @Option(names = {"-f", "--force"}, description = "Replace a unit file of the same name; the running unit "
            + "then shows as 'changed (restart to apply)'.")
    boolean force;

    @Option(names = {"-C", "--chdir"}, paramLabel = "DIR",
            description = "NAME form: the working directory (default: the current one).")
    Path chdir;

    @Option(names = {"-P", "--port"}, paramLabel = "ENDPOINT",
            description = "NAME form: the console endpoint instead of unix:default: a TCP port (20000), "
                    + "tcp:ADDR:PORT or unix:/path.")
    String port;

    @Option(names = {"-U", "--username"}, paramLabel = "USER",
            description = "NAME form: run the command as USER (honoured when the manager runs as root).")
    String user;

    @Option(names = {"-G", "--group"}, paramLabel = "GROUP", description = "NAME form: run it with group GROUP.")
    String group;

    @Option(names = {"-e", "--env"}, paramLabel = "K=V", description = "NAME form: set an environment variable "
            + "(repeatable).")
    List<String> env = List.of();

    @Option(names = {"-E", "--env-file"}, paramLabel = "ENVFILE",
            description = "NAME form: read KEY=VALUE lines from ENVFILE at every start.")
    Path envFile;

    AddCommand() {
        super(Verb.ADD);
    }

    @Override
    Request request() {
        Map<String, String> options = new LinkedHashMap<>();
        if (now || autostart) {
            options.put(VerbOption.NOW.wire(), "true");
        }
        if (force) {
            options.put(VerbOption.FORCE.wire(), "true");
        }
        Map<String, byte[]> files = fileForm() ? readFiles() : Map.of(words.get(0) + ".toml", generated());
        if (fileForm()) {
            // where each file lives: the manager names it in errors and resolves its relative paths there
            for (String word : words) {
                Path file = Path.of(word).toAbsolutePath().normalize();
                options.put(VerbOption.ORIGIN.keyFor(file.getFileName().toString()), file.getParent().toString());
            }
        }
        return new Request(verb(), List.copyOf(files.keySet()), options, files);
    }

    private boolean fileForm() {
        String first = words.get(0);
        return first.endsWith(".toml") || Files.isRegularFile(Path.of(first));
    }

    private Map<String, byte[]> readFiles() {
        if (chdir != null || port != null || user != null || group != null || !env.isEmpty() || envFile != null) {
            throw usage("-C, -P, -U, -G, -e and -E describe a new unit: use them as 'add NAME [options] -- CMD', "
                    + "not with unit files");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String word : words) {
            Path file = Path.of(word);
            String name = file.getFileName().toString();
            if (files.containsKey(name)) {
                throw usage("two files are named " + name + "; a unit's name is its file name, so add only one");
            }
            files.put(name, read(file));
        }
        return files;
    }

    private byte[] read(Path file) {
        try {
            long size = Files.size(file);
            if (size > WireFormat.MAX_FILE) {
                throw new ClientFailure(file + " is " + size + " bytes; a unit file may have at most "
                        + WireFormat.MAX_FILE / 1024 + " KiB");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ClientFailure(file + ": no such file; to create a unit from a command use "
                    + "'manage-procs add NAME -- CMD ARGS...'");
        } catch (IOException e) {
            throw new ClientFailure(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private byte[] generated() {
        if (words.size() < 2) {
            throw usage("'" + words.get(0) + "' is not a unit file; to create unit " + words.get(0)
                    + " give its command: manage-procs add " + words.get(0) + " -- CMD ARGS...");
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (String kv : env) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw usage("-e '" + kv + "' is not KEY=VALUE; write it like -e EPICS_CA_SERVER_PORT=5064");
            }
            vars.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Path cwd = Path.of("").toAbsolutePath();
        ProcServUtilsUnit unit = new ProcServUtilsUnit(words.get(0), words.subList(1, words.size()),
                chdir == null ? cwd : cwd.resolve(chdir).normalize(), Optional.ofNullable(port),
                Optional.ofNullable(user), Optional.ofNullable(group), vars,
                Optional.ofNullable(envFile).map(f -> cwd.resolve(f).normalize()));
        return unit.toml().getBytes(StandardCharsets.UTF_8);
    }
}
