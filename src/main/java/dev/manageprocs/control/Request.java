package dev.manageprocs.control;

import java.util.List;
import java.util.Map;

/**
 * One CLI command sent to the manager.
 *
 * @param verb    the verb's wire name ({@link Verb#wire()}); a string, because a newer client may send one
 *                this manager does not know
 * @param args    positional arguments (unit names, patterns, file names)
 * @param options {@link VerbOption} key to value; "true" for boolean flags
 * @param files   unit files read by the client: file name (no directory) to content
 */
public record Request(String verb, List<String> args, Map<String, String> options, Map<String, byte[]> files) {

    public Request {
        args = List.copyOf(args);
        options = Map.copyOf(options);
        files = Map.copyOf(files);
    }

    public static Request of(String verb, String... args) {
        return new Request(verb, List.of(args), Map.of(), Map.of());
    }

    /** True when the boolean flag was given. */
    public boolean flag(String name) {
        return "true".equals(options.get(name));
    }

    public boolean flag(VerbOption option) {
        return flag(option.wire());
    }
}
