package io.herald.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.herald.core.config.HeraldConfig;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code logging} section to Logback once the configuration is loaded. Until then (and whenever the section
 * asks for nothing else) logback.xml's text format holds, with an ISO-8601 date on every line. {@code json} swaps the
 * encoder of every root appender for Logback's own {@link JsonEncoder}: one JSON object per line, key-value pairs (the
 * API's access log) as fields of their own.
 */
final class LogSetup {

    private LogSetup() {}

    /** Applies it to the process's Logback; does nothing when SLF4J is bound to something else. */
    static void apply(HeraldConfig.Logging logging) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            apply(context, logging);
        }
    }

    static void apply(LoggerContext context, HeraldConfig.Logging logging) {
        logging.levels()
                .forEach((name, level) -> context.getLogger(
                                "root".equalsIgnoreCase(name) ? Logger.ROOT_LOGGER_NAME : name)
                        .setLevel(Level.toLevel(level)));
        if (!logging.json()) {
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender
                    && !(appender.getEncoder() instanceof JsonEncoder)) {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                // What a log shipper needs: time, level, logger, thread, the message as written, its
                // key-value pairs, MDC and the throwable; not the unformatted template and its arguments.
                json.setWithSequenceNumber(false);
                json.setWithNanoseconds(false);
                json.setWithContext(false);
                json.setWithMessage(false);
                json.setWithArguments(false);
                json.setWithFormattedMessage(true);
                json.start();
                appender.stop();
                appender.setEncoder(json);
                appender.start();
            }
        }
    }
}
