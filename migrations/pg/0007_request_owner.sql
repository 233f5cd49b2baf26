-- engage: the server's migration 7, SQLite's migrations/request_owner.sql. Appended, never edited.
--
-- Each request's owner: the coordinator responsible for it. A request recorded before owners
-- existed is owned by whoever recorded it, as the event log names them.

ALTER TABLE request ADD COLUMN owner TEXT NOT NULL DEFAULT '';

UPDATE request SET owner = coalesce(
    (SELECT e.actor FROM event e WHERE e.request_id = request.id ORDER BY e.id LIMIT 1), '');
