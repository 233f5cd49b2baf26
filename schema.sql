-- engage: the database schema, migration 1 (PRAGMA user_version = 1).
--
-- Conventions, the same in every table:
--   dates       TEXT 'YYYY-MM-DD'
--   timestamps  TEXT 'YYYY-MM-DDTHH:MM:SS' (local time of the coordinator's machine)
--   money       INTEGER cents, never a float
--   hours       INTEGER hundredths of an hour (1.5 hours = 150), so hours x rate is exact
--   lists       TEXT holding a JSON array of strings
--   yes/no      INTEGER 0 or 1
-- Later migrations are appended as new numbered steps in src/db/migrate.rs; this file is not edited
-- once a release has shipped.

-- Settings shared by every user of the file: rates per way of engaging, cadences, thresholds.
-- Defaults are written on creation (see src/domain/settings.rs), so a newer engage with other
-- defaults never changes what an existing network agreed to pay.
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- A health care partner's engagement request.
CREATE TABLE request (
    id                    INTEGER PRIMARY KEY,
    title                 TEXT NOT NULL,
    description           TEXT,
    organization          TEXT NOT NULL,
    contact_name          TEXT NOT NULL,
    contact_email         TEXT NOT NULL,
    contact_phone         TEXT,
    way                   TEXT NOT NULL
        CHECK (way IN ('inform', 'consult', 'involve', 'collaborate', 'lead')),
    domain                TEXT CHECK (domain IN ('care', 'program', 'policy')),
    level                 TEXT CHECK (level IN ('direct', 'organizational', 'system')),
    topics                TEXT NOT NULL DEFAULT '[]',
    region                TEXT,
    community             TEXT CHECK (community IN ('urban', 'rural', 'remote')),
    format                TEXT CHECK (format IN ('in_person', 'virtual', 'hybrid')),
    location              TEXT,
    starts_on             TEXT,
    ends_on               TEXT,
    respond_by            TEXT NOT NULL,
    select_by             TEXT NOT NULL,
    hours_estimate        INTEGER CHECK (hours_estimate >= 0),
    seats                 INTEGER NOT NULL CHECK (seats >= 1),
    -- 'way': the way's hourly rate when the request was made; 'rate': an hourly rate given for
    -- this request; 'honorarium': a fixed amount per partner.
    pay_basis             TEXT NOT NULL CHECK (pay_basis IN ('way', 'rate', 'honorarium')),
    pay_cents             INTEGER NOT NULL CHECK (pay_cents >= 0),
    expenses_reimbursed   INTEGER NOT NULL DEFAULT 1,
    record_check_required INTEGER NOT NULL DEFAULT 0,
    supports              TEXT,
    checkin_every_days    INTEGER NOT NULL CHECK (checkin_every_days >= 1),
    status                TEXT NOT NULL DEFAULT 'submitted'
        CHECK (status IN ('submitted', 'recruiting', 'selecting', 'active', 'closed', 'cancelled')),
    status_reason         TEXT,
    created_on            TEXT NOT NULL,
    -- Closing the loop.
    outcomes              TEXT,
    loop_closed_on        TEXT,
    thanked_on            TEXT,
    partner_survey_on     TEXT,
    requester_survey_on   TEXT,
    closed_on             TEXT
) STRICT;

CREATE INDEX request_by_status ON request (status);

-- The selection criteria of a request, scored 0..3 per candidate; weight multiplies the score and
-- a required criterion scored 0 excludes the candidate.
CREATE TABLE criterion (
    request_id INTEGER NOT NULL REFERENCES request (id),
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    weight     INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 10),
    required   INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    PRIMARY KEY (request_id, name)
) STRICT, WITHOUT ROWID;

-- The append-only event log: who did what, when. Details name ids and fields, never a partner's
-- personal data, so that forgetting a partner leaves nothing identifying here.
CREATE TABLE event (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    request_id INTEGER REFERENCES request (id),
    partner_id INTEGER,
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX event_by_request ON event (request_id, id) WHERE request_id IS NOT NULL;
CREATE INDEX event_by_partner ON event (partner_id, id) WHERE partner_id IS NOT NULL;

CREATE TRIGGER event_is_append_only_update BEFORE UPDATE ON event
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;

CREATE TRIGGER event_is_append_only_delete BEFORE DELETE ON event
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
