package dev.manageprocs.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** What a process writes, collected on a daemon thread while the test talks to it. */
public final class Captured {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Captured() {
    }

    /** Starts collecting {@code in} (a process's stdout) in the background. */
    public static Captured from(InputStream in) {
        Captured c = new Captured();
        Thread.ofPlatform().daemon().start(() -> c.copy(in));
        return c;
    }

    /** Everything until the stream ends, read on the calling thread. */
    public static String readAll(InputStream in) {
        Captured c = new Captured();
        c.copy(in);
        return c.text();
    }

    /** What came so far, bytes as ISO-8859-1 characters (telnet bytes stay visible). */
    public String text() {
        synchronized (out) {
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void copy(InputStream in) {
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process went away: what we have is what it wrote
        }
    }
}
