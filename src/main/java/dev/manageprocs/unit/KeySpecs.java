package dev.manageprocs.unit;

/** The unit-file spelling of console keys: "^X" (control character), "^^" ('^'), "^?" (DEL), "" (none). */
final class KeySpecs {
    static final String EXAMPLES = "\"^X\", \"^^\" for '^', or \"\" to disable it";

    private KeySpecs() {
    }

    /** One key; the exception message completes "kill = "x" ..." for the user. */
    static KeySpec parse(String text) {
        if (text.isEmpty()) {
            return KeySpec.NONE;
        }
        if (text.length() != 2 || text.charAt(0) != '^') {
            throw new IllegalArgumentException("is not a key; write a control key like " + EXAMPLES);
        }
        return new KeySpec(code(text.charAt(1)));
    }

    /** A run of keys like "^C^D^]" as the bytes they stand for; "" = none. */
    static String parseSequence(String text) {
        StringBuilder bytes = new StringBuilder();
        for (int i = 0; i < text.length(); i += 2) {
            if (text.charAt(i) != '^' || i + 1 >= text.length()) {
                throw new IllegalArgumentException("is not a list of keys; write control keys one after another like"
                        + " \"^C^D^]\", or \"\" for none");
            }
            bytes.append((char) code(text.charAt(i + 1)));
        }
        return bytes.toString();
    }

    private static int code(char c) {
        if (c == '^') {
            return '^';
        }
        if (c == '?') {
            return 0x7f;
        }
        char up = Character.toUpperCase(c);
        if (up >= '@' && up <= '_') {
            return up - 0x40;
        }
        throw new IllegalArgumentException("has '^" + c + "', which is not a control key; use ^@, ^A to ^Z, ^[, ^\\, ^], ^_,"
                + " ^? or ^^");
    }
}
