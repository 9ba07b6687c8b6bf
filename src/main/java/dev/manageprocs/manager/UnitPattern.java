package dev.manageprocs.manager;

import java.util.regex.Pattern;

/** A shell glob on unit names ("ioc*", "bl?-motor", "ioc[12]"), as systemctl and supervisorctl take them. */
final class UnitPattern {
    private final Pattern regex;

    UnitPattern(String glob) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                case '[' -> {
                    int close = glob.indexOf(']', i + 1);
                    if (close < 0) {
                        b.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, close);
                        b.append('[');
                        if (set.startsWith("!")) {
                            b.append('^');
                            set = set.substring(1);
                        }
                        for (char s : set.toCharArray()) {
                            b.append(Character.isLetterOrDigit(s) || s == '-' ? String.valueOf(s) : "\\" + s);
                        }
                        b.append(']');
                        i = close;
                    }
                }
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        regex = Pattern.compile(b.toString());
    }

    boolean matches(String name) {
        return regex.matcher(name).matches();
    }
}
