package dev.manageprocs.unit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Parses console endpoint specs ("unix:default", "20000", "tcp:ADDR:PORT", ...) and tells when two collide. */
final class Endpoints {
    static final String EXAMPLES = "\"unix:default\", \"unix:/path\", \"unix:@name\", a port like \"20000\" or"
            + " \"tcp:127.0.0.1:20000\"";
    /** sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_UNIX_PATH = 107;
    private static final Pattern DIGITS = Pattern.compile("\\d{1,5}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern HOSTNAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{1,3}");

    private Endpoints() {
    }

    /** The endpoint; relative unix paths resolve against baseDir. The exception message completes "listen[0] = "x" ...". */
    static Endpoint parse(String spec, Path baseDir) {
        if (DIGITS.matcher(spec).matches()) {
            return new Endpoint.Tcp(spec, "127.0.0.1", port(spec));
        }
        if (spec.startsWith("tcp:")) {
            return tcp(spec, spec.substring(4));
        }
        if (spec.startsWith("unix:")) {
            return unix(spec, spec.substring(5), baseDir);
        }
        throw new IllegalArgumentException("is not an endpoint; use " + EXAMPLES);
    }

    /** Whether both cannot be bound at the same time (same socket path or name, or overlapping TCP address and port). */
    static boolean clash(Endpoint a, Endpoint b) {
        return switch (a) {
            case Endpoint.UnixDefault x -> b instanceof Endpoint.UnixDefault;
            case Endpoint.UnixPath x -> b instanceof Endpoint.UnixPath y && x.path().equals(y.path());
            case Endpoint.UnixAbstract x -> b instanceof Endpoint.UnixAbstract y && x.name().equals(y.name());
            case Endpoint.Tcp x -> b instanceof Endpoint.Tcp y && x.port() != 0 && x.port() == y.port()
                    && (wildcard(x) || wildcard(y) || host(x).equals(host(y)));
        };
    }

    private static boolean wildcard(Endpoint.Tcp t) {
        return t.address().equals("0.0.0.0") || t.address().equals("::");
    }

    private static String host(Endpoint.Tcp t) {
        return t.address().equals("localhost") ? "127.0.0.1" : t.address();
    }

    private static Endpoint.Tcp tcp(String spec, String rest) {
        String address;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("is not a TCP endpoint; write IPv6 ones like \"tcp:[::1]:20000\"");
            }
            address = rest.substring(1, close);
            port = rest.substring(close + 2);
            checkIpv6(address);
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("has no port; write it like \"tcp:127.0.0.1:20000\"");
            }
            address = rest.substring(0, colon);
            port = rest.substring(colon + 1);
            if (address.contains(":")) {
                throw new IllegalArgumentException("has an IPv6 address without brackets; write it like \"tcp:[::1]:20000\"");
            }
            checkHost(address);
        }
        if (!DIGITS.matcher(port).matches()) {
            throw new IllegalArgumentException("has port '" + port + "', which is not a number; use a port from 0 (any"
                    + " free port) to 65535");
        }
        return new Endpoint.Tcp(spec, address, port(port));
    }

    private static int port(String digits) {
        int port = Integer.parseInt(digits);
        if (port > 65535) {
            throw new IllegalArgumentException("has port " + port + ", which is above 65535; use a port from 0 (any free"
                    + " port) to 65535");
        }
        return port;
    }

    private static void checkHost(String address) {
        var m = IPV4.matcher(address);
        if (m.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m.group(i)) > 255) {
                    throw new IllegalArgumentException("has address '" + address + "', which is not an IPv4 address;"
                            + " use one like 127.0.0.1");
                }
            }
        } else if (!HOSTNAME.matcher(address).matches()) {
            throw new IllegalArgumentException("has address '" + address + "', which is neither an IP address nor a host"
                    + " name; use one like 127.0.0.1");
        }
    }

    private static void checkIpv6(String address) {
        // Only hex digits, colons and dots: getByName then parses a literal and never asks DNS.
        boolean plausible = !address.isEmpty() && address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        try {
            if (plausible && InetAddress.getByName("[" + address + "]") != null) {
                return;
            }
        } catch (UnknownHostException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException("has address '" + address + "', which is not an IPv6 address; use one like ::1");
    }

    private static Endpoint unix(String spec, String rest, Path baseDir) {
        if (rest.equals("default")) {
            return new Endpoint.UnixDefault(spec);
        }
        if (rest.startsWith("@")) {
            String name = rest.substring(1);
            if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_UNIX_PATH - 1) {
                throw new IllegalArgumentException("needs an abstract socket name of 1 to " + (MAX_UNIX_PATH - 1)
                        + " bytes after '@'; write it like \"unix:@ioc1\"");
            }
            return new Endpoint.UnixAbstract(spec, name);
        }
        Optional<String> owner = Optional.empty();
        Optional<String> group = Optional.empty();
        OptionalInt mode = OptionalInt.empty();
        String path = rest;
        if (!rest.startsWith("/") && !rest.startsWith(".") && rest.contains(":")) {
            String[] parts = rest.split(":", 4);
            if (parts.length != 4) {
                throw new IllegalArgumentException("is not a unix endpoint; write it like \"unix:/path\" or"
                        + " \"unix:user:group:0660:/path\" (user, group and mode may be empty)");
            }
            owner = account(parts[0], "user");
            group = account(parts[1], "group");
            if (!parts[2].isEmpty()) {
                if (!MODE.matcher(parts[2]).matches()) {
                    throw new IllegalArgumentException("has mode '" + parts[2] + "', which is not an octal mode; use one"
                            + " like 0660");
                }
                mode = OptionalInt.of(Integer.parseInt(parts[2], 8));
            }
            path = parts[3];
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("has no socket path; write it like \"unix:/run/ioc1.sock\"");
        }
        Path resolved;
        try {
            resolved = baseDir.resolve(path).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("has a path that is not valid (" + e.getReason() + "); fix the path");
        }
        int bytes = resolved.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_UNIX_PATH) {
            String shown = resolved.toString().equals(path) ? "" : " (" + resolved + ")";
            throw new IllegalArgumentException("names a socket path of " + bytes + " bytes" + shown
                    + ", but Unix sockets allow at most " + MAX_UNIX_PATH + "; use a shorter path");
        }
        return new Endpoint.UnixPath(spec, resolved, owner, group, mode);
    }

    private static Optional<String> account(String name, String what) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (!AccountName.valid(name)) {
            throw new IllegalArgumentException("has " + what + " '" + name + "', which is not a valid " + what
                    + " name; use a name like softioc, or leave it empty");
        }
        return Optional.of(name);
    }
}
