-- engage: a schema migration (see src/db/migrate.rs for its number). Appended, never edited.
--
-- The partner search index of migrations/partner_search.sql made again, lighter to write (issue
-- 16): the same columns, trigrams, external content and secure-delete, but
--
-- - no table of each entry's column sizes (columnsize = 0). They serve only the ranking of
--   matches by relevance, which `recruit list --search` does not do (it lists by id), and writing
--   them was a fifth of the index's time;
-- - the index's segments merged twelve at a time rather than four (automerge = 12), so that an
--   import growing the index rewrites the same entries fewer times. A search reads a few more
--   segments; on a million partners it stays under a millisecond in SQLite.
--
-- Measured on the million partners of `examples/bench_import` (sqlite3, the index made in one
-- statement, 2 cores, user time): 17.0-17.4 s as migration 10 made it, 11.8-13.9 s so.
-- The upgrade makes the index again from the partner table (12 s on a million).

DROP TABLE partner_search;

CREATE VIRTUAL TABLE partner_search USING fts5(
    first_name, last_name, preferred_name, email, region, topics, languages, lived_experience,
    accessibility_needs, notes,
    content = 'partner', content_rowid = 'id', tokenize = 'trigram', detail = 'none', columnsize = 0
);

INSERT INTO partner_search (partner_search, rank) VALUES ('secure-delete', 1);
INSERT INTO partner_search (partner_search, rank) VALUES ('hashsize', 16777216);
INSERT INTO partner_search (partner_search, rank) VALUES ('automerge', 12);

-- The partners already in the file.
INSERT INTO partner_search (partner_search) VALUES ('rebuild');
