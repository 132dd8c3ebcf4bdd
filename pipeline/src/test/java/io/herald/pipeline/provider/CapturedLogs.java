package io.herald.pipeline.provider;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Everything Herald and its libraries log while a test runs, as one text to grep: messages, arguments and stack traces.
 * Herald's own loggers are turned up to DEBUG meanwhile.
 */
public final class CapturedLogs implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger herald = (Logger) LoggerFactory.getLogger("io.herald");
    private final Level heraldLevel;

    public CapturedLogs() {
        heraldLevel = herald.getLevel();
        herald.setLevel(Level.DEBUG);
        appender.start();
        root.addAppender(appender);
    }

    public String text() {
        List<ILoggingEvent> events = List.copyOf(appender.list);
        return events.stream()
                .map(e -> e.getLoggerName() + " " + e.getFormattedMessage() + throwable(e.getThrowableProxy()))
                .collect(Collectors.joining("\n"));
    }

    /** Only what Herald's own loggers wrote (a fake's request log is the fake's business). */
    public String heraldText() {
        List<ILoggingEvent> events = List.copyOf(appender.list);
        return events.stream()
                .filter(e -> e.getLoggerName().startsWith("io.herald"))
                .map(e -> e.getLoggerName() + " " + e.getFormattedMessage() + throwable(e.getThrowableProxy()))
                .collect(Collectors.joining("\n"));
    }

    public int count() {
        return appender.list.size();
    }

    private static String throwable(IThrowableProxy t) {
        if (t == null) {
            return "";
        }
        StringBuilder out =
                new StringBuilder("\n").append(t.getClassName()).append(": ").append(t.getMessage());
        for (var frame : t.getStackTraceElementProxyArray()) {
            out.append("\n\t").append(frame.getSTEAsString());
        }
        return out + throwable(t.getCause());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        herald.setLevel(heraldLevel);
    }
}
