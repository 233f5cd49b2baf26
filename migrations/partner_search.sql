-- engage: migration 7, the partner search index (issue 16). Appended, never edited.
--
-- `recruit list --search TEXT` finds partners by any part of their names, e-mail, region, topics,
-- languages, lived experience, accessibility needs or notes through SQLite's full-text index with
-- the trigram tokenizer: every three characters of those columns, case folded, so any text of
-- three characters or more is looked up in the index instead of read from every partner. The
-- index holds no copy of the text (content = 'partner': it reads the partner table), keeps no
-- positions (detail = 'none': a search asks for every trigram of the text and engage checks the
-- partners found), and removes a deleted entry from its pages at once (secure-delete), so that
-- forgetting a partner takes them out of the index, byte for byte.
--
-- The index is kept by triggers on the partner table rather than by the write path's `Touch`: a
-- trigger sees the row's old and new values, which an external-content index needs to remove an
-- entry, it runs inside every statement that writes a partner (the import's bulk inserts, a
-- merge, an edit, a forgetting) without a second read of the row, and no write can forget it.
-- It is SQLite's own; the server searches with ILIKE instead (src/db/sql/dialect.rs) and has no
-- index to keep.

CREATE VIRTUAL TABLE partner_search USING fts5(
    first_name, last_name, preferred_name, email, region, topics, languages, lived_experience,
    accessibility_needs, notes,
    content = 'partner', content_rowid = 'id', tokenize = 'trigram', detail = 'none'
);

INSERT INTO partner_search (partner_search, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER partner_search_insert AFTER INSERT ON partner BEGIN
    INSERT INTO partner_search (rowid, first_name, last_name, preferred_name, email, region, topics, languages,
        lived_experience, accessibility_needs, notes)
    VALUES (new.id, new.first_name, new.last_name, new.preferred_name, new.email, new.region, new.topics,
        new.languages, new.lived_experience, new.accessibility_needs, new.notes);
END;

CREATE TRIGGER partner_search_delete AFTER DELETE ON partner BEGIN
    INSERT INTO partner_search (partner_search, rowid, first_name, last_name, preferred_name, email, region, topics,
        languages, lived_experience, accessibility_needs, notes)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.preferred_name, old.email, old.region, old.topics,
        old.languages, old.lived_experience, old.accessibility_needs, old.notes);
END;

CREATE TRIGGER partner_search_update AFTER UPDATE OF first_name, last_name, preferred_name, email, region, topics,
    languages, lived_experience, accessibility_needs, notes ON partner BEGIN
    INSERT INTO partner_search (partner_search, rowid, first_name, last_name, preferred_name, email, region, topics,
        languages, lived_experience, accessibility_needs, notes)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.preferred_name, old.email, old.region, old.topics,
        old.languages, old.lived_experience, old.accessibility_needs, old.notes);
    INSERT INTO partner_search (rowid, first_name, last_name, preferred_name, email, region, topics, languages,
        lived_experience, accessibility_needs, notes)
    VALUES (new.id, new.first_name, new.last_name, new.preferred_name, new.email, new.region, new.topics,
        new.languages, new.lived_experience, new.accessibility_needs, new.notes);
END;

-- The partners already in the file.
INSERT INTO partner_search (partner_search) VALUES ('rebuild');
