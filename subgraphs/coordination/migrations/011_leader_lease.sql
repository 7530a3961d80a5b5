-- The coordination scales out (issue 12): two or more replicas serve queries, and exactly one of them,
-- the leader, runs the jobs (the screening schedule, the assignment review's and the measure snapshot's
-- ticks, the change feeds). Additive only: a replica of the previous version reads nothing of it.

-- One row per lease (`coordination-jobs`): who holds it and until when, by the database's clock (never
-- a replica's). A replica renews its own lease every third of its length; another takes it over only
-- once `lease_until` has passed (its holder died or hung) or the holder released it (lease_until set to
-- now() on an orderly shutdown). `epoch` rises by one at every change of holder: the fencing token a
-- deposed leader's late write is checked against (store/leaderLease.ts).
CREATE TABLE leader_leases (
  name        text        PRIMARY KEY CONSTRAINT leader_leases_name_length CHECK (length(name) BETWEEN 1 AND 100),
  holder      text        NOT NULL CONSTRAINT leader_leases_holder_length CHECK (length(holder) BETWEEN 1 AND 200),
  epoch       integer     NOT NULL CONSTRAINT leader_leases_epoch_positive CHECK (epoch >= 1),
  acquired_at timestamptz NOT NULL DEFAULT now(),
  renewed_at  timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz NOT NULL
);
