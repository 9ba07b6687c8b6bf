package dev.manageprocs.console;

/**
 * Telnet (RFC 854) bytes the console speaks. What procServ 2.7.0 sends on connect was verified by
 * running it: IAC WILL ECHO, IAC DO LINEMODE (after the banner). Linux telnet then runs with
 * "LINEMODE, no line editing, no catching of signals": every key, ^C included, is sent at once.
 */
public final class Telnet {
    static final int IAC = 0xff;
    static final int DONT = 0xfe;
    static final int DO = 0xfd;
    static final int WONT = 0xfc;
    static final int WILL = 0xfb;
    static final int SB = 0xfa;
    static final int SE = 0xf0;

    static final int ECHO = 1;
    static final int SGA = 3;
    static final int NAWS = 31;
    static final int LINEMODE = 34;

    /** Sent to every client on connect, exactly as procServ does. */
    static final byte[] NEGOTIATION = {
        (byte) IAC, (byte) WILL, ECHO, (byte) IAC, (byte) DO, LINEMODE
    };

    private Telnet() {
    }

    /**
     * Output for a client: 0xFF doubled to IAC IAC, as procServ does for every client (raw ones too),
     * so a telnet client shows the byte instead of taking it for a command. Returns the escaped
     * length; {@code out} must hold 2 × len bytes.
     */
    public static int escape(byte[] in, int off, int len, byte[] out) {
        int n = 0;
        for (int i = off; i < off + len; i++) {
            out[n++] = in[i];
            if (in[i] == (byte) IAC) {
                out[n++] = (byte) IAC;
            }
        }
        return n;
    }

    public static boolean needsEscape(byte[] in, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (in[i] == (byte) IAC) {
                return true;
            }
        }
        return false;
    }

    /** IAC SB NAWS WIDTH HEIGHT IAC SE (RFC 1073): tells the console this client's window size. */
    public static byte[] naws(int rows, int cols) {
        byte[] data = {(byte) (cols >> 8), (byte) cols, (byte) (rows >> 8), (byte) rows};
        byte[] escaped = new byte[2 * data.length];
        int n = escape(data, 0, data.length, escaped);
        byte[] out = new byte[n + 5];
        out[0] = (byte) IAC;
        out[1] = (byte) SB;
        out[2] = NAWS;
        System.arraycopy(escaped, 0, out, 3, n);
        out[n + 3] = (byte) IAC;
        out[n + 4] = (byte) SE;
        return out;
    }
}
