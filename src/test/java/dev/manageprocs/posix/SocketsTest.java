package dev.manageprocs.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SocketsTest {
    private static String text(String address) throws Exception {
        return Sockets.hostText(InetAddress.getByName(address));
    }

    @Test
    void hostsAreWrittenTheWayPeopleWriteThem() throws Exception {
        assertEquals("127.0.0.1", text("127.0.0.1"));
        assertEquals("[::1]", text("::1"));
        assertEquals("[::]", text("::"));
        assertEquals("[fe80::1:2]", text("fe80:0:0:0:0:0:1:2"));
        assertEquals("[2001:db8::1:0:0:1]", text("2001:db8:0:0:1:0:0:1"));
        assertEquals("[1:0:2:3:4:5:6:7]", text("1:0:2:3:4:5:6:7"));
    }
}
