package dev.manageprocs.access;

/** Who is on the other end of a control connection, from SO_PEERCRED (the process's effective ids). */
public record Peer(int uid, int gid, String user) {

    /** "alice (uid 1000)": for refusals and the audit log. */
    public String describe() {
        return "'" + user + "' (uid " + uid + ")";
    }
}
