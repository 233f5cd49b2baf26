//! The server's side of engage's typed SQL (`db::sql`): a connection that runs the shared
//! statements (their `?N` written `$N`, prepared once and kept), binds engage's values to the
//! types the server gives the parameters, reads every column as a [`ValueRef`], runs write
//! transactions SERIALIZABLE, and remembers when the server refused one because another
//! coordinator's transaction came first (SQLSTATE 40001 or 40P01), so that `Db::write` runs it
//! again.

use crate::db::pg::Address;
use crate::db::pg::connect::server_error;
use crate::db::pg::placeholders::to_dollar;
use crate::db::sql::{Access, Param, Row as SqlRow, ToSql, ValueRef};
use crate::error::{Error, Result};
use bytes::BytesMut;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::error::SqlState;
use postgres::types::{FromSql as PgFromSql, IsNull, ToSql as PgToSql, Type, to_sql_checked};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;

type Boxed = Box<dyn StdError + Sync + Send>;

/// A connection to engage's database on a server.
pub struct Conn {
    client: RefCell<postgres::Client>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
    /// The last statement failed because another transaction came first: retry the transaction.
    conflict: Cell<bool>,
    in_transaction: Cell<bool>,
    shown: String,
}

impl Conn {
    pub fn new(client: postgres::Client, address: &Address) -> Conn {
        Conn {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            conflict: Cell::new(false),
            in_transaction: Cell::new(false),
            shown: address.to_string(),
        }
    }

    /// The database as sentences name it: its address, without a password.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Whether a statement since the last call failed on a conflict with another transaction
    /// (a serialization failure or a deadlock); the mark is cleared.
    pub fn take_conflict(&self) -> bool {
        self.conflict.replace(false)
    }

