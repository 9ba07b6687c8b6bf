package dev.manageprocs.control;

/** What the manager does with one authorized request. Runs on a virtual thread per connection; may block. */
@FunctionalInterface
public interface ControlHandler {
    Response handle(Request request, Peer peer);
}
