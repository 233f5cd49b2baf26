-- engage: the server's twin of SQLite's migrations/checkin_cadence_given.sql (the lead numbers
-- it). Appended, never edited.
--
-- Whether a request's check-in cadence was given for it (`--checkin-every`) or taken from the
-- setting; the requests recorded before keep the check-ins they had.

ALTER TABLE request ADD COLUMN checkin_every_given BIGINT NOT NULL DEFAULT 1
    CHECK (checkin_every_given = 0 OR checkin_every_given = 1);
