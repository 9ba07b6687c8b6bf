package dev.manageprocs.control;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Netstrings ({@code LEN:bytes,}): the framing of every control message and of every field inside one. */
final class Netstrings {
    /** Enough digits for any allowed length; more is garbage, not a big message. */
    private static final int MAX_DIGITS = 9;

    private Netstrings() {
    }

    static void put(ByteArrayOutputStream out, byte[] field) {
        out.writeBytes(Integer.toString(field.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(field);
        out.write(',');
    }

    static void put(ByteArrayOutputStream out, String field) {
        put(out, field.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] frame(ByteArrayOutputStream body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 12);
        put(out, body.toByteArray());
        return out.toByteArray();
    }

    /**
     * Reads one whole netstring from a stream, refusing before reading the payload when its length exceeds
     * {@code limit}. EOFException when the stream ends before anything was read or in the middle.
     */
    static byte[] readFrame(InputStream in, int limit, String what) throws IOException, ProtocolException {
        long length = 0;
        int digits = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException(digits == 0 ? "nothing was sent" : "the " + what + " ended early");
            }
            if (c == ':' && digits > 0) {
                break;
            }
            if (c < '0' || c > '9' || digits == MAX_DIGITS || (digits == 1 && length == 0)) {
                throw new ProtocolException("the " + what + " is not in the manage-procs control format");
            }
            length = length * 10 + (c - '0');
            digits++;
        }
        if (length > limit) {
            throw new ProtocolException("the " + what + " is " + sizeText(length) + ", more than the limit of "
                    + sizeText(limit));
        }
        byte[] payload = in.readNBytes((int) length);
        int end = in.read();
        if (payload.length < length || end < 0) {
            throw new EOFException("the " + what + " ended early");
        }
        if (end != ',') {
            throw new ProtocolException("the " + what + " is not in the manage-procs control format");
        }
        return payload;
    }

    static String sizeText(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return bytes / (1 << 10) + " KiB";
        }
        return bytes + " bytes";
    }

    /** The fields of one frame's payload, read in order. */
    static final class Fields {
        private final byte[] data;
        private final String what;
        private int pos;

        Fields(byte[] data, String what) {
            this.data = data;
            this.what = what;
        }

        byte[] next() throws ProtocolException {
            int length = 0;
            int digits = 0;
            while (pos < data.length && data[pos] != ':') {
                int c = data[pos++];
                if (c < '0' || c > '9' || digits == MAX_DIGITS || (digits == 1 && length == 0)) {
                    throw malformed();
                }
                length = length * 10 + (c - '0');
                digits++;
            }
            if (digits == 0 || pos >= data.length || length > data.length - pos - 2) {
                throw malformed();
            }
            pos++; // ':'
            byte[] field = new byte[length];
            System.arraycopy(data, pos, field, 0, length);
            pos += length;
            if (data[pos++] != ',') {
                throw malformed();
            }
            return field;
        }

        String nextString() throws ProtocolException {
            return new String(next(), StandardCharsets.UTF_8);
        }

        /** A non-negative decimal count or number, at most {@code max}. */
        int nextInt(int max) throws ProtocolException {
            return decimal(nextString(), max, this);
        }

        /** A field already read as text, checked as {@link #nextInt} does. */
        static int decimal(String text, int max, Fields from) throws ProtocolException {
            if (text.isEmpty() || text.length() > MAX_DIGITS) {
                throw from.malformed();
            }
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                    throw from.malformed();
                }
            }
            int n = Integer.parseInt(text);
            if (n > max) {
                throw from.malformed();
            }
            return n;
        }

        void end() throws ProtocolException {
            if (pos != data.length) {
                throw malformed();
            }
        }

        private ProtocolException malformed() {
            return new ProtocolException("the " + what + " is not in the manage-procs control format");
        }
    }
}
