package dev.manageprocs.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: who did what to which unit (a control request, a console key, a refused connection). One logger,
 * so an administrator can route it (logback: {@value #NAME}) to a file of its own.
 */
public final class Audit {
    public static final String NAME = "dev.manageprocs.audit";
    public static final Logger LOG = LoggerFactory.getLogger(NAME);

    private Audit() {
    }
}
