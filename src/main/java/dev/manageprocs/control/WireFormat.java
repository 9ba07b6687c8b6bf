package dev.manageprocs.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Control protocol version 1 (docs/control-protocol.md): one netstring frame per message whose payload is
 * a sequence of netstring fields, the first being the protocol version. A streaming reply (attach, logs)
 * is any number of chunk frames followed by one ordinary response frame.
 */
public final class WireFormat {
    public static final String VERSION = "1";
    public static final int MAX_REQUEST = 1 << 20;
    public static final int MAX_FILE = 256 << 10;
    /** The client's bound on a reply (a status of thousands of units stays far below it). */
    static final int MAX_RESPONSE = 64 << 20;
    private static final int MAX_VERB = 64;
    private static final int MAX_COUNT = 100_000;
    private static final String STDOUT = "stdout";
    private static final String STDERR = "stderr";

    private WireFormat() {
    }

    public static byte[] encode(Request request) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Netstrings.put(body, VERSION);
        Netstrings.put(body, request.verb());
        Netstrings.put(body, Integer.toString(request.args().size()));
        // plain loops, no lambdas: this runs in every CLI call, where each first lambda costs start-up time
        for (String a : request.args()) {
            Netstrings.put(body, a);
        }
        Netstrings.put(body, Integer.toString(request.options().size()));
        for (Map.Entry<String, String> o : request.options().entrySet()) {
            Netstrings.put(body, o.getKey());
            Netstrings.put(body, o.getValue());
        }
        Netstrings.put(body, Integer.toString(request.files().size()));
        for (Map.Entry<String, byte[]> f : request.files().entrySet()) {
            Netstrings.put(body, f.getKey());
            Netstrings.put(body, f.getValue());
        }
        return Netstrings.frame(body);
    }

    public static byte[] encode(Response response) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Netstrings.put(body, VERSION);
        Netstrings.put(body, Integer.toString(response.exitCode()));
        Netstrings.put(body, response.out());
        Netstrings.put(body, response.err());
        return Netstrings.frame(body);
    }

    /** One chunk of a streaming reply: bytes for the client's stdout (or stderr), printed as they come. */
    public static byte[] encodeChunk(boolean stderr, byte[] bytes, int off, int len) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(len + 24);
        Netstrings.put(body, VERSION);
        Netstrings.put(body, stderr ? STDERR : STDOUT);
        Netstrings.put(body, java.util.Arrays.copyOfRange(bytes, off, off + len));
        return Netstrings.frame(body);
    }

    /** Where the chunks of a streaming reply go, in order. */
    public interface ChunkSink {
        void chunk(boolean stderr, byte[] bytes) throws IOException;
    }

    /** Reads a streaming reply: each chunk goes to {@code sink}; returns the final response that ends it. */
    public static Response readStream(InputStream in, ChunkSink sink) throws IOException, ProtocolException {
        while (true) {
            Netstrings.Fields f = new Netstrings.Fields(Netstrings.readFrame(in, MAX_RESPONSE, "reply"), "reply");
            checkVersion(f.nextString());
            String kind = f.nextString();
            if (kind.equals(STDOUT) || kind.equals(STDERR)) {
                byte[] bytes = f.next();
                f.end();
                sink.chunk(kind.equals(STDERR), bytes);
            } else {
                return finalResponse(kind, f);
            }
        }
    }

    /** Reads and checks one request: sizes first (before reading a too-big payload), then every field. */
    public static Request readRequest(InputStream in) throws IOException, ProtocolException {
        Netstrings.Fields f = new Netstrings.Fields(Netstrings.readFrame(in, MAX_REQUEST, "request"), "request");
        String version = f.nextString();
        if (!version.equals(VERSION)) {
            throw new ProtocolException("the client speaks control protocol " + printable(version)
                    + " but this manager speaks version " + VERSION
                    + "; use the manage-procs command installed with the running manager");
        }
        String verb = f.nextString();
        if (verb.isEmpty() || verb.length() > MAX_VERB) {
            throw new ProtocolException("the request names no command");
        }
        int argCount = f.nextInt(MAX_COUNT);
        List<String> args = new ArrayList<>(Math.min(argCount, 64));
        for (int i = 0; i < argCount; i++) {
            args.add(f.nextString());
        }
        int optionCount = f.nextInt(MAX_COUNT);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < optionCount; i++) {
            options.put(f.nextString(), f.nextString());
        }
        int fileCount = f.nextInt(MAX_COUNT);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < fileCount; i++) {
            String name = f.nextString();
            byte[] content = f.next();
            if (content.length > MAX_FILE) {
                throw new ProtocolException("unit file " + printable(name) + " is "
                        + Netstrings.sizeText(content.length) + ", more than the limit of "
                        + Netstrings.sizeText(MAX_FILE));
            }
            files.put(name, content);
        }
        f.end();
        return new Request(verb, args, options, files);
    }

    public static Response readResponse(InputStream in) throws IOException, ProtocolException {
        Netstrings.Fields f = new Netstrings.Fields(Netstrings.readFrame(in, MAX_RESPONSE, "reply"), "reply");
        checkVersion(f.nextString());
        return finalResponse(f.nextString(), f);
    }

    private static void checkVersion(String version) throws ProtocolException {
        if (!version.equals(VERSION)) {
            throw new ProtocolException("the manager speaks control protocol " + printable(version)
                    + " but this client speaks version " + VERSION
                    + "; use the manage-procs command installed with the running manager");
        }
    }

    /** The rest of a response frame whose exit-code field was {@code exitField}. */
    private static Response finalResponse(String exitField, Netstrings.Fields f) throws ProtocolException {
        int exitCode = Netstrings.Fields.decimal(exitField, 255, f);
        String out = f.nextString();
        String err = f.nextString();
        f.end();
        return new Response(exitCode, out, err);
    }

    /** A peer-supplied string made safe and short for an error message. */
    private static String printable(String s) {
        String clipped = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "'" + clipped.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