    /// The client itself, for what only the server has (`COPY`, the catalog's checks).
    pub fn client(&self) -> std::cell::RefMut<'_, postgres::Client> {
        self.client.borrow_mut()
    }

    /// A statement's failure, in a sentence; a conflict is marked for the retry.
    pub fn error(&self, sql: &str, e: &postgres::Error) -> Error {
        if is_conflict(e) {
            self.conflict.set(true);
        }
        let words: Vec<&str> = sql.split_whitespace().take(6).collect();
        server_error(
            format!("the PostgreSQL server at {} refused engage's statement `{}`", self.shown, words.join(" ")),
            e,
        )
    }

    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let rewritten = to_dollar(sql).map_err(|e| Error::Failed(e.to_string()))?;
        let stmt = self.client.borrow_mut().prepare(&rewritten).map_err(|e| self.error(sql, &e))?;
        self.statements.borrow_mut().insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    fn query(&self, access: Access, sql: &str, params: &[&dyn ToSql]) -> Result<Vec<postgres::Row>> {
        refuse_write(access, sql)?;
        let stmt = self.statement(sql)?;
        bound(params, |refs| self.client.borrow_mut().query(&stmt, refs)).map_err(|e| self.error(sql, &e))
    }

    pub(crate) fn run(
        &self,
        access: Access,
        sql: &str,
        params: &[&dyn ToSql],
        each: &mut dyn FnMut(&SqlRow<'_>) -> Result<bool>,
    ) -> Result<()> {
        // Every row is read before the first is handed on: `each` may run queries of its own on
        // this connection.
        let rows = self.query(access, sql, params)?;
        for row in &rows {
            let row = SqlRow::pg(Row { row, next: Cell::new(0) });
            if !each(&row)? {
                break;
            }
        }
        Ok(())
    }

    /// The same as [`Conn::run`], but each row is handed on as it comes from the server, so a
    /// query of a million rows holds one at a time. `each` must not use this connection: it is
    /// busy with the rows until the last.
    pub(crate) fn stream(
        &self,
        access: Access,
        sql: &str,
        params: &[&dyn ToSql],
        each: &mut dyn FnMut(&SqlRow<'_>) -> Result<bool>,
    ) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        refuse_write(access, sql)?;
        let stmt = self.statement(sql)?;
        let mut client = self.client.borrow_mut();
        let mut rows =
            bound(params, |refs| client.query_raw(&stmt, refs.iter().copied())).map_err(|e| self.error(sql, &e))?;
        while let Some(row) = rows.next().map_err(|e| self.error(sql, &e))? {
            if !each(&SqlRow::pg(Row { row: &row, next: Cell::new(0) }))? {
                break;
            }
        }
        Ok(())
    }

    pub(crate) fn execute(&self, access: Access, sql: &str, params: &[&dyn ToSql]) -> Result<usize> {
        refuse_write(access, sql)?;
        let stmt = self.statement(sql)?;
        let n = bound(params, |refs| self.client.borrow_mut().execute(&stmt, refs)).map_err(|e| self.error(sql, &e))?;
        Ok(n as usize)
    }

    /// The types of the columns a query gives, as the server names them (for [`Conn::copy_in`]).
    pub(crate) fn column_types(&self, sql: &str) -> Result<Vec<Type>> {
        Ok(self.statement(sql)?.columns().iter().map(|c| c.type_().clone()).collect())
    }

    /// Rows written by `sql`, a `COPY … FROM STDIN (FORMAT binary)`: the server's bulk path.
    /// `values` are the rows one after the other, each of `types.len()` values bound as a
    /// statement's parameters are. On an error the COPY is abandoned, and nothing of it is kept.
    pub(crate) fn copy_in(&self, sql: &str, types: &[Type], values: &[ValueRef<'_>]) -> Result<u64> {
        let mut client = self.client.borrow_mut();
        let sink = client.copy_in(sql).map_err(|e| self.error(sql, &e))?;
        let mut writer = BinaryCopyInWriter::new(sink, types);
        for row in values.chunks(types.len().max(1)) {
            let binds: Vec<Bind<'_>> = row.iter().map(|v| Bind(*v)).collect();
            let refs: Vec<&(dyn PgToSql + Sync)> = binds.iter().map(|b| b as &(dyn PgToSql + Sync)).collect();
            writer.write(&refs).map_err(|e| self.error(sql, &e))?;
        }
        writer.finish().map_err(|e| self.error(sql, &e))
    }

    /// A write transaction that sees the database as if it ran alone: the server refuses (and
    /// engage retries) one whose reads another's writes made stale.
    pub(crate) fn begin(&self) -> Result<()> {
        self.batch("BEGIN ISOLATION LEVEL SERIALIZABLE")?;
        self.in_transaction.set(true);
        Ok(())
    }

    pub(crate) fn commit(&self) -> Result<()> {
        self.in_transaction.set(false);
        self.batch("COMMIT")
    }

    pub(crate) fn rollback(&self) -> Result<()> {
        if self.in_transaction.replace(false) {
            self.batch("ROLLBACK")?;
        }
        Ok(())
    }

    /// Statements without parameters, run as they are.
    pub fn batch(&self, sql: &str) -> Result<()> {
        self.client.borrow_mut().batch_execute(sql).map_err(|e| self.error(sql, &e))
    }
}

fn is_conflict(e: &postgres::Error) -> bool {
    matches!(e.code(), Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED)
}

/// A reader's statement must only read. SQLite says which statements write; here a statement
/// that reads begins with SELECT (or WITH, without a write inside) or VALUES.
fn refuse_write(access: Access, sql: &str) -> Result<()> {
    if access == Access::Write {
        return Ok(());
    }
    let upper = sql.trim_start().to_ascii_uppercase();
    let first = upper.split_whitespace().next().unwrap_or("");
    let writes = ["INSERT ", "UPDATE ", "DELETE ", "MERGE "];
    let reads = match first {
        "SELECT" | "VALUES" | "SHOW" => !upper.contains(" FOR UPDATE"),
        "WITH" => !writes.iter().any(|w| upper.contains(w)),
        _ => false,
    };
    if reads {
        return Ok(());
    }
    Err(Error::Failed(format!(
        "engage tried to write outside a write transaction (`{}`); nothing was changed",
        sql.split_whitespace().take(6).collect::<Vec<_>>().join(" ")
    )))
}

/// Runs `f` with engage's parameters bound for the server ([`Bind`]): the one place a
/// statement's parameters are made.
fn bound<T>(params: &[&dyn ToSql], f: impl FnOnce(&[&(dyn PgToSql + Sync)]) -> T) -> T {
    let held: Vec<Param<'_>> = params.iter().map(|p| p.to_sql()).collect();
    let binds: Vec<Bind<'_>> = held.iter().map(|p| Bind(p.value())).collect();
    let refs: Vec<&(dyn PgToSql + Sync)> = binds.iter().map(|b| b as &(dyn PgToSql + Sync)).collect();
    f(&refs)
}

/// An engage value bound to a parameter of the type the server gave it.
#[derive(Debug)]
struct Bind<'a>(ValueRef<'a>);

