-- engage: the server's migration 10, SQLite's migrations/partner_search.sql. Appended, never edited.
--
-- SQLite keeps a full-text index (FTS5, trigram) for `recruit list --search`. The server has no
-- such index to keep: it reads every partner in the status and checks each one, as SQLite does
-- for a text shorter than three characters. (pg_trgm's GIN index would make that an index lookup,
-- but it is an extension a database's owner may not be allowed to create.) The schema is
-- unchanged; the version moves to 10 with SQLite's.

SELECT 1;
