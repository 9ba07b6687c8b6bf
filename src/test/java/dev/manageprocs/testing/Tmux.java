package dev.manageprocs.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A terminal a test types into as a person would: a detached tmux session on a private server, running
 * bash with a minimal rc file (a fixed prompt, no history) in {@code dir}, read back with capture-pane. Call {@link Tools#require} with
 * "tmux" first.
 */
public final class Tmux implements AutoCloseable {
    public static final String PROMPT = "test$ ";

    private final Path socket;
    private final Map<String, String> env;

    /** A session of {@code cols} x {@code rows} whose shell has {@code env} added to the environment. */
    public Tmux(Path dir, Map<String, String> env, int cols, int rows) {
        this.socket = dir.resolve("tmux.sock");
        this.env = new java.util.HashMap<>(env);
        this.env.putIfAbsent("TERM", "xterm");
        Path rc = dir.resolve("tmux-bashrc");
        try {
            Files.writeString(rc, "PS1='" + PROMPT + "'\nunset HISTFILE\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-c", dir.toString(), "-x", Integer.toString(cols),
                "-y", Integer.toString(rows), "bash --noprofile --rcfile " + rc);
        tmux("set-option", "-g", "status", "off");
        awaitScreen(PROMPT);
    }

    /** Types the text literally (no key names), as keystrokes. */
    public void type(String text) {
        tmux("send-keys", "-t", "t", "-l", text);
    }

    /** Presses keys by tmux name: "Enter", "C-d", "C-c". */
    public void press(String... keys) {
        List<String> cmd = new ArrayList<>(List.of("send-keys", "-t", "t"));
        cmd.addAll(List.of(keys));
        tmux(cmd.toArray(String[]::new));
    }

    /** Types a command line and presses Enter. */
    public void run(String line) {
        type(line);
        press("Enter");
    }

    /** What the pane shows, its scrollback included, lines joined where they wrapped. */
    public String screen() {
        return tmux("capture-pane", "-p", "-J", "-t", "t", "-S", "-1000");
    }

    public void awaitScreen(String text) {
        Eventually.until(Duration.ofSeconds(15), () -> screen().contains(text),
                () -> "the terminal to show '" + text + "'; it shows:\n" + screen());
    }

    /** Waits until {@code text} appears {@code times} times on the screen. */
    public void awaitScreen(String text, int times) {
        Eventually.until(Duration.ofSeconds(15), () -> count(screen(), text) >= times,
                () -> "the terminal to show '" + text + "' " + times + " times; it shows:\n" + screen());
    }

    public static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** The pid of the pane's shell. */
    public long shellPid() {
        return Long.parseLong(tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip());
    }

    /** Resizes the window (and so the pane), as a person resizing their terminal. */
    public void resize(int cols, int rows) {
        tmux("resize-window", "-t", "t", "-x", Integer.toString(cols), "-y", Integer.toString(rows));
    }

    @Override
    public void close() {
        tmux("kill-server");
    }

    private String tmux(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        pb.environment().remove("TMUX");
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tmux " + String.join(" ", args) + " hung");
            }
            if (p.exitValue() != 0 && !args[0].equals("kill-server")) {
                throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
