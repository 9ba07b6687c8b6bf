package dev.manageprocs.unit;

/** RLIMIT_CORE for the child: a byte count or unlimited. */
public record CoreSize(long bytes) {
    public static final CoreSize UNLIMITED = new CoreSize(-1);

    public boolean unlimited() {
        return bytes < 0;
    }

    @Override
    public String toString() {
        return unlimited() ? "unlimited" : Long.toString(bytes);
    }
}
