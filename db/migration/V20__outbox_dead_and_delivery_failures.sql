-- An outbox row that failed facteur.outbox.max-attempts times is dead: no longer tried, listed by
-- GET /api/outbox?state=dead and counted by the facteur.outbox.dead metric.
ALTER TABLE outbox ADD COLUMN dead_at timestamptz;
DROP INDEX outbox_pending_idx;
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_dead_idx ON outbox (dead_at) WHERE dead_at IS NOT NULL;

-- How many times in a row the engine refused a run's result (not an outage): at
-- facteur.workers.max-delivery-failures the external task becomes an incident naming the error.
ALTER TABLE runs ADD COLUMN delivery_failures integer NOT NULL DEFAULT 0;
