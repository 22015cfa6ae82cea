//! The registry's database, whichever engine holds it: SQLite (one server, the default) or
//! Postgres (several servers, `crate::postgres`). The registry writes its SQL once, in the dialect
//! both engines read (`?1` parameters, `ON CONFLICT … DO NOTHING`, `CAST(?1 AS TEXT)` where a
//! parameter's type cannot be inferred), and runs every method as one transaction through
//! [`Database::read`] or [`Database::write`].

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_owned())
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::Text(s.clone())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Value {
        Value::Int(i64::from(n))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Int(i64::from(b))
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// Binds a statement's parameters: `params![a, b]` is `&[a.into(), b.into()]`.
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        &[$($crate::db::Value::from($value)),*]
    };
}
pub(crate) use params;

/// Why a statement failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("Postgres: {0}")]
    Postgres(String),
    /// Two transactions on different servers collided; the registry tries again.
    #[error("Postgres: a concurrent transaction collided with this one")]
    Conflict,
    #[error("column {0} of a registry row is not {1}")]
    Column(usize, &'static str),
}

/// One row of a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn value(&self, i: usize) -> &Value {
        self.0.get(i).unwrap_or(&Value::Null)
    }

    pub fn text(&self, i: usize) -> Result<String, DbError> {
        match self.value(i) {
            Value::Text(s) => Ok(s.clone()),
            _ => Err(DbError::Column(i, "text")),
        }
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>, DbError> {
        match self.value(i) {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s.clone())),
            Value::Int(_) => Err(DbError::Column(i, "text")),
        }
    }

    pub fn int(&self, i: usize) -> Result<i64, DbError> {
        match self.value(i) {
            Value::Int(n) => Ok(*n),
            _ => Err(DbError::Column(i, "a number")),
        }
    }

    /// A truth value (stored as 0 or 1; Postgres' booleans read as the same).
    pub fn flag(&self, i: usize) -> Result<bool, DbError> {
        Ok(self.int(i)? != 0)
    }
}

/// Runs statements inside one transaction.
pub trait Db {
    /// Runs a statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize, DbError>;
    /// Runs a query; all its rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError>;
    /// Runs a query; its first row, if any.
    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
    /// Runs a query; the first column of every row, as text.
    fn texts(&mut self, sql: &str, params: &[Value]) -> Result<Vec<String>, DbError> {
        self.query(sql, params)?.iter().map(|r| r.text(0)).collect()
    }
}

/// The registry's database; cheap to clone.
#[derive(Clone)]
pub enum Database {
    Sqlite(Arc<Mutex<Connection>>),
    Postgres(crate::postgres::Postgres),
}

impl Database {
    /// Opens (and makes, if new) an SQLite file with the settings the registry needs.
    pub fn sqlite(path: &Path) -> Result<Database, DbError> {
        let db = Connection::open(path)?;
        db.busy_timeout(std::time::Duration::from_secs(5))?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "FULL")?;
        // What is deleted (an erased person's rows) is overwritten, not left in free pages.
        db.pragma_update(None, "secure_delete", "ON")?;
        Ok(Database::Sqlite(Arc::new(Mutex::new(db))))
    }

    /// Runs `f` as one transaction that only reads.
    pub fn read<T, E: From<DbError>>(
        &self,
        f: impl FnMut(&mut dyn Db) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction(false, f)
    }

    /// Runs `f` as one transaction that writes: all of it or nothing. On Postgres it runs
    /// serializably and, if it collided with another server's, again.
    pub fn write<T, E: From<DbError>>(
        &self,
        f: impl FnMut(&mut dyn Db) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction(true, f)
    }

    fn transaction<T, E: From<DbError>>(
        &self,
        writes: bool,
        mut f: impl FnMut(&mut dyn Db) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Database::Sqlite(db) => {
                let mut db = db.lock().unwrap_or_else(|p| p.into_inner());
                let behavior = if writes {
                    rusqlite::TransactionBehavior::Immediate
                } else {
                    rusqlite::TransactionBehavior::Deferred
                };
                let tx = db
                    .transaction_with_behavior(behavior)
                    .map_err(DbError::from)?;
                let mut session = SqliteDb(&tx);
                let done = f(&mut session)?;
                tx.commit().map_err(DbError::from)?;
                Ok(done)
            }
            Database::Postgres(pg) => pg.transaction(writes, f),
        }
    }

    /// Runs statements outside any transaction (schema changes, checkpoints).
    pub fn batch(&self, sql: &str) -> Result<(), DbError> {
        match self {
            Database::Sqlite(db) => {
                let db = db.lock().unwrap_or_else(|p| p.into_inner());
                db.execute_batch(sql)?;
                Ok(())
            }
            Database::Postgres(pg) => pg.batch(sql),
        }
    }
}

struct SqliteDb<'a>(&'a rusqlite::Transaction<'a>);

fn sqlite_params(params: &[Value]) -> Vec<rusqlite::types::Value> {
    params
        .iter()
        .map(|v| match v {
            Value::Null => rusqlite::types::Value::Null,
            Value::Int(n) => rusqlite::types::Value::Integer(*n),
            Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
        })
        .collect()
}

impl Db for SqliteDb<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize, DbError> {
        let mut statement = self.0.prepare_cached(sql)?;
        Ok(statement.execute(rusqlite::params_from_iter(sqlite_params(params)))?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let mut statement = self.0.prepare_cached(sql)?;
        let columns = statement.column_count();
        let rows = statement
            .query_map(rusqlite::params_from_iter(sqlite_params(params)), |r| {
                (0..columns)
                    .map(|i| {
                        Ok(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => Value::Null,
                            rusqlite::types::ValueRef::Integer(n) => Value::Int(n),
                            rusqlite::types::ValueRef::Real(x) => Value::Int(x as i64),
                            rusqlite::types::ValueRef::Text(t)
                            | rusqlite::types::ValueRef::Blob(t) => {
                                Value::Text(String::from_utf8_lossy(t).into_owned())
                            }
                        })
                    })
                    .collect::<Result<Vec<_>, rusqlite::Error>>()
                    .map(Row)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_nothing_and_values_come_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::sqlite(&dir.path().join("t.sqlite")).unwrap();
        db.batch("CREATE TABLE t (a TEXT PRIMARY KEY, n INTEGER, o TEXT)")
            .unwrap();
        db.write(|db| {
            db.execute(
                "INSERT INTO t VALUES (?1, ?2, ?3)",
                params!["x", 7, None::<&str>],
            )
        })
        .unwrap();
        let failed: Result<(), DbError> = db.write(|db| {
            db.execute("INSERT INTO t VALUES (?1, ?2, NULL)", params!["y", 1])?;
            db.execute("INSERT INTO t VALUES (?1, ?2, NULL)", params!["x", 2])?;
            Ok(())
        });
        assert!(failed.is_err(), "the second insert breaks the key");
        let rows = db
            .read(|db| db.query("SELECT a, n, o FROM t ORDER BY a", &[]))
            .unwrap();
        assert_eq!(rows.len(), 1, "the whole transaction was undone");
        assert_eq!(rows[0].text(0).unwrap(), "x");
        assert_eq!(rows[0].int(1).unwrap(), 7);
        assert_eq!(rows[0].opt_text(2).unwrap(), None);
        assert!(rows[0].int(0).is_err(), "a name is not a number");
    }
}
