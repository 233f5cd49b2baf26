-- engage: the server's twin of SQLite's migrations/report_figures.sql (same number). Appended,
-- never edited.
--
-- Each request's domain and level kept in its tally row, for `report summary`; what was paid and
-- reimbursed by the day, from indexes that hold the amount. The decision's partial index holds
-- `engaged` too, as SQLite's does, so that both files have the same columns. SQLite's
-- `partner_card` (the partners' names, status, region and community type in id order, for
-- `report participation`) has no twin here: a server's B-tree refuses an entry past about 2,700
-- bytes, which a partner's names with their region may pass, and the server reads the rows by
-- their key.

ALTER TABLE request_tally ADD COLUMN domain TEXT;
ALTER TABLE request_tally ADD COLUMN level TEXT;

DROP INDEX decision_engaged;
CREATE INDEX decision_engaged ON decision (request_id, partner_id, engaged) WHERE engaged = 1;

CREATE INDEX compensation_by_day ON compensation (paid_on, paid_cents) WHERE paid_on IS NOT NULL;
CREATE INDEX reimbursement_by_day ON reimbursement (reimbursed_on, cents);
