package dev.manageprocs.access;

import dev.manageprocs.posix.Accounts;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The user and group database as the manager asks it, through a bounded cache: each answer is kept for
 * {@link #TTL} and at most {@link #CAPACITY} of each kind, so a slow name service (LDAP, SSSD) is asked about a
 * user about once a minute rather than once per connection, and a host with many users cannot grow the manager.
 * Lookups block: call them on a control thread or the console's lookup threads, never on the event loop.
 */
public final class Directory {
    static final Duration TTL = Duration.ofSeconds(60);
    static final int CAPACITY = 512;

    /** Where the answers come from: the system's databases (NSS), unless a test overrides one. */
    public interface Source {
        default Optional<Accounts.User> user(int uid) {
            return Accounts.user(uid);
        }

        default Optional<Accounts.User> user(String name) {
            return Accounts.user(name);
        }

        default Optional<Accounts.Group> group(String name) {
            return Accounts.group(name);
        }

        default int[] groupIds(String user, int primaryGid) {
            return Accounts.groupIds(user, primaryGid);
        }
    }

    private static final class SystemHolder {
        static final Directory INSTANCE = new Directory(new Source() { }, System::nanoTime);
    }

    private record Membership(String user, int primaryGid) {
    }

    private final Source source;
    private final Expiring<Integer, Optional<Accounts.User>> usersById;
    private final Expiring<String, Optional<Accounts.User>> usersByName;
    private final Expiring<String, Optional<Accounts.Group>> groups;
    private final Expiring<Membership, int[]> memberships;

    Directory(Source source, LongSupplier clock) {
        this.source = source;
        this.usersById = new Expiring<>(CAPACITY, TTL, clock);
        this.usersByName = new Expiring<>(CAPACITY, TTL, clock);
        this.groups = new Expiring<>(CAPACITY, TTL, clock);
        this.memberships = new Expiring<>(CAPACITY, TTL, clock);
    }

    /** This host's databases, one cache per process. */
    public static Directory system() {
        return SystemHolder.INSTANCE;
    }

    /** A directory over another source (tests: a slow or fake name service). */
    public static Directory of(Source source) {
        return new Directory(source, System::nanoTime);
    }

    public Optional<Accounts.User> user(int uid) {
        return usersById.get(uid, source::user);
    }

    public Optional<Accounts.User> user(String name) {
        return usersByName.get(name, source::user);
    }

    /** A group by name; a numeric name is taken as the gid when the database has no such name. */
    public Optional<Accounts.Group> group(String name) {
        return groups.get(name, n -> source.group(n).or(() -> numeric(n).map(gid -> new Accounts.Group(n, gid,
                List.of()))));
    }

    /** Every group id of the user: the primary one and the supplementary ones (getgrouplist(3)). */
    public int[] groupIds(String user, int primaryGid) {
        return memberships.get(new Membership(user, primaryGid), m -> source.groupIds(m.user(), m.primaryGid()))
                .clone();
    }

    private static Optional<Integer> numeric(String name) {
        try {
            return Optional.of(Integer.parseInt(name));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
