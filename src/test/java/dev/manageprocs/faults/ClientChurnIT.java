package dev.manageprocs.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 console clients connect and disconnect for 20 s, every way a client can go: after reading a
 * while, at once before reading the banner, after sending telnet negotiation, with a TCP reset; on
 * the unix control socket, the read-only socket and TCP. Afterwards the manager holds exactly the
 * file descriptors and threads it held before, and the console still works.
 */
class ClientChurnIT {
    private static final int CLIENTS = 200;
    private static final Duration CHURN = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void twoHundredClientsComingAndGoingForTwentySecondsLeakNoFdsOrThreads() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("chatty", """
                    [process]
                    command = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.05; done"]
                    [console]
                    listen = ["unix:default", "tcp:127.0.0.1:0"]
                    log_listen = ["unix:default"]
                    """);
            assertEquals(0, m.cli("reload").exit());
            ControlSocket control = new ControlSocket(m.runDir.resolve("control.sock"));
            Eventually.await("chatty to run", ManagerProcess.WAIT, () -> control.units().get("chatty").state().equals("RUNNING"));
            int port = tcpPort(m.runDir.resolve("chatty/info"));
            List<SocketAddress> endpoints = List.of(UnixDomainSocketAddress.of(m.runDir.resolve("chatty/control")),
                    UnixDomainSocketAddress.of(m.runDir.resolve("chatty/log")), new InetSocketAddress("127.0.0.1", port));
            long pid = m.pid();
            int fdsBefore = ProcFs.fdCount(pid);
            List<String> fdListBefore = ProcFs.fds(pid);
            int threadsBefore = ProcFs.threadCount(pid);

            AtomicLong connections = new AtomicLong();
            long end = System.nanoTime() + CHURN.toNanos();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    int id = i;
                    clients.add(pool.submit(() -> {
                        for (int round = 0; System.nanoTime() < end; round++) {
                            oneVisit(endpoints.get((id + round) % endpoints.size()), (id + round) % 4);
                            connections.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> c : clients) {
                    c.get();
                }
            }
            int fdsDuring = ProcFs.fdCount(pid);
            Eventually.until(Duration.ofSeconds(15),
                    () -> ProcFs.fdCount(pid) == fdsBefore && ProcFs.threadCount(pid) <= threadsBefore,
                    () -> "the manager's fds and threads to return to " + fdsBefore + " and " + threadsBefore + ", now "
                            + ProcFs.fdCount(pid) + " and " + ProcFs.threadCount(pid) + "; fds now not there before: "
                            + newFds(pid, fdListBefore));
            System.out.printf("ClientChurnIT: %d connections by %d clients in %d s; manager fds %d before, %d at the end "
                    + "of the churn, %d after; threads %d before, %d after; manager log %d lines%n", connections.get(), CLIENTS,
                    CHURN.toSeconds(), fdsBefore, fdsDuring, ProcFs.fdCount(pid), threadsBefore, ProcFs.threadCount(pid),
                    m.managerOutput().lines().count());
            assertTrue(connections.get() >= CLIENTS * 5, "too few connections to mean anything: " + connections);

            // the console still works: a new client gets the banner and live output
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(endpoints.get(0));
                StringBuilder seen = new StringBuilder();
                ByteBuffer buf = ByteBuffer.allocate(8192);
                while (!(seen.indexOf("@@@ Welcome") >= 0 && seen.lastIndexOf("tick") > seen.indexOf("live output follows"))) {
                    assertTrue(ch.read(buf.clear()) > 0, "the console closed on a new client");
                    seen.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
                }
            }
            assertEquals(0, control.units().get("chatty").restarts(), "the child was never restarted");
            String log = m.managerOutput();
            assertTrue(!log.contains("Exception") && !log.contains("ERROR"), () -> "the manager logged errors:\n" + log);
        }
    }

    /** One connection, ended in one of four ways. */
    private static void oneVisit(SocketAddress where, int how) throws IOException {
        try (SocketChannel ch = connect(where)) {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            switch (how) {
                case 0 -> { // reads the banner and some output
                    for (int i = 0; i < 3 && ch.read(buf.clear()) > 0; i++) {
                        // read on
                    }
                }
                case 1 -> { // answers the telnet negotiation as telnet does, then goes
                    ch.write(ByteBuffer.wrap(new byte[] {(byte) 255, (byte) 253, 1, (byte) 255, (byte) 253, 3}));
                    ch.read(buf);
                }
                case 2 -> { // gone before the banner is read
                }
                default -> { // a reset instead of a close (TCP), or an abrupt close (unix)
                    ch.read(buf);
                    if (where instanceof InetSocketAddress) {
                        ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                    }
                }
            }
        } catch (IOException e) {
            // the manager may see the client gone first and close its side: that is not a failure
            if (!(e.getMessage() != null && (e.getMessage().contains("reset") || e.getMessage().contains("Broken pipe")))) {
                throw e;
            }
        }
    }

    /**
     * A full accept queue makes a unix-socket connect fail with EAGAIN where a virtual thread is
     * concerned (a blocking C client would wait in connect instead): wait a moment and try again.
     */
    private static SocketChannel connect(SocketAddress where) throws IOException {
        for (int attempt = 1; ; attempt++) {
            SocketChannel ch = SocketChannel.open(where instanceof InetSocketAddress ? StandardProtocolFamily.INET
                    : StandardProtocolFamily.UNIX);
            try {
                ch.connect(where);
                return ch;
            } catch (SocketException e) {
                ch.close();
                if (attempt == 100 || e.getMessage() == null || !e.getMessage().contains("temporarily unavailable")) {
                    throw e;
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private static int tcpPort(Path info) throws IOException {
        return Files.readAllLines(info).stream().filter(l -> l.startsWith("tcp:127.0.0.1:"))
                .map(l -> Integer.parseInt(l.substring("tcp:127.0.0.1:".length()))).findFirst().orElseThrow();
    }

    private static List<String> newFds(long pid, List<String> before) {
        List<String> now = new ArrayList<>(ProcFs.fds(pid));
        now.removeAll(before);
        return now;
    }
}
