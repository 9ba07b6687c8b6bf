package dev.manageprocs.cli;

import dev.manageprocs.handoff.HandoffState;
import dev.manageprocs.handoff.Preflight;
import dev.manageprocs.handoff.Relaunch;
import dev.manageprocs.handoff.StateCodec;
import dev.manageprocs.handoff.StateFile;
import dev.manageprocs.manager.Daemon;
import java.io.IOException;
import java.nio.file.Files;
import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ManagerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code manage-procs daemon} runs, from either parser: picocli's DaemonCommand or the fast path
 * (which spares the months-long manager picocli's model of every command).
 */
record DaemonLaunch(boolean user, boolean system, Path config, boolean verbose, List<Path> unitDirs) {

    /** Loads the manager config and runs the manager until SIGTERM; returns the exit code. */
    int run(PrintWriter err) throws InterruptedException {
        if (user && system) {
            err.println("manage-procs: --user and --system exclude each other; give one of them");
            err.flush();
            return 2;
        }
        String check = System.getenv(Relaunch.CHECK);
        if (check != null) {
            return checkHandoff(Path.of(check), err);
        }
        String adopt = System.getenv(Relaunch.ADOPT);
        if (adopt != null) {
            return adopt(Path.of(adopt), err);
        }
        Optional<Layout.Mode> mode = system ? Optional.of(Layout.Mode.SYSTEM)
                : user ? Optional.of(Layout.Mode.USER) : Optional.empty();
        Layout layout = Layout.forThisProcess(mode);
        ManagerConfig loaded;
        switch (ManagerConfig.load(layout, Optional.ofNullable(config))) {
            case ManagerConfig.Result.Failed f -> {
                f.diagnostics().forEach(err::println);
                err.println("manage-procs: the manager config has errors; fix them and start again");
                err.flush();
                return 1;
            }
            case ManagerConfig.Result.Ok ok -> loaded = ok.config();
        }
        if (!unitDirs.isEmpty()) {
            loaded = loaded.withUnitDirs(unitDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        }
        Daemon.configureLogging(verbose);
        return new Daemon(loaded, Main.version(), source(loaded), Optional.empty()).run();
    }

    /** How the config was loaded, for a live re-exec to hand over: the file's text as read now. */
    private static HandoffState.Config source(ManagerConfig loaded) {
        Optional<String> text = loaded.file().flatMap(f -> {
            try {
                return Optional.of(Files.readString(f));
            } catch (IOException e) {
                return Optional.empty(); // gone since it was loaded: the layout's defaults stand for it then
            }
        });
        return new HandoffState.Config(loaded.mode(), loaded.file(), text, loaded.unitDirs());
    }

    /** The preflight of a live re-exec: can this code take over the state? One line either way. */
    private static int checkHandoff(Path file, PrintWriter err) {
        try {
            StateFile.Loaded l = StateFile.read(file);
            System.out.println(Preflight.passedLine(Main.version(), l.state().units().size()));
            System.out.flush();
            return 0;
        } catch (StateCodec.Unreadable e) {
            err.println("manage-procs " + Main.version() + " cannot take over the running manager: its state " + file
                    + " " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** The second half of a live re-exec: this process's previous program left its state in file. */
    private int adopt(Path file, PrintWriter err) throws InterruptedException {
        Daemon.configureLogging(verbose);
        long reading = System.nanoTime();
        StateFile.Loaded l;
        try {
            l = StateFile.read(file);
        } catch (StateCodec.Unreadable e) {
            // the preflight read the same file with this same code, so only a changed file gets here
            err.println("manage-procs: cannot adopt the units of the previous program: the state " + file + " "
                    + e.getMessage() + "; its children run on unsupervised");
            err.flush();
            return 70;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // stale until the next re-exec overwrites it; it holds nothing the manager's user cannot read
        }
        org.slf4j.LoggerFactory.getLogger("dev.manageprocs.daemon").info("handed-over state of {} units read in {} ms",
                l.state().units().size(), (System.nanoTime() - reading) / 1_000_000);
        return new Daemon(l.config(), Main.version(), l.state().config(), Optional.of(l.state())).run();
    }
}
