package dev.manageprocs.unit;

import java.util.regex.Pattern;

/** User and group names as unit files may write them: a portable login name, or a numeric id. */
final class AccountName {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\\$?");

    private AccountName() {
    }

    static boolean valid(String name) {
        return NAME.matcher(name).matches();
    }
}
