package dev.manageprocs.cli;

import dev.manageprocs.control.CallFailed;
import dev.manageprocs.control.ControlClient;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.Verb;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command the manager carries out: build one Request from the command line, send it over the control
 * socket, print the Response as it is and exit with its code. Kept light: no JNA, no logging on this path.
 */
abstract class ClientCommand implements Callable<Integer> {
    private final Verb verb;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    /** The verb this command sends; VerbTableTest holds the command's name (an annotation constant) to it. */
    ClientCommand(Verb verb) {
        this.verb = verb;
    }

    /** The request this command line stands for; a ParameterException (exit 2) for a usage error. */
    abstract Request request();

    @Override
    public Integer call() {
        return print(send(request()));
    }

    Response send(Request request) {
        try {
            return client().send(request);
        } catch (CallFailed e) {
            return e.response();
        }
    }

    /** The client for the manager of the mode (and --config) the command line names. */
    ControlClient client() throws CallFailed {
        GlobalOptions g = global();
        return ControlClient.of(g.user, g.system, Optional.ofNullable(g.config));
    }

    private GlobalOptions global() {
        GlobalOptions g = main.global;
        if (g.user && g.system) {
            throw usage("--user and --system exclude each other; give one of them");
        }
        return g;
    }

    int print(Response response) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.print(response.out());
        out.flush();
        err.print(response.err());
        err.flush();
        return response.exitCode();
    }

    ParameterException usage(String sentence) {
        return new ParameterException(spec.commandLine(), sentence);
    }

    /** The request's verb on the wire. */
    String verb() {
        return verb.wire();
    }
}
