-- engage: a schema migration (see src/db/migrate.rs for its number). Appended, never edited.
--
-- The partner search index (issue 16): `recruit list --search TEXT` finds partners by any part of
-- their names, e-mail, region, topics, languages, lived experience, accessibility needs or notes
-- through SQLite's full-text index with the trigram tokenizer (every three characters of those
-- columns, case folded), so that a text of three characters or more is looked up in the index
-- instead of read from every partner.
--
-- The index holds no copy of the text (content = 'partner': it reads the partner table), keeps no
-- positions (detail = 'none': the search asks for every trigram of the text and engage checks each
-- partner found), and removes a deleted entry from its pages at once (secure-delete), so that
-- forgetting a partner takes them out of the index byte for byte.
--
-- It is kept by the write path (src/db/partners.rs), not by triggers: a partner written one at a
-- time is taken out of the index before the write and put back after it; the sign-up import
-- indexes the partners it inserted in one statement per batch it writes (per-row triggers made the
-- first import 60 times slower). `engage db check` compares the index with the partner table.

CREATE VIRTUAL TABLE partner_search USING fts5(
    first_name, last_name, preferred_name, email, region, topics, languages, lived_experience,
    accessibility_needs, notes,
    content = 'partner', content_rowid = 'id', tokenize = 'trigram', detail = 'none'
);

INSERT INTO partner_search (partner_search, rank) VALUES ('secure-delete', 1);

-- 16 MB of new entries held in memory before they are written as a segment (FTS5's default is
-- 1 MB): an import's partners are indexed in fewer, larger segments with less merging. Measured on
-- 300,000 partners of the benchmark network: 18.4 s with the default, 10.3 s with 16 MB, 7.1 s
-- with 32 MB; 16 MB keeps the import's peak memory under 100 MB.
INSERT INTO partner_search (partner_search, rank) VALUES ('hashsize', 16777216);

-- The partners already in the file.
INSERT INTO partner_search (partner_search) VALUES ('rebuild');
