package dev.facteur.model.store;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Rows of one insert that a transaction collects and sends together, as one JDBC batch just before it commits: one
 * round trip for all the rows a transaction adds, in the order it added them, instead of one each. Rolled back, they
 * are never sent; sending them fails the commit, so the transaction rolls back whole. Outside a transaction
 * (auto-commit) a row is sent at once. A transaction that reads the table first sends what it added ({@link
 * #sendPending()}). The rows wait on the transaction's own synchronization, so a transaction started inside another
 * (suspending it) collects its own.
 */
public final class DeferredInserts {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredInserts.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final String insert;

    public DeferredInserts(NamedParameterJdbcTemplate jdbc, String insert) {
        this.jdbc = jdbc;
        this.insert = insert;
    }

    public void add(List<MapSqlParameterSource> rows) {
        Pending pending = inTransaction() ? pending(true) : null;
        if (pending == null || pending.sent) {
            send(rows); // auto-commit, or added while the transaction commits (by another synchronization)
        } else {
            pending.rows.addAll(rows);
        }
    }

    /** Sends the rows the current transaction added so far: it is about to read them. */
    public void sendPending() {
        Pending pending = inTransaction() ? pending(false) : null;
        if (pending != null) {
            pending.send();
        }
    }

    private static boolean inTransaction() {
        return TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.isActualTransactionActive();
    }

    private Pending pending(boolean create) {
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof Pending pending && pending.owner() == this) {
                return pending;
            }
        }
        if (!create) {
            return null;
        }
        Pending pending = new Pending();
        TransactionSynchronizationManager.registerSynchronization(pending);
        return pending;
    }

    private void send(List<MapSqlParameterSource> rows) {
        if (rows.size() == 1) {
            jdbc.update(insert, rows.get(0));
        } else if (!rows.isEmpty()) {
            jdbc.batchUpdate(insert, rows.toArray(MapSqlParameterSource[]::new));
        }
    }

    private final class Pending implements TransactionSynchronization {

        private final List<MapSqlParameterSource> rows = new ArrayList<>();
        private boolean sent;

        DeferredInserts owner() {
            return DeferredInserts.this;
        }

        void send() {
            List<MapSqlParameterSource> batch = List.copyOf(rows);
            rows.clear();
            DeferredInserts.this.send(batch);
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            send();
            sent = true;
        }

        @Override
        public void afterCompletion(int status) {
            if (status == STATUS_COMMITTED && !rows.isEmpty()) {
                // only rows first added by a synchronization that ran while the transaction committed (after the
                // commit had asked every synchronization registered before it): none of Facteur's does
                LOG.error(
                        "{} rows of {} were added while their transaction committed and are not written",
                        rows.size(),
                        insert);
            }
        }
    }
}
