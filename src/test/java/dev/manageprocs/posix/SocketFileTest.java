package dev.manageprocs.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one place that decides what a socket file in the way may be removed: only a dead socket, only ours. */
class SocketFileTest {
    @TempDir
    Path dir;

    @Test
    void aSocketNobodyListensOnIsRemovedALiveOneAndAPlainFileAreLeft() throws Exception {
        Path free = dir.resolve("free");
        assertEquals(SocketFile.Found.NOTHING, SocketFile.clearStale(free));

        Path stale = dir.resolve("stale");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(stale)).close();
        assertTrue(Files.exists(stale), "closing a listener leaves its file, as a crash does");
        assertEquals(SocketFile.Found.STALE, SocketFile.inspect(stale));
        assertTrue(Files.exists(stale), "inspect touches nothing");
        assertEquals(SocketFile.Found.STALE_REMOVED, SocketFile.clearStale(stale));
        assertFalse(Files.exists(stale));

        Path live = dir.resolve("live");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(live));
            assertEquals(SocketFile.Found.LIVE, SocketFile.clearStale(live));
            assertTrue(Files.exists(live));
        }

        Path plain = Files.writeString(dir.resolve("plain"), "not a socket");
        assertEquals(SocketFile.Found.NOT_A_SOCKET, SocketFile.clearStale(plain));
        assertTrue(Files.exists(plain));
    }

    @Test
    void aFileReplacedByAnotherProcessIsNotRemoved() throws Exception {
        Path path = dir.resolve("sock");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path)).close();
        Object ours = SocketFile.identity(path);
        Files.move(path, dir.resolve("aside")); // another manager took the path (the old inode stays in use)
        try (ServerSocketChannel theirs = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            theirs.bind(UnixDomainSocketAddress.of(path));
            SocketFile.removeIfStill(path, ours);
            assertTrue(Files.exists(path), "the other process's socket stays");
        }
        SocketFile.removeIfStill(path, SocketFile.identity(path));
        assertFalse(Files.exists(path));
    }
}
