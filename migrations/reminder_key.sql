-- engage: a schema migration (see src/db/migrate.rs for its number). Appended, never edited.
--
-- The reminders' key and typed detail (issue 12):
--   a reminder is one per request, kind and whom it is about: the partner, the party of a
--     check-in (requester, team) or the check-in of a concern; `reminder_key` says so, so a
--     reminder can no longer be kept twice;
--   `party` is the party of a check-in or concern reminder, a column of its own;
--   `detail` is JSON of the reminder's detail as src/domain/reminder defines it (the onboarding
--     steps open, what is missing of the commitments, a first check-in, a concern's kind and
--     seriousness, how a payment stands), not a comma-separated list of words.
-- The table is derived: the upgrade works every reminder out again (src/db/migrate.rs). The
-- derived tables, `partner_count` with them, are kept by the write path: every write notes what
-- it touched and the transaction brings them up to date before it commits (src/db/derived).

DROP TABLE reminder;

CREATE TABLE reminder (
    kind         TEXT NOT NULL
        CHECK (kind = 'request_awaiting_review' OR kind = 'recruitment_short' OR kind = 'selection_due'
            OR kind = 'notify_due' OR kind = 'onboarding_due' OR kind = 'commitments_missing'
            OR kind = 'checkin_due' OR kind = 'concern_open' OR kind = 'close_due' OR kind = 'payment_due'
            OR kind = 'reimbursement_due'),
    request_id   INTEGER NOT NULL,
    partner_id   INTEGER,
    checkin_id   INTEGER,
    party        TEXT CHECK (party = 'partner' OR party = 'requester' OR party = 'team'),
    shown_from   TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    title        TEXT NOT NULL,
    name         TEXT,
    count        INTEGER,
    total        INTEGER,
    amount_cents INTEGER,
    since        TEXT,
    detail       TEXT
) STRICT;

CREATE UNIQUE INDEX reminder_key
    ON reminder (request_id, kind, coalesce(partner_id, 0), coalesce(checkin_id, 0), coalesce(party, ''));
CREATE INDEX reminder_by_day ON reminder (shown_from);
