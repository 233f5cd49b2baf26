//! The few SQL fragments the engines write differently. Everything else in db/ is written once,
//! in SQL both run: `?N` placeholders, `ON CONFLICT … DO NOTHING` and `DO UPDATE` with qualified
//! columns, `RETURNING id`, dates as ISO text compared as text, JSON as text, `CAST(sum(x) AS
//! BIGINT)`.

/// Which engine a [`crate::db::sql::Reader`] speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    /// PostgreSQL, and what speaks its protocol.
    Server,
}

impl Dialect {
    /// `column IN (the ids)`, the ids bound as one parameter `?param` holding a JSON array of
    /// integers (`Json(ids)`): one statement for any number of them, prepared once.
    pub fn in_ids(self, column: &str, param: usize) -> String {
        match self {
            Dialect::Sqlite => format!("{column} IN (SELECT value FROM json_each(?{param}))"),
            Dialect::Server => {
                format!(
                    "{column} IN (SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST(CAST(?{param} AS TEXT) AS JSONB)))"
                )
            }
        }
    }

    /// `column` is one of the words of a JSON array of text bound at `?param`.
    pub fn in_words(self, column: &str, param: usize) -> String {
        match self {
            Dialect::Sqlite => format!("{column} IN (SELECT value FROM json_each(?{param}))"),
            Dialect::Server => {
                format!(
                    "{column} IN (SELECT value FROM jsonb_array_elements_text(CAST(CAST(?{param} AS TEXT) AS JSONB)))"
                )
            }
        }
    }

    /// The comparison of text to a pattern that ignores the case of ASCII letters: SQLite's LIKE
    /// does, PostgreSQL's does not (its ILIKE does).
    pub fn like_any_case(self) -> &'static str {
        match self {
            Dialect::Sqlite => "LIKE",
            Dialect::Server => "ILIKE",
        }
    }

    /// The names (`name`) of the database's own tables: engage's, without the schema version's.
    pub fn tables_sql(self) -> &'static str {
        match self {
            Dialect::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_' ORDER BY name"
            }
            Dialect::Server => {
                "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables WHERE table_schema = current_schema() \
                 AND table_type = 'BASE TABLE' AND CAST(table_name AS TEXT) != 'engage_schema' ORDER BY 1"
            }
        }
    }

    /// The names (`name`) of the columns of the table `?1`, in their order.
    pub fn columns_sql(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
            Dialect::Server => {
                "SELECT CAST(column_name AS TEXT) AS name FROM information_schema.columns WHERE table_schema = \
                 current_schema() AND CAST(table_name AS TEXT) = ?1 ORDER BY ordinal_position"
            }
        }
    }

    /// After rows were written with their own ids: the statement that moves the table's id
    /// sequence past them, where the engine keeps one apart from the table (a server's identity
    /// column). SQLite takes the next id from the table itself.
    pub fn move_ids_past_sql(self, table: &str, columns: &[String]) -> Option<String> {
        match self {
            Dialect::Sqlite => None,
            Dialect::Server if columns.iter().any(|c| c == "id") => Some(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) AS moved FROM {table} \
                 WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL HAVING max(id) IS NOT NULL"
            )),
            Dialect::Server => None,
        }
    }

    /// After a whole network was written into these tables at once: the statement that gives
    /// the engine's planner their new sizes, where it would otherwise plan on empty tables until
    /// its own background pass (a server's autovacuum). SQLite plans without statistics.
    pub fn after_bulk_load_sql(self, tables: &[&str]) -> Option<String> {
        match self {
            Dialect::Sqlite => None,
            Dialect::Server => Some(format!("ANALYZE {}", tables.join(", "))),
        }
    }

    /// How a search for `text` in the partners' searchable columns (names, e-mail, region,
    /// topics, languages, lived experience, accessibility needs, notes) is narrowed in SQL: a
    /// condition on `partner` with its parameter `?param`, which finds every partner holding the
    /// text (and maybe a few more: the caller checks each partner found), or None when only
    /// reading every partner can tell.
    ///
    /// SQLite looks every trigram of the text up in the full-text index `partner_search`
    /// (migrations/partner_search.sql), which keeps no positions: a partner holding all of them
    /// is found. A text of fewer than three characters has no trigram. The server has no such
    /// index.
    pub fn partner_search(self, text: &str, param: usize) -> Option<(String, String)> {
        match self {
            Dialect::Sqlite => {
                let chars: Vec<char> = text.chars().collect();
                let mut trigrams: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
                trigrams.sort();
                trigrams.dedup();
                if trigrams.is_empty() {
                    return None;
                }
                let query: Vec<String> = trigrams.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect();
                Some((
                    format!("id IN (SELECT rowid FROM partner_search WHERE partner_search MATCH ?{param})"),
                    query.join(" "),
                ))
            }
            // No index on the server: every partner in the status is read and checked.
            Dialect::Server => None,
        }
    }

    /// Whether the partners have a search index to keep (SQLite's `partner_search`).
    pub fn has_search_index(self) -> bool {
        matches!(self, Dialect::Sqlite)
    }
}

#[cfg(test)]
mod tests {
    use super::Dialect;

    #[test]
    fn a_search_asks_the_index_for_every_trigram_of_the_text_once() {
        let (condition, query) = Dialect::Sqlite.partner_search("anaana\"x", 2).unwrap_or_default();
        assert_eq!(condition, "id IN (SELECT rowid FROM partner_search WHERE partner_search MATCH ?2)");
        assert_eq!(query, "\"a\"\"x\" \"aan\" \"ana\" \"na\"\"\" \"naa\"");
    }

    #[test]
    fn a_text_shorter_than_a_trigram_is_not_looked_up_in_the_index() {
        assert_eq!(Dialect::Sqlite.partner_search("ab", 1), None);
        assert_eq!(Dialect::Sqlite.partner_search("", 1), None);
        assert_eq!(Dialect::Server.partner_search("abc", 1), None);
    }
}
