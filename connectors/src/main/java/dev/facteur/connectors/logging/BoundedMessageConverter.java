package dev.facteur.connectors.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %m} cut at 4,000 characters: a line that embeds an exception's message (Camunda's ENGINE-16004 "Exception
 * while closing command context: …") stays bounded too. Registered for {@code m}, {@code msg} and {@code message}
 * in {@code logback-spring.xml}, so every pattern (Spring Boot's, or one set in {@code logging.pattern.*}) has it.
 */
public class BoundedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return BoundedText.head(super.convert(event), BoundedText.LOG_MESSAGE_LIMIT);
    }
}
