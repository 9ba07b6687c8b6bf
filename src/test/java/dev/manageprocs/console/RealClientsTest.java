package dev.manageprocs.console;

import dev.manageprocs.testing.Captured;
import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.TelnetScript;
import dev.manageprocs.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clients operators really use, against a hub whose child echoes like a terminal. */
class RealClientsTest {
    @TempDir
    Path dir;

    @Test
    void linuxTelnetSeesTheBannerTypesInCharacterModeAndLogsOut() throws Exception {
        Tools.require("telnet", "expect");
        try (HubFixture f = HubFixture.tcp(dir, true)) {
            String port = f.control().substring(f.control().lastIndexOf(':') + 1);
            Path script = dir.resolve("session.exp");
            Files.writeString(script, TelnetScript.CHARACTER_MODE + """
                    set timeout 10
                    spawn telnet 127.0.0.1 %s
                    expect {
                        "(plus you)" {}
                        timeout { puts "NO BANNER"; exit 2 }
                    }
                    character_mode
                    send "x"
                    expect {
                        "x" {}
                        timeout { puts "NO CHARACTER-MODE ECHO"; exit 3 }
                    }
                    send "ello\\r"
                    expect {
                        "ello" {}
                        timeout { puts "NO ECHO"; exit 4 }
                    }
                    send "\\x04"
                    expect {
                        "Connection closed by foreign host" { exit 0 }
                        timeout { puts "NOT LOGGED OUT"; exit 5 }
                    }
                    """.formatted(port));
            Process p = new ProcessBuilder("expect", script.toString()).redirectErrorStream(true).start();
            String out = Captured.readAll(p.getInputStream());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "expect did not finish");
            assertEquals(0, p.exitValue(), out);
            // a single key went out on its own (character mode); Enter is CR NUL (NUL dropped) or CR LF,
            // depending on telnet's mode at that instant; both are NVT newlines and reach the child as sent
            String input = new String(f.target.input(), StandardCharsets.ISO_8859_1);
            assertTrue(input.equals("xello\r") || input.equals("xello\r\n"), TestClient.printable(input));
        }
    }

    @Test
    void socatIsARawClientThatWorksToo() throws Exception {
        Tools.require("socat");
        try (HubFixture f = HubFixture.tcp(dir, true)) {
            Process p = new ProcessBuilder("socat", "-", "TCP:" + f.control().substring(4)).start();
            Captured out = Captured.from(p.getInputStream());
            Eventually.until(() -> out.text().contains("(plus you)"), () -> "the banner in: " + out.text());
            OutputStream in = p.getOutputStream();
            in.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            Eventually.until(() -> out.text().contains("plus you)\r\n\u00ff\u00fb\u0001\u00ff\u00fd\"hello\n"),
                    () -> "the echo in: " + TestClient.printable(out.text()));
            in.write(4);
            in.flush();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "socat still connected after the logout key");
            assertEquals("hello\n", new String(f.target.input(), StandardCharsets.ISO_8859_1));
        }
    }



}
