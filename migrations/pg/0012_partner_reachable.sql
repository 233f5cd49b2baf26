-- engage: the server's twin of SQLite's migrations/partner_reachable.sql (same number). Appended,
-- never edited.
--
-- The partners an invitation can go to (rule 7: active, consented to be contacted, with an
-- e-mail), by region, for `recruit invite` and `message invitation`. SQLite's index holds the
-- topics and community type too; a server's B-tree refuses an entry past about 2,700 bytes, and a
-- partner's topics may be longer, so here the matching region's rows are read for them.

CREATE INDEX partner_reachable ON partner (region)
    WHERE status = 'active' AND consent = 1 AND email IS NOT NULL;
