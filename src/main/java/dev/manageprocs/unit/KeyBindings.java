package dev.manageprocs.unit;

/** The {@code [console].keys} table: each a control character, or {@link KeySpec#NONE} when disabled. */
public record KeyBindings(KeySpec kill, KeySpec toggle, KeySpec restart, KeySpec quit, KeySpec logout) {
}
