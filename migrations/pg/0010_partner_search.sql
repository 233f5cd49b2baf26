-- engage: the server's migration 7, SQLite's migrations/partner_search.sql. Appended, never edited.
--
-- SQLite keeps a full-text index (FTS5, trigram) for `recruit list --search`. The server has no
-- such index to keep: it searches with ILIKE over the same columns (src/db/sql/dialect.rs), which
-- needs no extension. (pg_trgm's GIN index would make that an index lookup, but it is an
-- extension a database's owner may not be allowed to create.) The schema is unchanged; the
-- version moves to 7 with SQLite's.

SELECT 1;
