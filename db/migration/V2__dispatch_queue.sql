-- Dispatch with limits: a task becomes QUEUED when its last dependency is done (remaining_deps
-- reaches 0) and RUNNING when the dispatcher gives it a slot. Counting in the database, not in a
-- JVM, keeps the limits true across engine replicas.
ALTER TABLE tasks ADD COLUMN remaining_deps integer NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN queued_at timestamptz;
ALTER TABLE tasks ADD COLUMN dispatched_at timestamptz;
CREATE INDEX tasks_queued_idx ON tasks (queued_at) WHERE state = 'QUEUED';
CREATE INDEX tasks_running_idx ON tasks (idea_id) WHERE state = 'RUNNING';
CREATE INDEX task_dependencies_depends_on_idx ON task_dependencies (depends_on_task_id);

-- paused ideas keep their queue but get no slot
ALTER TABLE ideas ADD COLUMN paused boolean NOT NULL DEFAULT false;
-- the accepted plan as the planning stage produced it (milestones, criteria, risks)
ALTER TABLE ideas ADD COLUMN plan jsonb;
