-- The screening register follows the systems' change feeds (screening/changeFeed.ts): a change in any
-- system reaches the register within a minute, the full rebuild stays as the nightly fallback and for a
-- feed with a gap. Additive only: a replica of the previous version reads nothing of it.

-- Per system, the position in its change feed up to which the register holds every change: written in
-- the same transaction as the register rows those events changed, so a crash never skips one. `stream`
-- names the feed the position belongs to (a system that restarts starts a new one: a different stream
-- is a gap, like a position older than the feed's window, and the register is rebuilt).
CREATE TABLE screening_feed_positions (
  system     text        PRIMARY KEY CONSTRAINT screening_feed_positions_system_known
                           CHECK (system IN ('school', 'guidance', 'jobcenter', 'social', 'benefits')),
  stream     text        NOT NULL CONSTRAINT screening_feed_positions_stream_length CHECK (length(stream) BETWEEN 1 AND 200),
  sequence   bigint      NOT NULL CONSTRAINT screening_feed_positions_sequence_non_negative CHECK (sequence >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
