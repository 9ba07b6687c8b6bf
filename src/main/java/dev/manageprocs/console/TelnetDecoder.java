package dev.manageprocs.console;

import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * Streaming telnet input decoder for one client: strips every IAC sequence (split across reads or
 * not), turns IAC IAC into a literal 0xFF, skips subnegotiations (IAC SB … IAC SE) and drops the NUL
 * that telnet sends after a bare CR (RFC 854 "CR NUL"), as procServ does. Raw clients that never send
 * IAC pass through untouched.
 *
 * <p>Option negotiation follows RFC 1143's rule that prevents loops: answer a request that would
 * change an option's state, never one that confirms it. We perform ECHO (offered on connect) and SGA
 * (we never send go-ahead anyway); we ask the client for LINEMODE (as procServ does), accept the
 * client's NAWS (RFC 1073 window size) and refuse every other option either way. A window size
 * (IAC SB NAWS …) is taken whether or not NAWS was negotiated, so raw clients such as the built-in
 * attach can just send it.
 *
 * <p>The attach client uses the same decoder on the console's output, to strip the telnet commands
 * the console sends; it never sends the answers, like any raw client.
 */
public final class TelnetDecoder {
    private enum State { DATA, IAC, OPTION, SB, SB_DATA, SB_IAC }

    /** A window size a client reported. */
    public record WindowSize(int rows, int cols) {
    }

    private static final byte[] EMPTY = new byte[0];

    private State state = State.DATA;
    private int verb;
    private boolean crPending;
    // our side: offered (WILL sent, no answer yet) / enabled
    private boolean echoOffered = true;
    private boolean echoOn;
    private boolean sgaOn;
    // their side: LINEMODE requested (DO sent, no answer yet) / enabled
    private boolean linemodeRequested = true;
    private boolean linemodeOn;
    private boolean nawsOn;
    private ByteArrayOutputStream replies;
    // the subnegotiation being read: its option and the first bytes of its data (NAWS has four)
    private int sbOption;
    private final byte[] sbData = new byte[4];
    private int sbLength;
    private WindowSize windowSize;

    /** Decodes buf[off, off+len) in place; returns how many data bytes now start at buf[off]. */
    public int decode(byte[] buf, int off, int len) {
        int w = off;
        for (int r = off; r < off + len; r++) {
            int b = buf[r] & 0xff;
            switch (state) {
                case DATA -> {
                    if (b == Telnet.IAC) {
                        state = State.IAC;
                        crPending = false;
                    } else if (crPending && b == 0) {
                        crPending = false;
                    } else {
                        buf[w++] = (byte) b;
                        crPending = b == '\r';
                    }
                }
                case IAC -> {
                    switch (b) {
                        case Telnet.IAC -> {
                            buf[w++] = (byte) Telnet.IAC;
                            state = State.DATA;
                        }
                        case Telnet.WILL, Telnet.WONT, Telnet.DO, Telnet.DONT -> {
                            verb = b;
                            state = State.OPTION;
                        }
                        case Telnet.SB -> state = State.SB;
                        // NOP, GA, IP, AYT, BRK, a stray SE...: nothing the child should see
                        default -> state = State.DATA;
                    }
                }
                case OPTION -> {
                    negotiate(verb, b);
                    state = State.DATA;
                }
                case SB -> {
                    sbOption = b;
                    sbLength = 0;
                    state = b == Telnet.IAC ? State.SB_IAC : State.SB_DATA;
                }
                case SB_DATA -> {
                    if (b == Telnet.IAC) {
                        state = State.SB_IAC;
                    } else {
                        keepSb(b);
                    }
                }
                case SB_IAC -> {
                    if (b == Telnet.SE) {
                        endSb();
                        state = State.DATA;
                    } else {
                        if (b == Telnet.IAC) {
                            keepSb(b); // IAC IAC inside a subnegotiation: a 255 in the data (a width of 255)
                        }
                        state = State.SB_DATA;
                    }
                }
            }
        }
        return w - off;
    }

    /** The last window size reported since the previous call, if any. */
    public Optional<WindowSize> takeWindowSize() {
        WindowSize w = windowSize;
        windowSize = null;
        return Optional.ofNullable(w);
    }

    private void keepSb(int b) {
        if (sbLength < sbData.length) {
            sbData[sbLength] = (byte) b;
        }
        sbLength++;
    }

    /** IAC SB NAWS WIDTH[2] HEIGHT[2] IAC SE; a zero means "unknown" and is ignored (RFC 1073). */
    private void endSb() {
        if (sbOption != Telnet.NAWS || sbLength != 4) {
            return;
        }
        int cols = (sbData[0] & 0xff) << 8 | sbData[1] & 0xff;
        int rows = (sbData[2] & 0xff) << 8 | sbData[3] & 0xff;
        if (rows > 0 && cols > 0) {
            windowSize = new WindowSize(rows, cols);
        }
    }

    /** Answers produced since the last call (empty when none); the caller sends them to the client. */
    public byte[] takeReplies() {
        if (replies == null || replies.size() == 0) {
            return EMPTY;
        }
        byte[] out = replies.toByteArray();
        replies.reset();
        return out;
    }

    private void negotiate(int verb, int option) {
        switch (verb) {
            case Telnet.DO -> {
                if (option == Telnet.ECHO) {
                    if (!echoOn && !echoOffered) {
                        reply(Telnet.WILL, option);
                    }
                    echoOffered = false;
                    echoOn = true;
                } else if (option == Telnet.SGA) {
                    if (!sgaOn) {
                        reply(Telnet.WILL, option);
                    }
                    sgaOn = true;
                } else {
                    reply(Telnet.WONT, option);
                }
            }
            case Telnet.DONT -> {
                if (option == Telnet.ECHO) {
                    if (echoOn) {
                        reply(Telnet.WONT, option);
                    }
                    echoOn = false;
                    echoOffered = false;
                } else if (option == Telnet.SGA) {
                    if (sgaOn) {
                        reply(Telnet.WONT, option);
                    }
                    sgaOn = false;
                }
            }
            case Telnet.WILL -> {
                if (option == Telnet.LINEMODE) {
                    if (!linemodeOn && !linemodeRequested) {
                        reply(Telnet.DO, option);
                    }
                    linemodeRequested = false;
                    linemodeOn = true;
                } else if (option == Telnet.NAWS) {
                    if (!nawsOn) {
                        reply(Telnet.DO, option);
                    }
                    nawsOn = true;
                } else {
                    reply(Telnet.DONT, option);
                }
            }
            case Telnet.WONT -> {
                if (option == Telnet.LINEMODE) {
                    if (linemodeOn) {
                        reply(Telnet.DONT, option);
                    }
                    linemodeOn = false;
                    linemodeRequested = false;
                } else if (option == Telnet.NAWS) {
                    if (nawsOn) {
                        reply(Telnet.DONT, option);
                    }
                    nawsOn = false;
                }
            }
            default -> throw new IllegalStateException("not a negotiation verb: " + verb);
        }
    }

    private void reply(int verb, int option) {
        if (replies == null) {
            replies = new ByteArrayOutputStream(16);
        }
        replies.write(Telnet.IAC);
        replies.write(verb);
        replies.write(option);
    }
}
