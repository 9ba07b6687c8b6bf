package dev.manageprocs.testing;

/**
 * Pieces of expect scripts that drive the real Linux telnet. Telnet starts in its local line-by-line
 * mode and switches to character mode only when the negotiation with the console completes; a key
 * sent before that is buffered by telnet (^D, ^X never leave it). Scripts call character_mode after
 * the banner, which asks telnet itself (its "status" command) until the switch happened.
 */
public final class TelnetScript {
    private TelnetScript() {
    }

    /** Defines {@code character_mode}: polls telnet's status for at most about 5 s, else exits 9. */
    public static final String CHARACTER_MODE = """
            proc character_mode {} {
                for {set i 0} {$i < 100} {incr i} {
                    send "\\x1d"
                    expect "telnet> "
                    send "status\\r"
                    expect {
                        -re "No line editing.*Remote character echo.*Escape character is\\[^\\n\\]*\\n" { return }
                        -re "Escape character is\\[^\\n\\]*\\n" {}
                    }
                    after 50
                }
                puts "\\nTELNET NEVER REACHED CHARACTER MODE"
                exit 9
            }
            """;
}
