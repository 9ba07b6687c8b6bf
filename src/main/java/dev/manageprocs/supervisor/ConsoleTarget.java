package dev.manageprocs.supervisor;

import dev.manageprocs.unit.ConsoleSpec;

/**
 * What the console needs from a unit's supervisor. Every method is called on the event loop thread.
 * {@code who} names the client for the audit log ("unix:/run/.../control uid 1000", "tcp 127.0.0.1:40122").
 */
public interface ConsoleTarget {

    String unitName();

    ConsoleSpec consoleSpec();

    UnitStatus status();

    /** Input for the child's terminal; dropped when no child runs. */
    void input(byte[] buf, int off, int len);

    /** The kill key: kill_signal to the child's process group. */
    void killKey(String who);

    /** The toggle key: auto restart between the unit's mode and never. */
    void toggleKey(String who);

    /** The restart key: start the child when it is down. */
    void restartKey(String who);

    /** The quit key: stop the unit when the child is down. */
    void quitKey(String who);

    /**
     * A control client's window size (telnet NAWS): the child's terminal takes it now and at later
     * starts, so the most recent interactive client wins.
     */
    void resize(int rows, int cols);

    void addListener(OutputListener listener);

    void removeListener(OutputListener listener);
}
