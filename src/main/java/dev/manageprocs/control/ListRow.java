package dev.manageprocs.control;

/**
 * One line of {@code list}.
 *
 * @param state "loaded" units show their State name; for {@code list --all}: "excluded" (host does not match)
 *              or "broken" (the file does not parse)
 * @param file  the unit file
 * @param note  why a unit is excluded or broken, or that it changed on disk; empty when nothing to say
 */
public record ListRow(String name, String state, String file, String note) {
}
