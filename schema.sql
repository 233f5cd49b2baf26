-- engage: the database schema, migration 1 (PRAGMA user_version = 1).
--
-- Conventions, the same in every table:
--   dates       TEXT 'YYYY-MM-DD'
--   timestamps  TEXT 'YYYY-MM-DDTHH:MM:SS' (local time of the coordinator's machine)
--   money       INTEGER cents, never a float
--   hours       INTEGER hundredths of an hour (1.5 hours = 150), so hours x rate is exact
--   lists       TEXT holding a JSON array of strings
--   yes/no      INTEGER 0 or 1
--   CHECKs list allowed words as `x = 'a' OR x = 'b'`, not `x IN ('a', 'b', 'c')`: SQLite builds a
--   temporary b-tree for an IN list of three or more values on every row it checks, which made the
--   sign-up import several times slower.
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
        CHECK (way = 'inform' OR way = 'consult' OR way = 'involve' OR way = 'collaborate' OR way = 'lead'),
    domain                TEXT CHECK (domain = 'care' OR domain = 'program' OR domain = 'policy'),
    level                 TEXT CHECK (level = 'direct' OR level = 'organizational' OR level = 'system'),
    topics                TEXT NOT NULL DEFAULT '[]',
    region                TEXT,
    community             TEXT CHECK (community = 'urban' OR community = 'rural' OR community = 'remote'),
    format                TEXT CHECK (format = 'in_person' OR format = 'virtual' OR format = 'hybrid'),
    location              TEXT,
    starts_on             TEXT,
    ends_on               TEXT,
    respond_by            TEXT NOT NULL,
    select_by             TEXT NOT NULL,
    hours_estimate        INTEGER CHECK (hours_estimate >= 0),
    seats                 INTEGER NOT NULL CHECK (seats >= 1),
    -- 'way': the way's hourly rate when the request was made; 'rate': an hourly rate given for
    -- this request; 'honorarium': a fixed amount per partner.
    pay_basis             TEXT NOT NULL CHECK (pay_basis = 'way' OR pay_basis = 'rate' OR pay_basis = 'honorarium'),
    pay_cents             INTEGER NOT NULL CHECK (pay_cents >= 0),
    expenses_reimbursed   INTEGER NOT NULL DEFAULT 1,
    record_check_required INTEGER NOT NULL DEFAULT 0,
    supports              TEXT,
    checkin_every_days    INTEGER NOT NULL CHECK (checkin_every_days >= 1),
    status                TEXT NOT NULL DEFAULT 'submitted'
        CHECK (status = 'submitted' OR status = 'recruiting' OR status = 'selecting' OR status = 'active' OR status = 'closed' OR status = 'cancelled'),
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
    required   INTEGER NOT NULL DEFAULT 0 CHECK (required = 0 OR required = 1),
    PRIMARY KEY (request_id, name)
) STRICT, WITHOUT ROWID;

-- A member of the network. E-mail is normalized (trimmed, lower-cased) and may be shared by a family:
-- identity is e-mail plus first name, kept by the import (src/csvio/import.rs), not by an index.
-- Forgetting a partner erases every identifying column and keeps the row for anonymous counts.
CREATE TABLE partner (
    id                       INTEGER PRIMARY KEY,
    first_name               TEXT,
    last_name                TEXT,
    preferred_name           TEXT,
    pronouns                 TEXT,
    email                    TEXT,
    phone                    TEXT,
    postal_code              TEXT,
    region                   TEXT,
    community                TEXT CHECK (community = 'urban' OR community = 'rural' OR community = 'remote'),
    health_authority         TEXT,
    languages                TEXT NOT NULL DEFAULT '[]',
    topics                   TEXT NOT NULL DEFAULT '[]',
    lived_experience         TEXT,
    availability             TEXT,
    accessibility_needs      TEXT,
    preferred_contact        TEXT,
    consent                  INTEGER NOT NULL DEFAULT 0 CHECK (consent = 0 OR consent = 1),
    consent_on               TEXT,
    -- Payment may affect the partner's income benefits: compensation is offered, never assumed.
    payment_affects_benefits INTEGER NOT NULL DEFAULT 0 CHECK (payment_affects_benefits = 0 OR payment_affects_benefits = 1),
    joined_on                TEXT,
    -- Where the partner came from: 'signups.csv:12' or 'recruit add'.
    source                   TEXT,
    commitments_signed_on    TEXT,
    record_check_on          TEXT,
    status                   TEXT NOT NULL DEFAULT 'active'
        CHECK (status = 'active' OR status = 'paused' OR status = 'withdrawn' OR status = 'forgotten'),
    notes                    TEXT,
    -- Every imported column engage does not map, as a JSON object: nothing a form collected is lost.
    extra                    TEXT NOT NULL DEFAULT '{}',
    -- The last sign-up row applied to this partner: its file, line, submission time and a hash of
    -- its values, so a nightly re-import of the same export recognizes unchanged rows at once.
    import_file              TEXT,
    import_line              INTEGER,
    import_submitted_at      TEXT,
    import_hash              INTEGER
) STRICT;

