-- engage: a schema migration (see src/db/migrate.rs for its number). Appended, never edited.
--
-- What the reports read, each from what is kept or from an index that answers alone (issue 16):
--
-- * each request's domain and level (Health Quality Ontario's, rule 12) kept in its tally row
--   beside its region and community type, so that the summary reads one short row per request
--   and not the request table as well (100,000 requests); the upgrade works the derived tables
--   out again, which fills them;
-- * the partners with an account on a request, from an index that holds `engaged` too, so that
--   the index alone answers (without it SQLite read the decision's row for each of them);
-- * what was paid and reimbursed on each day, from an index by the day with the amount, added up
--   by the day in the database (a few thousand days instead of every payment);
-- * what `report participation` names each partner by (status, name, region, community type),
--   in an index of its own in id order: the report reads the hundreds of thousands of partners
--   it lists from it, some 50 bytes each, instead of their whole rows (400 bytes and more). It
--   is SQLite's own: a forgotten partner's names leave it as they leave the row. The server has
--   no twin of it (it reads the rows by their key; see migrations/pg/0013_report_figures.sql).

ALTER TABLE request_tally ADD COLUMN domain TEXT;
ALTER TABLE request_tally ADD COLUMN level TEXT;

DROP INDEX decision_engaged;
CREATE INDEX decision_engaged ON decision (request_id, partner_id, engaged) WHERE engaged = 1;

CREATE INDEX compensation_by_day ON compensation (paid_on, paid_cents) WHERE paid_on IS NOT NULL;
CREATE INDEX reimbursement_by_day ON reimbursement (reimbursed_on, cents);

CREATE INDEX partner_card ON partner (id, status, first_name, last_name, preferred_name, region, community);