impl PgToSql for Bind<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, Boxed> {
        match self.0 {
            ValueRef::Null => Ok(IsNull::Yes),
            ValueRef::Integer(i) => match *ty {
                Type::INT8 => PgToSql::to_sql(&i, ty, out),
                Type::INT4 => PgToSql::to_sql(&i32::try_from(i)?, ty, out),
                Type::INT2 => PgToSql::to_sql(&i16::try_from(i)?, ty, out),
                Type::BOOL => PgToSql::to_sql(&(i != 0), ty, out),
                Type::FLOAT8 => PgToSql::to_sql(&(i as f64), ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => text(&i.to_string(), out),
                _ => Err(format!("engage bound a whole number to a parameter of type {ty}").into()),
            },
            ValueRef::Real(r) => match *ty {
                Type::FLOAT8 => PgToSql::to_sql(&r, ty, out),
                Type::FLOAT4 => PgToSql::to_sql(&(r as f32), ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => text(&r.to_string(), out),
                _ => Err(format!("engage bound a number to a parameter of type {ty}").into()),
            },
            ValueRef::Text(t) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::JSON => text(t, out),
                Type::JSONB => {
                    out.extend_from_slice(&[1]);
                    out.extend_from_slice(t.as_bytes());
                    Ok(IsNull::No)
                }
                _ => Err(format!("engage bound text to a parameter of type {ty}").into()),
            },
            ValueRef::Blob(b) => match *ty {
                Type::BYTEA => PgToSql::to_sql(&b, ty, out),
                _ => Err(format!("engage bound bytes to a parameter of type {ty}").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Text in the server's binary form: its UTF-8 bytes.
fn text(t: &str, out: &mut BytesMut) -> std::result::Result<IsNull, Boxed> {
    out.extend_from_slice(t.as_bytes());
    Ok(IsNull::No)
}

/// A column's value as engage reads it: integers (and yes/no) as whole numbers, NUMERIC (what
/// `sum` of a BIGINT gives) as a whole number when it is one, text and JSON as text.
struct Read<'a>(ValueRef<'a>);

impl<'a> PgFromSql<'a> for Read<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, Boxed> {
        Ok(Read(match *ty {
            Type::INT8 => ValueRef::Integer(i64::from_sql(ty, raw)?),
            Type::INT4 => ValueRef::Integer(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT2 => ValueRef::Integer(i64::from(i16::from_sql(ty, raw)?)),
            Type::OID => ValueRef::Integer(i64::from(u32::from_sql(ty, raw)?)),
            Type::BOOL => ValueRef::Integer(i64::from(bool::from_sql(ty, raw)?)),
            Type::FLOAT8 => ValueRef::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => ValueRef::Real(f64::from(f32::from_sql(ty, raw)?)),
            Type::NUMERIC => numeric(raw)?,
            Type::JSONB => ValueRef::Text(std::str::from_utf8(raw.get(1..).unwrap_or_default())?),
            Type::BYTEA => ValueRef::Blob(raw),
            _ => ValueRef::Text(std::str::from_utf8(raw)?),
        }))
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, Boxed> {
        Ok(Read(ValueRef::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// NUMERIC's binary form (digits in base 10000, a weight, a sign) as a whole number, or a real
/// when it has a fraction.
fn numeric(raw: &[u8]) -> std::result::Result<ValueRef<'static>, Boxed> {
    let word = |i: usize| -> std::result::Result<i16, Boxed> {
        let b = raw.get(i * 2..i * 2 + 2).ok_or("a NUMERIC value cut short")?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    };
    let (ndigits, weight, sign) = (word(0)? as usize, word(1)?, word(2)? as u16);
    if sign == 0xC000 {
        return Err("a NUMERIC value that is not a number".into());
    }
    let mut whole: i128 = 0;
    let mut fraction = 0f64;
    for d in 0..ndigits {
        let digit = i128::from(word(4 + d)?);
        let power = i32::from(weight) - d as i32;
        if power >= 0 {
            whole += digit * 10000i128.pow(power as u32);
        } else {
            fraction += digit as f64 * 10000f64.powi(power);
        }
    }
    let negative = sign == 0x4000;
    if fraction == 0.0 {
        let whole = if negative { -whole } else { whole };
        return Ok(ValueRef::Integer(i64::try_from(whole).map_err(|_| "a NUMERIC value too large for engage")?));
    }
    let value = whole as f64 + fraction;
    Ok(ValueRef::Real(if negative { -value } else { value }))
}

/// A row of the server's, read by column name.
pub(crate) struct Row<'r> {
    row: &'r postgres::Row,
    next: Cell<usize>,
}

impl Row<'_> {
    fn index(&self, column: &str) -> Result<usize> {
        let columns = self.row.columns();
        let next = self.next.get();
        let at = if columns.get(next).is_some_and(|c| c.name() == column) {
            next
        } else {
            columns
                .iter()
                .position(|c| c.name() == column)
                .ok_or_else(|| Error::Failed(format!("engage read a column {column} that its query does not select")))?
        };
        self.next.set(at + 1);
        Ok(at)
    }

    fn at(&self, at: usize, column: &str) -> Result<ValueRef<'_>> {
        match self.row.try_get::<_, Read<'_>>(at) {
            Ok(read) => Ok(read.0),
            Err(e) => Err(Error::Failed(format!(
                "engage could not read the column {column} the server sent ({})",
                e.source().map_or_else(|| e.to_string(), |s| s.to_string())
            ))),
        }
    }

    pub(crate) fn value(&self, column: &str) -> Result<ValueRef<'_>> {
        let at = self.index(column)?;
        self.at(at, column)
    }

    pub(crate) fn first(&self) -> Result<(String, ValueRef<'_>)> {
        let name = self.row.columns().first().map(|c| c.name().to_string()).unwrap_or_default();
        Ok((name.clone(), self.at(0, &name)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_sums_are_read_as_whole_numbers() {
        // 1234567 = 123 * 10000 + 4567: two digits, weight 1, positive.
        let raw = [0, 2, 0, 1, 0, 0, 0, 0, 0, 123, 0x11, 0xD7];
        assert_eq!(numeric(&raw).unwrap(), ValueRef::Integer(1_234_567));
        let negative = [0, 1, 0, 0, 0x40, 0, 0, 0, 0, 5];
        assert_eq!(numeric(&negative).unwrap(), ValueRef::Integer(-5));
        let zero = [0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(numeric(&zero).unwrap(), ValueRef::Integer(0));
        let half = [0, 1, 0xFF, 0xFF, 0, 0, 0, 1, 0x13, 0x88];
        assert_eq!(numeric(&half).unwrap(), ValueRef::Real(0.5));
    }

    #[test]
    fn a_reader_on_the_server_refuses_a_statement_that_writes() {
        assert!(refuse_write(Access::Read, "SELECT 1").is_ok());
        assert!(refuse_write(Access::Read, " WITH x AS (SELECT 1) SELECT * FROM x").is_ok());
        assert!(refuse_write(Access::Read, "DELETE FROM setting RETURNING key").is_err());
        assert!(refuse_write(Access::Read, "WITH x AS (DELETE FROM setting RETURNING key) SELECT * FROM x").is_err());
        assert!(refuse_write(Access::Write, "DELETE FROM setting").is_ok());
    }
}