-- An invitation to a request, and the partner's response (expression of interest or not). A
-- response may come without an invitation (a partner who heard of the opportunity elsewhere).
CREATE TABLE invitation (
    request_id   INTEGER NOT NULL REFERENCES request (id),
    partner_id   INTEGER NOT NULL REFERENCES partner (id),
    invited_on   TEXT,
    response     TEXT CHECK (response = 'interested' OR response = 'declined'),
    responded_on TEXT,
    statement    TEXT,
    availability TEXT,
    conflict     TEXT,
    PRIMARY KEY (request_id, partner_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX invitation_by_partner ON invitation (partner_id);

-- A candidate's score on one criterion of the request, 0 (not met) to 3 (strongly met).
CREATE TABLE score (
    request_id INTEGER NOT NULL,
    partner_id INTEGER NOT NULL,
    criterion  TEXT NOT NULL,
    score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 3),
    scored_by  TEXT NOT NULL,
    scored_at  TEXT NOT NULL,
    PRIMARY KEY (request_id, partner_id, criterion),
    FOREIGN KEY (request_id, partner_id) REFERENCES invitation (request_id, partner_id),
    FOREIGN KEY (request_id, criterion) REFERENCES criterion (request_id, name)
) STRICT, WITHOUT ROWID;

-- The outcome for each candidate who answered, with onboarding steps for the selected.
CREATE TABLE decision (
    request_id    INTEGER NOT NULL,
    partner_id    INTEGER NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome = 'selected' OR outcome = 'waitlisted' OR outcome = 'not_selected'),
    reason        TEXT,
    decided_on    TEXT NOT NULL,
    notified_on   TEXT,
    welcomed_on   TEXT,
    oriented_on   TEXT,
    introduced_on TEXT,
    PRIMARY KEY (request_id, partner_id),
    FOREIGN KEY (request_id, partner_id) REFERENCES invitation (request_id, partner_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX decision_by_partner ON decision (partner_id, outcome);

-- A check-in with a partner, the requester or the team.
CREATE TABLE checkin (
    id             INTEGER PRIMARY KEY,
    request_id     INTEGER NOT NULL REFERENCES request (id),
    party          TEXT NOT NULL CHECK (party = 'partner' OR party = 'requester' OR party = 'team'),
    partner_id     INTEGER REFERENCES partner (id),
    held_on        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status = 'good' OR status = 'concerns' OR status = 'serious'),
    concern        TEXT CHECK (concern = 'barrier' OR concern = 'conduct' OR concern = 'wellbeing' OR concern = 'other'),
    resolved_on    TEXT,
    resolution     TEXT,
    hours          INTEGER NOT NULL DEFAULT 0 CHECK (hours >= 0),
    expenses_cents INTEGER NOT NULL DEFAULT 0 CHECK (expenses_cents >= 0),
    expense_note   TEXT,
    note           TEXT,
    next_due       TEXT,
    CHECK ((party = 'partner') = (partner_id IS NOT NULL))
) STRICT;

CREATE INDEX checkin_by_request ON checkin (request_id, held_on);
CREATE INDEX checkin_by_partner ON checkin (partner_id) WHERE partner_id IS NOT NULL;

-- How each selected partner was recognized and reimbursed. What is owed is derived (hours logged
-- x the request's rate, or its honorarium); what was paid is recorded when it is paid.
CREATE TABLE compensation (
    request_id       INTEGER NOT NULL,
    partner_id       INTEGER NOT NULL,
    method           TEXT CHECK (method = 'e-transfer' OR method = 'cheque' OR method = 'gift-card' OR method = 'donation'),
    declined         INTEGER NOT NULL DEFAULT 0 CHECK (declined = 0 OR declined = 1),
    paid_on          TEXT,
    paid_cents       INTEGER CHECK (paid_cents >= 0),
    reimbursed_on    TEXT,
    reimbursed_cents INTEGER CHECK (reimbursed_cents >= 0),
    PRIMARY KEY (request_id, partner_id),
    FOREIGN KEY (request_id, partner_id) REFERENCES decision (request_id, partner_id)
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

-- What is due on each request, for the morning reminder (`engage report reminders`): derived from
-- the tables above by the rules of src/domain/reminder.rs and kept current by every write
-- transaction (src/db/derived.rs works out again the requests its events name), so the report
-- reads a few rows by `shown_from` instead of working through every check-in. Days are kept, not
-- how overdue: that is counted when a reminder is shown.
CREATE TABLE reminder (
    kind         TEXT NOT NULL
        CHECK (kind = 'request_awaiting_review' OR kind = 'recruitment_short' OR kind = 'selection_due'
            OR kind = 'notify_due' OR kind = 'onboarding_due' OR kind = 'commitments_missing'
            OR kind = 'checkin_due' OR kind = 'concern_open' OR kind = 'close_due' OR kind = 'payment_due'
            OR kind = 'reimbursement_due'),
    request_id   INTEGER NOT NULL,
    partner_id   INTEGER,
    checkin_id   INTEGER,
    shown_from   TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    -- What the message says, so that showing reminders reads nothing else: the request's title;
    -- whom it is about (the partner, the requester's point of contact, the organization); a count
    -- out of a total (candidates for seats); money; another day (the last check-in, the day a
    -- concern was raised or a signature lapses); and words such as the onboarding steps open.
    title        TEXT NOT NULL,
    name         TEXT,
    count        INTEGER,
    total        INTEGER,
    amount_cents INTEGER,
    since        TEXT,
    detail       TEXT
) STRICT;

CREATE INDEX reminder_by_day ON reminder (shown_from);
CREATE INDEX reminder_by_request ON reminder (request_id);

-- Concerns still open, without reading every check-in.
CREATE INDEX checkin_open_concern ON checkin (request_id) WHERE status != 'good' AND resolved_on IS NULL;

-- Each partner's hours and expenses on a request, read from the index alone (statements,
-- reminders of payment, the compensation report).
CREATE INDEX checkin_account ON checkin (request_id, partner_id, hours, expenses_cents) WHERE partner_id IS NOT NULL;

-- What each request adds up to, for the summary report: the request's status, way, dates and
-- reach; its invitations, responses, selections and first decision; and the selected partners'
-- hours and money as `engage close statement` adds them up. Derived like `reminder` and kept
-- current with it, so a summary reads one short row per request instead of every request,
-- invitation and check-in.
CREATE TABLE request_tally (
    request_id        INTEGER PRIMARY KEY,
    status            TEXT NOT NULL,
    way               TEXT NOT NULL,
    created_on        TEXT NOT NULL,
    region            TEXT,
    community         TEXT,
    ends_on           TEXT,
    closed_on         TEXT,
    invited           INTEGER NOT NULL,
    responded         INTEGER NOT NULL,
    interested        INTEGER NOT NULL,
    selected          INTEGER NOT NULL,
    first_decided_on  TEXT,
    hours             INTEGER NOT NULL,
    owed_cents        INTEGER NOT NULL,
    paid_cents        INTEGER NOT NULL,
    outstanding_cents INTEGER NOT NULL,
    expenses_cents    INTEGER NOT NULL,
    reimbursed_cents  INTEGER NOT NULL
) STRICT;

-- Expressions of interest, for the participation report and the summary's distribution (with
-- `response`, so the index alone answers).
CREATE INDEX invitation_interested ON invitation (partner_id, request_id, response) WHERE response = 'interested';

-- Partners by status and joining day, for the summary's counts of the network and of new
-- partners: without it the summary of a million partners reads the whole partner table (2.0 s
-- instead of 0.4 s). It is the partner table's only index, and it costs the sign-up import: a
-- first import of 1,000,000 rows is 5 to 10% slower with it (interleaved runs, the same binary
-- with and without it), a re-import no slower.
CREATE INDEX partner_by_status ON partner (status, joined_on);
