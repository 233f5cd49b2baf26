-- engage: the server's twin of SQLite's migrations/languages.sql (same number). Appended, never
-- edited.
--
-- The network's two languages (issue 17, SPEC §10): a partner's language of correspondence,
-- `en` or `fr`, NULL when they never said (they are written to in the `default_language`
-- setting's); a request's French title and description, which French messages use (NULL: its
-- title and description).

ALTER TABLE partner ADD COLUMN language TEXT CHECK (language = 'en' OR language = 'fr');
ALTER TABLE request ADD COLUMN title_fr TEXT;
ALTER TABLE request ADD COLUMN description_fr TEXT;
