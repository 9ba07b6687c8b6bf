package dev.manageprocs.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The daemon's logging in code says what logback.xml said: stdout, the daemon's pattern and level. */
class DaemonLogConfiguratorTest {
    @AfterEach
    void clearProperties() {
        System.clearProperty(DaemonLogConfigurator.PATTERN);
        System.clearProperty(DaemonLogConfigurator.LEVEL);
    }

    private static ExecutionStatus configure(LoggerContext context) {
        DaemonLogConfigurator c = new DaemonLogConfigurator();
        c.setContext(context);
        return c.configure(context);
    }

    @Test
    void theDaemonLogsItsPatternToStdoutAtItsLevel() {
        Daemon.configureLogging(true);
        System.setProperty(DaemonLogConfigurator.PATTERN, "%-5level %msg%n"); // no time stamp: comparable
        LoggerContext context = new LoggerContext();
        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configure(context));
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.DEBUG, root.getLevel());
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> out = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
        assertTrue(out.isStarted());
        assertEquals("System.out", out.getTarget());
        LoggingEvent e = new LoggingEvent("x", root, Level.INFO, "u1: {} -> {}", null, new Object[] {"A", "B"});
        assertEquals("INFO  u1: A -> B" + System.lineSeparator(),
                new String(out.getEncoder().encode(e), StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheDaemonsSettingsLogbackXmlDecides() {
        LoggerContext context = new LoggerContext();
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configure(context));
        assertFalse(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext());
    }
}
