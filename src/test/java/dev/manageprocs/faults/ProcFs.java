package dev.manageprocs.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What /proc says about a process: open fds, threads, and who is still around (unchecked: tests poll it). */
final class ProcFs {
    private ProcFs() {
    }

    static int fdCount(long pid) {
        return count(Path.of("/proc", Long.toString(pid), "fd"));
    }

    static int threadCount(long pid) {
        return count(Path.of("/proc", Long.toString(pid), "task"));
    }

    /** One line per open fd: "fd -> target", to show what leaked. */
    static List<String> fds(long pid) {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : ds) {
                try {
                    out.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
                } catch (IOException gone) {
                    // closed while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Pids of live (not zombie) processes whose environment holds {@code needle}, e.g. PROCSERV_INFO=PID=123; */
    static List<Integer> withEnvironment(String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        List<Integer> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : ds) {
                try {
                    if (contains(Files.readAllBytes(p.resolve("environ")), n) && !zombie(p)) {
                        found.add(Integer.parseInt(p.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // exited while we looked, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** One line per pid: parent, process group, session and command line, to show what was left behind. */
    static String describe(List<Integer> pids) {
        StringBuilder b = new StringBuilder();
        for (int pid : pids) {
            Path proc = Path.of("/proc", Integer.toString(pid));
            try {
                String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
                String cmd = Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                b.append("\n  ").append(pid).append(" ppid ").append(f[1]).append(" pgrp ").append(f[2])
                        .append(" sid ").append(f[3]).append(": ").append(cmd);
            } catch (IOException gone) {
                b.append("\n  ").append(pid).append(" (gone)");
            }
        }
        return b.toString();
    }

    private static boolean zombie(Path proc) throws IOException {
        String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int count(Path dir) {
        try (var s = Files.list(dir)) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
