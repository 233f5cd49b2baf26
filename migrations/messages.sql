-- engage: migration 5, correspondence (`engage message`, SPEC §7).
--
-- The survey links a request's partners and requester are sent, and the delivery log: one row per
-- message, written before it is handed over (`queued`) and again with the answer (`sent`,
-- `refused` with the server's reason, `unknown` when the connection was lost while it was handed
-- over, `failed` when it never reached a server), or `written` for a file of the outbox. The log
-- keeps what went to whom, when and how; never the body. Forgetting a partner erases the address
-- and subject kept here (src/db/partners.rs).

ALTER TABLE request ADD COLUMN partner_survey_url TEXT;
ALTER TABLE request ADD COLUMN requester_survey_url TEXT;

CREATE TABLE message (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES request (id),
    -- NULL: the requester's point of contact.
    partner_id  INTEGER REFERENCES partner (id),
    kind        TEXT NOT NULL
        CHECK (kind = 'invitation' OR kind = 'outcome' OR kind = 'welcome' OR kind = 'thanks'
            OR kind = 'loop-closed' OR kind = 'survey' OR kind = 'roster'),
    -- How it went: by SMTP, or as a file of the outbox for the coordinator's own mail program.
    via         TEXT NOT NULL CHECK (via = 'smtp' OR via = 'outbox'),
    recipient   TEXT,
    subject     TEXT,
    -- The Message-ID header: what the server and the recipient's mail program know it by.
    message_id  TEXT NOT NULL,
    status      TEXT NOT NULL
        CHECK (status = 'queued' OR status = 'sent' OR status = 'refused' OR status = 'unknown'
            OR status = 'failed' OR status = 'written'),
    reason      TEXT,
    queued_at   TEXT NOT NULL,
    answered_at TEXT
) STRICT;

CREATE INDEX message_by_request ON message (request_id, kind, partner_id);
CREATE INDEX message_by_partner ON message (partner_id) WHERE partner_id IS NOT NULL;
