package dev.manageprocs.control;

/** No conversation with the manager could start; {@link #response()} says why (exit 1, one sentence). */
public final class CallFailed extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Response response;

    CallFailed(Response response) {
        super(response.err());
        this.response = response;
    }

    public Response response() {
        return response;
    }
}
