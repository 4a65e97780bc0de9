package dev.facteur.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Counts what the application asks of PostgreSQL through its one DataSource: statement executions
 * ({@code execute*}, a whole {@code executeBatch} counting once), statements queued into batches,
 * commits and rollbacks of transactions that ran a statement (the driver sends nothing for an empty one, and
 * PostgreSQL counts nothing) and statements run in auto-commit (each its own transaction). Threads of the
 * benchmark itself (progress polling) mark themselves {@linkplain #ignoring ignored}.
 *
 * <p>Timed {@linkplain Scope scopes} (the dispatcher, the two lifecycle delegates) also count the
 * statements their thread executes while inside them.
 */
final class JdbcCounter {

    static final LongAdder STATEMENTS = new LongAdder();
    static final LongAdder BATCHED = new LongAdder();
    static final LongAdder COMMITS = new LongAdder();
    static final LongAdder ROLLBACKS = new LongAdder();
    static final LongAdder AUTOCOMMIT_STATEMENTS = new LongAdder();

    /** Executions per statement text (whitespace collapsed), for the per-statement breakdown. */
    static final java.util.concurrent.ConcurrentHashMap<String, LongAdder> BY_SQL =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Transactions (commits, rollbacks, auto-commit statements) per origin: the first application frame and the
     * engine command on the stack, or the thread's name when no application code is on it (a job, a poll).
     */
    static final java.util.concurrent.ConcurrentHashMap<String, LongAdder> TRANSACTIONS_BY_ORIGIN =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static final StackWalker WALKER = StackWalker.getInstance();

    private static final ThreadLocal<Boolean> IGNORED = ThreadLocal.withInitial(() -> false);
    private static final ThreadLocal<Deque<Scope>> ACTIVE = ThreadLocal.withInitial(ArrayDeque::new);

    private JdbcCounter() {}

    /** Runs {@code work} on this thread without counting its statements. */
    static <T> T ignoring(java.util.concurrent.Callable<T> work) throws Exception {
        boolean before = IGNORED.get();
        IGNORED.set(true);
        try {
            return work.call();
        } finally {
            IGNORED.set(before);
        }
    }

    static Counts snapshot() {
        return new Counts(STATEMENTS.sum(), BATCHED.sum(), COMMITS.sum(), ROLLBACKS.sum(), AUTOCOMMIT_STATEMENTS.sum());
    }

    /** Totals at one moment; {@link #minus} gives what happened in between. */
    record Counts(long statements, long batched, long commits, long rollbacks, long autocommitStatements) {

        Counts minus(Counts earlier) {
            return new Counts(
                    statements - earlier.statements,
                    batched - earlier.batched,
                    commits - earlier.commits,
                    rollbacks - earlier.rollbacks,
                    autocommitStatements - earlier.autocommitStatements);
        }

        /** Every statement execution and every commit/rollback is one exchange with the server. */
        long roundTrips() {
            return statements + commits + rollbacks;
        }

        /** Explicit commits and rollbacks, plus auto-commit statements (each a transaction of its own). */
        long transactions() {
            return commits + rollbacks + autocommitStatements;
        }
    }

    /** The body of a timed call. */
    interface Work {
        Object run() throws Throwable;
    }

    /** A timed region of the application's code, e.g. {@code Dispatcher.dispatch()}. */
    static final class Scope {
        final String name;
        final LongAdder calls = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
        final LongAdder statements = new LongAdder();
        final LongAdder result = new LongAdder();

        Scope(String name) {
            this.name = name;
        }

        Object time(Work call) throws Throwable {
            Deque<Scope> active = ACTIVE.get();
            active.push(this);
            long start = System.nanoTime();
            try {
                Object value = call.run();
                if (value instanceof Integer n) {
                    // credited to this scope and to every scope it runs inside
                    active.forEach(scope -> scope.result.add(n));
                }
                return value;
            } finally {
                long took = System.nanoTime() - start;
                active.pop();
                calls.increment();
                nanos.add(took);
                maxNanos.accumulate(took);
            }
        }

        Snapshot snapshot() {
            return new Snapshot(calls.sum(), nanos.sum(), statements.sum(), result.sum());
        }

        record Snapshot(long calls, long nanos, long statements, long result) {
            Snapshot minus(Snapshot earlier) {
                return new Snapshot(
                        calls - earlier.calls,
                        nanos - earlier.nanos,
                        statements - earlier.statements,
                        result - earlier.result);
            }
        }
    }

    static java.util.Map<String, Long> transactionsByOrigin() {
        java.util.Map<String, Long> copy = new java.util.HashMap<>();
        TRANSACTIONS_BY_ORIGIN.forEach((origin, n) -> copy.put(origin, n.sum()));
        return copy;
    }

    private static void countTransaction() {
        TRANSACTIONS_BY_ORIGIN.computeIfAbsent(origin(), key -> new LongAdder()).increment();
    }

    private static String origin() {
        return WALKER.walk(frames -> {
            String application = null;
            String command = null;
            for (StackWalker.StackFrame frame : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                String type = frame.getClassName();
                if (application == null && type.startsWith("dev.facteur.") && !type.startsWith("dev.facteur.bench.")) {
                    application = type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethodName();
                }
                if (command == null && type.startsWith("org.camunda.bpm.engine.impl.cmd.")) {
                    command = type.substring(type.lastIndexOf('.') + 1);
                }
            }
            String where = application != null
                    ? application
                    : "[" + Thread.currentThread().getName().replaceAll("[0-9]+", "#") + "]";
            return command == null ? where : where + " / " + command;
        });
    }

    static java.util.Map<String, Long> bySql() {
        java.util.Map<String, Long> copy = new java.util.HashMap<>();
        BY_SQL.forEach((sql, n) -> copy.put(sql, n.sum()));
        return copy;
    }

    private static void countStatement(boolean autoCommit, String sql) {
        if (IGNORED.get()) {
            return;
        }
        STATEMENTS.increment();
        BY_SQL.computeIfAbsent(sql == null ? "?" : sql, key -> new LongAdder()).increment();
        if (autoCommit) {
            AUTOCOMMIT_STATEMENTS.increment();
            countTransaction();
        }
        for (Scope scope : ACTIVE.get()) {
            scope.statements.increment();
        }
    }

    /** The application's DataSource, every connection it hands out counted. */
    static final class CountingDataSource extends DelegatingDataSource implements AutoCloseable {

        CountingDataSource(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return wrap(obtainTargetDataSource().getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return wrap(obtainTargetDataSource().getConnection(username, password));
        }

        @Override
        public void close() throws Exception {
            if (obtainTargetDataSource() instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }

        private static Connection wrap(Connection connection) throws SQLException {
            return (Connection) Proxy.newProxyInstance(
                    JdbcCounter.class.getClassLoader(),
                    new Class<?>[] {Connection.class},
                    new ConnectionHandler(connection));
        }
    }

    private static final class ConnectionHandler implements InvocationHandler {
        private final Connection target;
        private boolean autoCommit;
        /** A statement ran since the last commit or rollback: one that ends nothing is not sent to the server. */
        private boolean open;

        ConnectionHandler(Connection target) throws SQLException {
            this.target = target;
            this.autoCommit = target.getAutoCommit();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            Object result = invokeTarget(target, method, args);
            switch (name) {
                case "setAutoCommit" -> autoCommit = (Boolean) args[0];
                case "commit" -> {
                    if (!IGNORED.get() && open) {
                        COMMITS.increment();
                        countTransaction();
                    }
                    open = false;
                }
                case "rollback" -> {
                    if (args == null || args.length == 0) {
                        if (!IGNORED.get() && open) {
                            ROLLBACKS.increment();
                            countTransaction();
                        }
                        open = false;
                    }
                }
                case "createStatement", "prepareStatement", "prepareCall" -> {
                    Class<?> type = result instanceof CallableStatement
                            ? CallableStatement.class
                            : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                    String sql =
                            args != null && args.length > 0 && args[0] instanceof String text ? normalise(text) : null;
                    return Proxy.newProxyInstance(
                            JdbcCounter.class.getClassLoader(),
                            new Class<?>[] {type},
                            new StatementHandler((Statement) result, this, sql));
                }
                default -> {}
            }
            return result;
        }
    }

    private static final class StatementHandler implements InvocationHandler {
        private final Statement target;
        private final ConnectionHandler connection;
        private final String sql;

        StatementHandler(Statement target, ConnectionHandler connection, String sql) {
            this.target = target;
            this.connection = connection;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("addBatch")) {
                if (!IGNORED.get()) {
                    BATCHED.increment();
                }
            } else if (name.startsWith("execute")) {
                String text = sql != null
                        ? sql
                        : args != null && args.length > 0 && args[0] instanceof String given ? normalise(given) : null;
                connection.open |= !connection.autoCommit;
                countStatement(connection.autoCommit, text);
            }
            return invokeTarget(target, method, args);
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, String> NORMALISED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static String normalise(String sql) {
        return NORMALISED.computeIfAbsent(sql, JdbcCounter::collapse);
    }

    private static String collapse(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 157) + "...";
    }

    private static Object invokeTarget(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
