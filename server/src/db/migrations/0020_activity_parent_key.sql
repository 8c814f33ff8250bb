-- A visit's confirmation task names its visit (parent_activity_id). The foreign key behind it checked each new row
-- with a plan PostgreSQL keeps per session, made when collection_activities had no statistics yet: an
-- organization's first dunning run then checked each of 10,400 visit confirmations by scanning every activity the
-- run had written so far (measured on the benchmark: the activities' INSERT took 14.8 s instead of 0.9 s, the run
-- 31.8 s instead of 17.3 s). The key goes, as 0017 did for the ladder's invoice links: a parent is only ever set by
-- the server to a visit it inserted or read in the same transaction (casework/activities.ts, ladder-tasks.ts), and
-- activities are never deleted (huikuan_app has no DELETE on them).
ALTER TABLE collection_activities DROP CONSTRAINT collection_activities_tenant_id_parent_activity_id_fkey;
