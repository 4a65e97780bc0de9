package dev.facteur.connectors.logging;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;
import java.util.Arrays;

/**
 * Spring Boot's {@code %wEx} (a stack trace set apart by blank lines, with packaging data) with every message of
 * the cause chain cut to its first line, at most 300 characters. Camunda's persistence errors carry the whole SQL
 * batch, parameters included, in their messages and those of their causes: one refused completion of a large
 * variable wrote 170 KB, and issue 19 measured 2.4 GB in 18 minutes. The stack frames are kept; the statement that
 * failed is named in the first line, and the database's reason is the root cause's first line.
 * Registered for {@code wEx} in {@code logback-spring.xml}.
 */
public class BoundedThrowableConverter extends ExtendedThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return CoreConstants.LINE_SEPARATOR
                + super.throwableProxyToString(bounded(throwable))
                + CoreConstants.LINE_SEPARATOR;
    }

    private static IThrowableProxy bounded(IThrowableProxy throwable) {
        return throwable == null ? null : new Bounded(throwable);
    }

    private record Bounded(IThrowableProxy delegate) implements IThrowableProxy {

        @Override
        public String getMessage() {
            return BoundedText.firstLine(delegate.getMessage(), BoundedText.EXCEPTION_MESSAGE_LIMIT);
        }

        @Override
        public String getClassName() {
            return delegate.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return delegate.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return delegate.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return bounded(delegate.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = delegate.getSuppressed();
            return suppressed == null
                    ? null
                    : Arrays.stream(suppressed)
                            .map(BoundedThrowableConverter::bounded)
                            .toArray(IThrowableProxy[]::new);
        }

        @Override
        public boolean isCyclic() {
            return delegate.isCyclic();
        }
    }
}
