package dev.manageprocs.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Captured;
import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import dev.manageprocs.testing.TelnetScript;
import dev.manageprocs.testing.Tools;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real manager, a real shell on the unit's PTY, and the clients operators use: telnet and socat. */
class ConsoleIT {
    private static final String SHELL_UNIT = """
            [process]
            command = ["sh"]
            env = { PS1 = "shell> " }
            [restart]
            holdoff = "0s"
            [console]
            listen = ["unix:default", "tcp:127.0.0.1:0"]
            """;

    @TempDir
    Path tmp;

    private static String tcpPort(ManagerProcess m, String unit) throws IOException {
        return Files.readAllLines(m.runDir.resolve(unit).resolve("info")).stream()
                .filter(l -> l.startsWith("tcp:127.0.0.1:")).map(l -> l.substring("tcp:127.0.0.1:".length()))
                .findFirst().orElseThrow(() -> new AssertionError("no tcp line in the info file"));
    }

    @Test
    void telnetSeesTheBannerRunsCommandsAndUsesEveryKey() throws Exception {
        Tools.require("telnet", "expect");
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("shell", SHELL_UNIT);
            assertEquals(0, m.cli("reload").exit());
            Path script = Files.writeString(tmp.resolve("session.exp"), TelnetScript.CHARACTER_MODE + """
                    set timeout 10
                    proc step {what pattern} {
                        expect {
                            -re $pattern {}
                            timeout { puts "\\nMISSING: $what"; exit 2 }
                            eof { puts "\\nCLOSED BEFORE: $what"; exit 3 }
                        }
                    }
                    spawn telnet 127.0.0.1 %s
                    step "banner" {Welcome to procServ.*\\(plus you\\)}
                    character_mode
                    send "echo hel''lo\\r"
                    step "the shell's answer" {\\nhello}
                    send "\\x18"
                    step "the kill key restarts the child" {The PID of new child "shell" is: [0-9]+}
                    send "\\x14"
                    step "the toggle key turns auto restart off" {Toggled auto restart to OFF}
                    send "\\x18"
                    step "no restart after the next kill" {auto restart is disabled}
                    send "\\x12"
                    step "the restart key starts the child that is down" {The PID of new child "shell" is: [0-9]+}
                    send "echo again''ok\\r"
                    step "the new shell answers" {againok}
                    send "\\x04"
                    step "the logout key closes the session" {Connection closed by foreign host}
                    exit 0
                    """.formatted(tcpPort(m, "shell")));
            Process p = new ProcessBuilder("expect", script.toString()).redirectErrorStream(true).start();
            String out = Captured.readAll(p.getInputStream());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "expect did not finish");
            assertEquals(0, p.exitValue(), out);
            assertTrue(m.cli("status", "shell").out().contains("RUNNING"), "the unit runs after logout");
            assertTrue(m.managerOutput().contains("kill key"), "console keys are audited:\n" + m.managerOutput());
        }
    }

    @Test
    void socatOnTheUnixSocketGetsTheHistoryAndIsARawClient() throws Exception {
        Tools.require("socat");
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("talker", """
                    [process]
                    command = ["sh", "-c", "echo first line; echo second line; exec cat"]
                    """);
            assertEquals(0, m.cli("reload").exit());
            Eventually.await("the unit's output in its log", ManagerProcess.WAIT, () -> logHas(m, "second line"));
            Path socket = m.runDir.resolve("talker/control");
            Process p = new ProcessBuilder("socat", "-", "UNIX-CONNECT:" + socket).start();
            Captured out = Captured.from(p.getInputStream());
            Eventually.until(() -> out.text().contains("end of replay"), () -> "the history replay in: " + out.text());
            String replay = out.text();
            assertTrue(replay.indexOf("first line") < replay.indexOf("second line")
                    && replay.indexOf("second line") < replay.indexOf("end of replay"), replay);
            OutputStream in = p.getOutputStream();
            in.write("ping-42\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            Eventually.until(() -> out.text().split("ping-42", -1).length >= 3, () -> "echo and cat's answer in: " + out.text());
            in.write(4);
            in.flush();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "socat still connected after the logout key");
        }
    }

    private static boolean logHas(ManagerProcess m, String text) {
        try {
            Path log = m.logDir.resolve("talker.log");
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }



}
