package dev.manageprocs.manager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's name for the unit key {@code host}, without DNS (a stalled resolver must not stall the manager). */
public final class Hostname {
    private Hostname() {
    }

    public static String current() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }

    /** "ioc-bl1" matches "ioc-bl1" and "ioc-bl1.example.org" (and the reverse), case-insensitively. */
    public static boolean matches(String wanted, String actual) {
        String w = wanted.toLowerCase();
        String a = actual.toLowerCase();
        return w.equals(a) || shortName(w).equals(shortName(a)) && (w.indexOf('.') < 0 || a.indexOf('.') < 0);
    }

    private static String shortName(String h) {
        int dot = h.indexOf('.');
        return dot < 0 ? h : h.substring(0, dot);
    }
}
