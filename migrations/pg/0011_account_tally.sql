-- engage: the server's twin of SQLite's migrations/account_tally.sql (same number). Appended, never
-- edited.
--
-- Every account as `engage close statement` adds it up, one row per partner engaged on a request,
-- for the compensation and participation reports; derived like `request_tally` and kept current
-- with it by the write path. An upgraded database works the derived tables out again.

CREATE TABLE account_tally (
    request_id       BIGINT NOT NULL,
    partner_id       BIGINT NOT NULL,
    decided_on       TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    name             TEXT NOT NULL,
    affects_benefits BIGINT NOT NULL,
    forgotten        BIGINT NOT NULL,
    hours            BIGINT NOT NULL,
    expenses_cents   BIGINT NOT NULL,
    method           TEXT,
    declined         BIGINT NOT NULL,
    paid_on          TEXT,
    paid_cents       BIGINT,
    reimbursed_on    TEXT,
    reimbursed_cents BIGINT,
    PRIMARY KEY (request_id, partner_id)
);
