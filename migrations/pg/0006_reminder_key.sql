-- engage: the server's migration 6, SQLite's migrations/reminder_key.sql. Appended, never edited.
--
-- The reminders' key and typed detail: one reminder per request, kind and whom it is about (the
-- partner, the party of a check-in, the check-in of a concern), the party a column of its own,
-- and the detail JSON of the type src/domain/reminder defines. The table is derived: an upgrade
-- works every reminder out again.

DROP TABLE reminder;

CREATE TABLE reminder (
    kind         TEXT NOT NULL
        CHECK (kind = 'request_awaiting_review' OR kind = 'recruitment_short' OR kind = 'selection_due'
            OR kind = 'notify_due' OR kind = 'onboarding_due' OR kind = 'commitments_missing'
            OR kind = 'checkin_due' OR kind = 'concern_open' OR kind = 'close_due' OR kind = 'payment_due'
            OR kind = 'reimbursement_due'),
    request_id   BIGINT NOT NULL,
    partner_id   BIGINT,
    checkin_id   BIGINT,
    party        TEXT CHECK (party = 'partner' OR party = 'requester' OR party = 'team'),
    shown_from   TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    title        TEXT NOT NULL,
    name         TEXT,
    count        BIGINT,
    total        BIGINT,
    amount_cents BIGINT,
    since        TEXT,
    detail       TEXT
);

CREATE UNIQUE INDEX reminder_key
    ON reminder (request_id, kind, coalesce(partner_id, 0), coalesce(checkin_id, 0), coalesce(party, ''));
CREATE INDEX reminder_by_day ON reminder (shown_from);
