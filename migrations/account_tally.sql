-- engage: a schema migration (see src/db/migrate.rs for its number). Appended, never edited.
--
-- Every account as `engage close statement` adds it up (issue 16): one row per partner engaged on
-- a request (selected, withdrew, or decided otherwise after hours or money were logged for them),
-- with the day they were decided on, their name and benefits flag as the statement shows them,
-- their hours and expenses from their check-ins, what was paid, and what every reimbursement came
-- to. Derived like `request_tally` and kept current with it by the write path
-- (src/db/derived/), so that the compensation and participation reports read one short row per
-- engagement instead of adding up every check-in (2,000,000 at a million partners) and reading
-- every engaged partner's row. The upgrade that makes it works the derived tables out again, which
-- fills it. `engage db check` compares it with a fresh computation and `--repair` starts it over.

CREATE TABLE account_tally (
    request_id       INTEGER NOT NULL,
    partner_id       INTEGER NOT NULL,
    decided_on       TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    name             TEXT NOT NULL,
    affects_benefits INTEGER NOT NULL,
    forgotten        INTEGER NOT NULL,
    hours            INTEGER NOT NULL,
    expenses_cents   INTEGER NOT NULL,
    method           TEXT,
    declined         INTEGER NOT NULL,
    paid_on          TEXT,
    paid_cents       INTEGER,
    reimbursed_on    TEXT,
    reimbursed_cents INTEGER,
    PRIMARY KEY (request_id, partner_id)
) STRICT, WITHOUT ROWID;
