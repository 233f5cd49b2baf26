-- engage: the server's migration 14, SQLite's migrations/search_index_lighter.sql. Appended,
-- never edited.
--
-- SQLite makes its full-text search index again, lighter to write. The server has no such index
-- (see 0010_partner_search.sql): the schema is unchanged; the version moves to 14 with SQLite's.

SELECT 1;
