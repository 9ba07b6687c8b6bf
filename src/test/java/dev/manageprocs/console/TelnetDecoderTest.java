package dev.manageprocs.console;

import static dev.manageprocs.console.ConsoleHubTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelnetDecoderTest {

    /** Decodes input in pieces of the given size; returns the data bytes and collects the replies. */
    private static byte[] decode(TelnetDecoder d, byte[] input, int pieceSize, ByteArrayOutputStream replies) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int off = 0; off < input.length; off += pieceSize) {
            byte[] piece = Arrays.copyOfRange(input, off, Math.min(input.length, off + pieceSize));
            int n = d.decode(piece, 0, piece.length);
            data.write(piece, 0, n);
            replies.writeBytes(d.takeReplies());
        }
        return data.toByteArray();
    }

    private static void assertDecodes(byte[] input, byte[] expectedData, byte[] expectedReplies) {
        for (int piece : new int[] {1, 2, 3, 5, input.length}) {
            ByteArrayOutputStream replies = new ByteArrayOutputStream();
            assertArrayEquals(expectedData, decode(new TelnetDecoder(), input, piece, replies), "pieces of " + piece);
            assertArrayEquals(expectedReplies, replies.toByteArray(), "replies, pieces of " + piece);
        }
    }

    @Test
    void rawBytesPassUntouched() {
        assertDecodes(bytes('l', 's', '\r', '\n', 0x1b, '[', 'A'), bytes('l', 's', '\r', '\n', 0x1b, '[', 'A'), bytes());
    }

    @Test
    void iacIacIsALiteralFf() {
        assertDecodes(bytes('a', 0xff, 0xff, 'b'), bytes('a', 0xff, 'b'), bytes());
    }

    @Test
    void crNulIsABareCr() {
        assertDecodes(bytes('a', '\r', 0, 'b', '\r', '\n', 0), bytes('a', '\r', 'b', '\r', '\n', 0), bytes());
    }

    @Test
    void commandsAndSubnegotiationsAreStripped() {
        // NOP, IP, AYT, then SB NAWS 80x24 with an escaped 0xFF inside, then data
        assertDecodes(bytes('a', 0xff, 241, 'b', 0xff, 244, 0xff, 246, 0xff, 250, 31, 0, 80, 0xff, 0xff, 24, 0xff, 240, 'c'),
                bytes('a', 'b', 'c'), bytes());
    }

    @Test
    void whatLinuxTelnetSaysOnConnectGetsOnlyTheNecessaryAnswers() {
        byte[] fromTelnet = bytes(0xff, 0xfd, 1, 0xff, 0xfd, 3, 0xff, 0xfb, 34,
                0xff, 0xfa, 34, 3, 1, 0, 0, 3, 0x62, 3, 4, 2, 0x0f, 0xff, 0xf0);
        assertDecodes(fromTelnet, bytes(), bytes(0xff, 0xfb, 3));
    }

    @Test
    void repeatedRequestsNeverLoop() {
        // DO ECHO twice, DO SGA twice, WILL LINEMODE twice: each state changes at most once
        assertDecodes(bytes(0xff, 0xfd, 1, 0xff, 0xfd, 1, 0xff, 0xfd, 3, 0xff, 0xfd, 3, 0xff, 0xfb, 34, 0xff, 0xfb, 34),
                bytes(), bytes(0xff, 0xfb, 3));
        // turning things off is acknowledged once; refusals of what we never had are not answered
        assertDecodes(bytes(0xff, 0xfd, 3, 0xff, 0xfe, 3, 0xff, 0xfe, 3, 0xff, 0xfe, 1, 0xff, 0xfc, 34, 0xff, 0xfc, 99),
                bytes(), bytes(0xff, 0xfb, 3, 0xff, 0xfc, 3));
    }

    @Test
    void unknownOptionsAreRefused() {
        assertDecodes(bytes(0xff, 0xfd, 31, 0xff, 0xfb, 24, 'x'), bytes('x'), bytes(0xff, 0xfc, 31, 0xff, 0xfe, 24));
    }

    @Test
    void aWindowSizeIsReportedEvenSplitAndWithAnEscaped255() {
        // IAC SB NAWS 0 255(escaped) 0 40 IAC SE: 255 columns, 40 rows
        byte[] naws = bytes('a', 0xff, 250, 31, 0, 0xff, 0xff, 0, 40, 0xff, 240, 'b');
        for (int piece : new int[] {1, 2, 3, naws.length}) {
            TelnetDecoder d = new TelnetDecoder();
            assertArrayEquals(bytes('a', 'b'), decode(d, naws, piece, new ByteArrayOutputStream()));
            assertEquals(Optional.of(new TelnetDecoder.WindowSize(40, 255)), d.takeWindowSize(), "pieces of " + piece);
            assertEquals(Optional.empty(), d.takeWindowSize(), "taken once");
        }
        assertArrayEquals(Telnet.naws(40, 255), Arrays.copyOfRange(naws, 1, naws.length - 1), "what attach sends");
    }

    @Test
    void zeroSizesAndOtherSubnegotiationsAreNoWindowSize() {
        TelnetDecoder d = new TelnetDecoder();
        decode(d, bytes(0xff, 250, 31, 0, 0, 0, 24, 0xff, 240, 0xff, 250, 24, 0, 'x', 0xff, 240), 1,
                new ByteArrayOutputStream());
        assertEquals(Optional.empty(), d.takeWindowSize());
    }

    @Test
    void telnetOfferingNawsIsAccepted() {
        assertDecodes(bytes(0xff, 0xfb, 31, 0xff, 0xfb, 31, 0xff, 0xfc, 31), bytes(), bytes(0xff, 0xfd, 31, 0xff, 0xfe, 31));
    }
}
