-- Forgetting is for good (SPEC §5). For each person forgotten, all that is kept is a keyed hash of
-- their identity (normalized e-mail and folded first name, as src/domain/identity.rs defines it) and
-- when they were forgotten: an import skips a row with that identity unless the row was submitted
-- after the forgetting (a new sign-up is a new consent).
CREATE TABLE forgotten_identity (
    identity      BLOB PRIMARY KEY CHECK (length(identity) = 32),
    -- YYYY-MM-DDTHH:MM:SS, the latest forgetting of this identity.
    forgotten_at  TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- The key of those hashes: random, one per database, made at the first forgetting. Without it a
-- hash cannot be tested against a guessed address, and one person's hash differs between files.
CREATE TABLE identity_key (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    key  BLOB NOT NULL CHECK (length(key) = 32)
) STRICT;

-- Set by `recruit forget` until the erased text is gone from the bytes of the file and its -wal
-- (a checkpoint that truncates the -wal, which another connection's open read holds back); the
-- next engage that can finish that checkpoint clears it.
CREATE TABLE erasure_pending (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    since  TEXT NOT NULL
) STRICT;

-- Tracking data is not personal data we need (SPEC §5): the columns form tools add about the
-- device, kept in the extra answers by imports before this version, are taken out. Their headers
-- are compared as src/csvio/headers.rs compares them (lower case, without spaces or punctuation);
-- `recruit import --keep-metadata` brings them back from the form's export.
UPDATE partner
SET extra = (
    SELECT json_group_object(key, value) FROM json_each(partner.extra)
    WHERE lower(replace(replace(replace(replace(replace(replace(replace(key, ' ', ''), '-', ''), '_', ''), '.', ''),
                ':', ''), '(', ''), ')', ''))
        NOT IN ('ipaddress', 'ip', 'ipaddr', 'networkid', 'useragent', 'browser', 'latitude', 'longitude',
                'locationlatitude', 'locationlongitude', 'location', 'geolocation', 'referrer', 'referer',
                'referrerurl', 'refererurl', 'httpreferer', 'httpreferrer')
)
WHERE extra != '{}' AND json_valid(extra);
