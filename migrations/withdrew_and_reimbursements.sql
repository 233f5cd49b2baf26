-- engage: a schema migration (see src/db/migrate.rs for its number). Appended, never edited.
--
-- Money across redecisions (issue 11):
--   decision.outcome gains 'withdrew': a selected partner who left part-way, paid for the hours
--     logged and told as such;
--   decision.engaged is 1 while the partner has an account on the request: selected, withdrew,
--     or decided otherwise after hours, expenses or money were logged for them, so money paid
--     never leaves a statement or a report whatever a later decision says;
--   reimbursement holds one row per reimbursement: a partner may be reimbursed more than once in
--     an engagement (what was logged since the last one is owed); compensation keeps the payment.
--
-- SQLite changes a CHECK by rebuilding the table; src/db/migrate.rs runs migrations with foreign
-- keys off and checks them all before committing, as SQLite's "twelve steps" ask.

CREATE TABLE decision_new (
    request_id    INTEGER NOT NULL,
    partner_id    INTEGER NOT NULL,
    outcome       TEXT NOT NULL
        CHECK (outcome = 'selected' OR outcome = 'waitlisted' OR outcome = 'not_selected' OR outcome = 'withdrew'),
    reason        TEXT,
    decided_on    TEXT NOT NULL,
    notified_on   TEXT,
    welcomed_on   TEXT,
    oriented_on   TEXT,
    introduced_on TEXT,
    engaged       INTEGER NOT NULL DEFAULT 0 CHECK (engaged = 0 OR engaged = 1),
    PRIMARY KEY (request_id, partner_id),
    FOREIGN KEY (request_id, partner_id) REFERENCES invitation (request_id, partner_id)
) STRICT, WITHOUT ROWID;

-- A partner de-selected after being paid (what issue 11 found) has their account back.
INSERT INTO decision_new (request_id, partner_id, outcome, reason, decided_on, notified_on, welcomed_on,
                          oriented_on, introduced_on, engaged)
SELECT d.request_id, d.partner_id, d.outcome, d.reason, d.decided_on, d.notified_on, d.welcomed_on,
       d.oriented_on, d.introduced_on,
       CASE WHEN d.outcome = 'selected'
              OR EXISTS (SELECT 1 FROM checkin c WHERE c.request_id = d.request_id AND c.partner_id = d.partner_id
                         AND (c.hours > 0 OR c.expenses_cents > 0))
              OR EXISTS (SELECT 1 FROM compensation k WHERE k.request_id = d.request_id AND k.partner_id = d.partner_id
                         AND (k.paid_on IS NOT NULL OR k.reimbursed_on IS NOT NULL))
            THEN 1 ELSE 0 END
FROM decision d;

DROP TABLE decision;
ALTER TABLE decision_new RENAME TO decision;
CREATE INDEX decision_by_partner ON decision (partner_id, outcome);
-- The accounts statements, reminders and reports add up, read from the index alone.
CREATE INDEX decision_engaged ON decision (request_id, partner_id) WHERE engaged = 1;

CREATE TABLE reimbursement (
    id            INTEGER PRIMARY KEY,
    request_id    INTEGER NOT NULL,
    partner_id    INTEGER NOT NULL,
    reimbursed_on TEXT NOT NULL,
    cents         INTEGER NOT NULL CHECK (cents > 0),
    FOREIGN KEY (request_id, partner_id) REFERENCES decision (request_id, partner_id)
) STRICT;

CREATE INDEX reimbursement_by_account ON reimbursement (request_id, partner_id, reimbursed_on, cents);

INSERT INTO reimbursement (request_id, partner_id, reimbursed_on, cents)
SELECT request_id, partner_id, reimbursed_on, reimbursed_cents FROM compensation
WHERE reimbursed_on IS NOT NULL AND reimbursed_cents > 0;

-- A row that only held a reimbursement says nothing about the payment.
DELETE FROM compensation WHERE method IS NULL AND declined = 0 AND paid_on IS NULL;
ALTER TABLE compensation DROP COLUMN reimbursed_on;
ALTER TABLE compensation DROP COLUMN reimbursed_cents;
