//! The few SQL fragments the engines write differently. Everything else in db/ is written once,
//! in SQL both run: `?N` placeholders, `ON CONFLICT … DO NOTHING` and `DO UPDATE` with qualified
//! columns, `RETURNING id`, dates as ISO text compared as text, JSON as text, `CAST(sum(x) AS
//! BIGINT)`.

/// Which engine a [`crate::db::sql::Reader`] speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
}

impl Dialect {
    /// `column IN (the ids)`, the ids bound as one parameter `?param` holding a JSON array of
    /// integers (`Json(ids)`): one statement for any number of them, prepared once.
    pub fn in_ids(self, column: &str, param: usize) -> String {
        match self {
            Dialect::Sqlite => format!("{column} IN (SELECT value FROM json_each(?{param}))"),
        }
    }
}
