-- engage: a schema migration (see src/db/migrate.rs for its number). Appended, never edited.
--
-- Whether a request's check-in cadence was given for it (`--checkin-every`) or taken from the
-- `checkin_every_days` setting: a one-off consult (a single day, or fewer hours than one
-- cadence's worth) has no check-ins unless a cadence was given (SPEC §10, src/domain/shape.rs).
-- The requests recorded before keep the check-ins they had: for them the cadence counts as given.

ALTER TABLE request ADD COLUMN checkin_every_given INTEGER NOT NULL DEFAULT 1
    CHECK (checkin_every_given = 0 OR checkin_every_given = 1);
