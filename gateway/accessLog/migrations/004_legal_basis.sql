-- Consent and legal basis (issue 14, docs/access.md "Legal basis"): every granted read records, per data
-- category it released, the basis it was shared on (OWN_UNIT, YOUTH_EFFORT, CONSENT, SUBJECT_ACCESS,
-- MUNICIPAL_EXTENSION), as platform/access/legalBasis.ts decides it from the caller's verified
-- organisation and role and the young person's age and consent as the answer itself carried them (never
-- from anything the caller states). An object {category: basis}; null for refusals and older entries.
ALTER TABLE access_log
  ADD COLUMN legal_bases jsonb CONSTRAINT access_log_legal_bases_object CHECK (legal_bases IS NULL OR jsonb_typeof(legal_bases) = 'object');
