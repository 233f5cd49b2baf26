-- engage: a schema migration (see src/db/migrate.rs for its number). Appended, never edited.
--
-- The partners an invitation can go to (rule 7: active, consented to be contacted, with an
-- e-mail), by region, topics and community type (issue 16). `recruit invite` and `message
-- invitation` read the regions from it one seek each, then only the entries of the regions that
-- match, deciding the topics once for each distinct list, and then read the contact details of only the
-- partners that matched: before it they read the whole row of every active partner (1.3 s at a
-- million, where the index answers in a tenth of that).

-- The id comes second so that a new partner's entry goes at the end of their region's, where the
-- import's inserts find the page already in the cache: keyed on the topics after the region, the
-- entries landed all over the index and doubled the plain insert loop's time (about 1 s more for
-- 200,000 sign-ups, where this order adds 0.2 to 0.3 s).
CREATE INDEX partner_reachable ON partner (region, id, topics, community)
    WHERE status = 'active' AND consent = 1 AND email IS NOT NULL;
