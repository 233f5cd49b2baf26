-- engage: a schema migration (see src/db/migrate.rs for its number). Appended, never edited.
--
-- Each request's owner: the coordinator responsible for it (a team on one network). A request
-- recorded before owners existed is owned by whoever recorded it, as the event log names them.

ALTER TABLE request ADD COLUMN owner TEXT NOT NULL DEFAULT '';

UPDATE request SET owner = coalesce(
    (SELECT e.actor FROM event e WHERE e.request_id = request.id ORDER BY e.id LIMIT 1), '');
