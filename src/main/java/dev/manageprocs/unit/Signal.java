package dev.manageprocs.unit;

import java.util.Locale;
import java.util.Optional;

/** A Linux signal by number, with its canonical name ("SIGTERM"). */
public record Signal(int number, String name) {
    // Linux numbering (x86_64, aarch64); index = signal number.
    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"
    };
    public static final int MAX = 64;
    public static final Signal HUP = of(1);
    public static final Signal INT = of(2);
    public static final Signal KILL = of(9);
    public static final Signal TERM = of(15);

    /** The signal with that number; real-time signals are named SIGRTMIN+n. */
    public static Signal of(int number) {
        if (number < 1 || number > MAX) {
            throw new IllegalArgumentException("signal number " + number + " is not between 1 and " + MAX);
        }
        String name = number < NAMES.length ? NAMES[number] : "SIGRTMIN+" + (number - 34);
        return new Signal(number, name != null ? name : "SIG" + number);
    }

    /** "SIGTERM", "TERM", "term" or "15"; empty when it names no signal. */
    public static Optional<Signal> parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.chars().allMatch(Character::isDigit) && !t.isEmpty() && t.length() <= 3) {
            int n = Integer.parseInt(t);
            return n >= 1 && n <= MAX ? Optional.of(of(n)) : Optional.empty();
        }
        if (!t.startsWith("SIG")) {
            t = "SIG" + t;
        }
        for (int i = 1; i < NAMES.length; i++) {
            if (t.equals(NAMES[i])) {
                return Optional.of(of(i));
            }
        }
        if (t.equals("SIGIOT")) {
            return Optional.of(of(6));
        }
        if (t.equals("SIGPOLL")) {
            return Optional.of(of(29));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name;
    }
}
