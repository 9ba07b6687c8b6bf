package dev.manageprocs.unit;

/**
 * One console key: a single byte ("^X" = 0x18, "^^" = '^') or none ("" disables it).
 * {@code code} is -1 when disabled.
 */
public record KeySpec(int code) {
    public static final KeySpec NONE = new KeySpec(-1);

    public boolean enabled() {
        return code >= 0;
    }

    public boolean matches(int b) {
        return code >= 0 && (b & 0xff) == code;
    }

    /** The unit-file spelling: "^X", "^^" for '^', "" when disabled, else the character itself. */
    public String spec() {
        if (code < 0) {
            return "";
        }
        if (code == '^') {
            return "^^";
        }
        if (code < 0x20) {
            return "^" + (char) (code + 0x40);
        }
        if (code == 0x7f) {
            return "^?";
        }
        return Character.toString(code);
    }

    @Override
    public String toString() {
        return spec();
    }
}
