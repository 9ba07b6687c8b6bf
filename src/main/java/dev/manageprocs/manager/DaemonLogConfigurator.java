package dev.manageprocs.manager;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The daemon's logging, what logback.xml says, set up in code: reading logback.xml loads Logback's
 * XML configurator and the JDK's XML parser, ~500 classes that would stay in the manager's metaspace
 * for as long as it runs. Only for the daemon (Daemon.configureLogging sets the properties first);
 * any other process, and the tests with their logback-test.xml, are configured from the XML as before.
 */
public final class DaemonLogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "manageprocs.logpattern";
    static final String LEVEL = "manageprocs.loglevel";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String pattern = System.getProperty(PATTERN);
        if (pattern == null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDOUT");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty(LEVEL), Level.INFO));
        root.addAppender(appender);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
