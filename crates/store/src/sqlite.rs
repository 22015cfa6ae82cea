//! The SQLite store: one file per device (and one for the sync server). Durability: a `put` that
//! returned has been committed with `synchronous=FULL`. Every local edit is also appended to a
//! journal before the edit returns (samod stores its own chunks a moment later, on its own task);
//! the device replays the journal when it opens. A write that fails (a full disk, a read-only
//! file) is kept in memory, served to readers, retried by [`Store::retry`] (on a timer, each
//! write on its own) and reported through [`Store::health`]: nothing is dropped, and one write
//! that keeps failing holds back no other.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};
use samod::storage::StorageKey;
use tokio::sync::watch;

use crate::{DeviceStore, IndexEntry, StorageHealth, StoreError, SyncMark};

const SCHEMA_VERSION: i64 = 2;

const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS chunks (
    key  TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (
    doc_id   TEXT PRIMARY KEY NOT NULL,
    kind     TEXT NOT NULL,
    title    TEXT NOT NULL,
    local_only INTEGER NOT NULL DEFAULT 0,
    shared   INTEGER NOT NULL DEFAULT 1,
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS sync_marks (
    doc_id    TEXT PRIMARY KEY NOT NULL,
    heads     TEXT NOT NULL,
    synced_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_registrations (
    doc_id  TEXT PRIMARY KEY NOT NULL,
    request TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
    entry  INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    data   BLOB NOT NULL
);
";

/// A handle to the store; cheap to clone, all clones share one connection.
#[derive(Clone)]
pub struct Store {
    db: Arc<Mutex<Connection>>,
    /// Writes the disk refused, by key; `None` is a delete.
    waiting: Arc<Mutex<BTreeMap<String, Option<Vec<u8>>>>>,
    health: Arc<watch::Sender<StorageHealth>>,
}

impl Store {
    /// Opens (creating if needed) the store in the SQLite file at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        match Store::open_with(path, false) {
            // A full disk has no room for the shared-memory index beside a WAL database: opened
            // by this process alone, SQLite keeps that index in memory, and the data can be read
            // (writes wait until there is room again).
            Err(StoreError::Open { source, .. })
                if matches!(
                    source.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::SystemIoFailure | rusqlite::ErrorCode::DiskFull)
                ) =>
            {
                tracing::warn!(path = %path.display(), error = %source, "the disk refuses writes; opening the database for this process alone");
                Store::open_with(path, true)
            }
            other => other,
        }
    }

    fn open_with(path: &Path, alone: bool) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        create_private(path);
        let db = Connection::open(path).map_err(open_err)?;
        db.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(open_err)?;
        if alone {
            db.pragma_update(None, "locking_mode", "EXCLUSIVE")
                .map_err(open_err)?;
        }
        db.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        db.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        // Deleted content (an erased document) is overwritten, not left in free pages.
        db.pragma_update(None, "secure_delete", "ON")
            .map_err(open_err)?;
        let version: i64 = db
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(open_err)?;
        if version < SCHEMA_VERSION {
            db.execute_batch(MIGRATION).map_err(open_err)?;
            db.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(open_err)?;
        }
        Ok(Store {
            db: Arc::new(Mutex::new(db)),
            waiting: Arc::default(),
            health: Arc::new(watch::channel(StorageHealth::Ok).0),
        })
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (every statement is
        // atomic), so a poisoned lock is safe to keep using.
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn waiting(&self) -> MutexGuard<'_, BTreeMap<String, Option<Vec<u8>>>> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether all writes reached the disk; changes are published as they happen.
    pub fn health(&self) -> watch::Receiver<StorageHealth> {
        self.health.subscribe()
    }

    /// Runs a statement on the underlying connection (tests use it to simulate a full disk).
    pub fn execute_raw(&self, sql: &str) -> Result<(), StoreError> {
        self.db().execute_batch(sql)?;
        Ok(())
    }

    // -- Document chunks (samod storage) ------------------------------------------------------

    fn load_chunk(&self, key: &str) -> Option<Vec<u8>> {
        if let Some(waiting) = self.waiting().get(key) {
            return waiting.clone();
        }
        let result = self
            .db()
            .query_row("SELECT data FROM chunks WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional();
        result.unwrap_or_else(|e| {
            tracing::error!(%key, error = %e, "reading a document chunk failed");
            None
        })
    }

    fn load_chunk_range(&self, prefix: &str) -> HashMap<String, Vec<u8>> {
        // Keys are "/"-joined components without "/" in them; '0' is the character after '/'.
        let lower = format!("{prefix}/");
        let upper = format!("{prefix}0");
        let mut found = HashMap::new();
        let rows = {
            let db = self.db();
            let query = db
                .prepare_cached(
                    "SELECT key, data FROM chunks WHERE key = ?1 OR (key >= ?2 AND key < ?3)",
                )
                .and_then(|mut stmt| {
                    stmt.query_map(params![prefix, lower, upper], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
                    })?
                    .collect::<Result<Vec<_>, _>>()
                });
            query.unwrap_or_else(|e| {
                tracing::error!(%prefix, error = %e, "reading document chunks failed");
                Vec::new()
            })
        };
        found.extend(rows);
        for (key, value) in self.waiting().iter() {
            if key == prefix || key.starts_with(&lower) {
                match value {
                    Some(data) => found.insert(key.clone(), data.clone()),
                    None => found.remove(key),
                };
            }
        }
        found
    }

    fn write_chunk(&self, key: String, data: Option<Vec<u8>>) {
        let written = write_one(&self.db(), &key, data.as_deref());
        let mut waiting = self.waiting();
        match written {
            Ok(()) => {
                // A newer value for the key went through: the older one waiting is obsolete.
                waiting.remove(&key);
            }
            Err(e) => {
                tracing::error!(%key, error = %e, "writing to the local database failed; keeping the data in memory and retrying");
                waiting.insert(key, data);
                self.report(&waiting, Some(e.to_string()));
                return;
            }
        }
        self.report(&waiting, None);
    }

    /// Writes many chunks in one transaction, so the disk is synced once for all of them (a
    /// server's group commit); should that fail, each is written on its own as by `put`, and what
    /// the disk still refuses waits in memory. Later entries for a key win.
    pub fn write_chunks(&self, chunks: Vec<(String, Option<Vec<u8>>)>) {
        let written = {
            let mut db = self.db();
            db.transaction().and_then(|tx| {
                for (key, data) in &chunks {
                    write_one(&tx, key, data.as_deref())?;
                }
                tx.commit()
            })
        };
        match written {
            Ok(()) => {
                let mut waiting = self.waiting();
                for (key, _) in &chunks {
                    waiting.remove(key);
                }
                self.report(&waiting, None);
            }
            Err(e) => {
                tracing::warn!(chunks = chunks.len(), error = %e, "writing chunks together failed; writing each on its own");
                for (key, data) in chunks {
                    self.write_chunk(key, data);
                }
            }
        }
    }

    /// Writes every refused write again, each on its own (one that still fails does not hold
    /// back the others); updates [`Store::health`]. Called on a timer.
    pub fn retry(&self) {
        let pending: Vec<(String, Option<Vec<u8>>)> = self
            .waiting()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if pending.is_empty() {
            return;
        }
        let mut last_error = None;
        for (key, value) in pending {
            let written = write_one(&self.db(), &key, value.as_deref());
            let mut waiting = self.waiting();
            match written {
                // Only forget what was written; a newer value may have arrived meanwhile.
                Ok(()) if waiting.get(&key) == Some(&value) => {
                    waiting.remove(&key);
                }
                Ok(()) => {}
                Err(e) => last_error = Some(e.to_string()),
            }
        }
        let waiting = self.waiting();
        self.report(&waiting, last_error);
    }

    fn report(&self, waiting: &BTreeMap<String, Option<Vec<u8>>>, error: Option<String>) {
        let health = if waiting.is_empty() {
            StorageHealth::Ok
        } else {
            StorageHealth::Failing {
                waiting: waiting.len(),
                error: error.unwrap_or_else(|| "writes are waiting".into()),
            }
        };
        self.health
            .send_if_modified(|h| replace_if_changed(h, health));
    }

    // -- Journal of local edits ---------------------------------------------------------------

    /// Appends the changes of one local edit (Automerge's incremental save format); committed
    /// before it returns.
    pub fn journal_append(&self, doc_id: &str, data: &[u8]) -> Result<(), StoreError> {
        self.db().execute(
            "INSERT INTO journal (doc_id, data) VALUES (?1, ?2)",
            params![doc_id, data],
        )?;
        Ok(())
    }

    /// Every journal entry, oldest first: (entry, document, changes).
    pub fn journal(&self) -> Result<Vec<(i64, String, Vec<u8>)>, StoreError> {
        let db = self.db();
        let mut stmt = db.prepare("SELECT entry, doc_id, data FROM journal ORDER BY entry")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Empties the journal (every change in it is in the chunks).
    pub fn journal_clear(&self) -> Result<(), StoreError> {
        self.db().execute("DELETE FROM journal", [])?;
        Ok(())
    }

    /// Drops one journal entry.
    pub fn journal_remove(&self, entry: i64) -> Result<(), StoreError> {
        self.db()
            .execute("DELETE FROM journal WHERE entry = ?1", [entry])?;
        Ok(())
    }

    /// Whether every chunk write so far reached the disk.
    /// Whether any chunk of a document is stored (or waiting for the disk).
    pub fn holds_document(&self, doc_id: &str) -> bool {
        !self.load_chunk_range(doc_id).is_empty()
    }

    pub fn all_written(&self) -> bool {
        self.waiting().is_empty()
    }

    // -- Document index -----------------------------------------------------------------------

    /// Adds a document to the device's index, or updates its title.
    pub fn index_document(&self, entry: &IndexEntry) -> Result<(), StoreError> {
        self.db().execute(
            "INSERT INTO documents (doc_id, kind, title, local_only, shared) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(doc_id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
                 shared = excluded.shared",
            params![entry.doc_id, entry.kind, entry.title, entry.local_only, entry.shared],
        )?;
        Ok(())
    }

    /// The documents this device keeps, oldest first, without loading any of them.
    pub fn documents(&self) -> Result<Vec<IndexEntry>, StoreError> {
        let db = self.db();
        let mut stmt = db.prepare_cached(
            "SELECT doc_id, kind, title, local_only, shared FROM documents ORDER BY added_at, rowid",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(IndexEntry {
                    doc_id: r.get(0)?,
                    kind: r.get(1)?,
                    title: r.get(2)?,
                    local_only: r.get(3)?,
                    shared: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Marks a document as offered to the server.
    pub fn mark_shared(&self, doc_id: &str) -> Result<(), StoreError> {
        self.db().execute(
            "UPDATE documents SET shared = 1 WHERE doc_id = ?1",
            [doc_id],
        )?;
        Ok(())
    }

    /// Removes a document from the index (its data stays until the store is compacted).
    pub fn forget_document(&self, doc_id: &str) -> Result<(), StoreError> {
        self.db()
            .execute("DELETE FROM documents WHERE doc_id = ?1", [doc_id])?;
        Ok(())
    }

    // -- Registrations waiting for the server ---------------------------------------------------

    /// Remembers a registration to send to the server when it can be reached.
    pub fn add_pending_registration(&self, doc_id: &str, request: &str) -> Result<(), StoreError> {
        self.db().execute(
            "INSERT INTO pending_registrations (doc_id, request) VALUES (?1, ?2)
             ON CONFLICT(doc_id) DO UPDATE SET request = excluded.request",
            params![doc_id, request],
        )?;
        Ok(())
    }

    pub fn pending_registrations(&self) -> Result<Vec<(String, String)>, StoreError> {
        let db = self.db();
        let mut stmt =
            db.prepare_cached("SELECT doc_id, request FROM pending_registrations ORDER BY rowid")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub fn remove_pending_registration(&self, doc_id: &str) -> Result<(), StoreError> {
        self.db().execute(
            "DELETE FROM pending_registrations WHERE doc_id = ?1",
            [doc_id],
        )?;
        Ok(())
    }

    // -- Sync marks ---------------------------------------------------------------------------

    pub fn set_sync_mark(&self, doc_id: &str, mark: &SyncMark) -> Result<(), StoreError> {
        self.db().execute(
            "INSERT INTO sync_marks (doc_id, heads, synced_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(doc_id) DO UPDATE SET heads = excluded.heads, synced_at = excluded.synced_at",
            params![doc_id, mark.heads.join(","), mark.synced_at],
        )?;
        Ok(())
    }

    pub fn sync_mark(&self, doc_id: &str) -> Result<Option<SyncMark>, StoreError> {
        let mark = self
            .db()
            .query_row(
                "SELECT heads, synced_at FROM sync_marks WHERE doc_id = ?1",
                [doc_id],
                |r| {
                    let heads: String = r.get(0)?;
                    Ok(SyncMark {
                        heads: heads
                            .split(',')
                            .filter(|h| !h.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        synced_at: r.get(1)?,
                    })
                },
            )
            .optional()?;
        Ok(mark)
    }

    // -- Settings -----------------------------------------------------------------------------

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .db()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.db().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// The settings whose key starts with `prefix`, as (key, value).
    pub fn settings_starting(&self, prefix: &str) -> Result<Vec<(String, String)>, StoreError> {
        let db = self.db();
        let mut statement =
            db.prepare("SELECT key, value FROM settings WHERE substr(key, 1, length(?1)) = ?1")?;
        let rows = statement
            .query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub fn remove_setting(&self, key: &str) -> Result<(), StoreError> {
        self.db()
            .execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }

    /// Number of stored chunks and their total size in bytes.
    pub fn chunk_stats(&self) -> Result<(i64, i64), StoreError> {
        Ok(self.db().query_row(
            "SELECT count(*), coalesce(sum(length(data)), 0) FROM chunks",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Deletes a document's chunks, index entry, sync mark, waiting registration and journal
    /// entries, and writes the WAL back so the deleted pages (overwritten: `secure_delete`)
    /// are all that is left of it.
    pub fn erase_document(&self, doc_id: &str) -> Result<(), StoreError> {
        self.erase_documents(&[doc_id.to_owned()])
    }

    /// Deletes documents as [`Store::erase_document`] does, in one transaction and with one
    /// checkpoint. Deleting what is not there is no error (a sweep may ask again).
    pub fn erase_documents(&self, doc_ids: &[String]) -> Result<(), StoreError> {
        self.waiting().retain(|key, _| {
            !doc_ids
                .iter()
                .any(|doc_id| crate::memory::chunk_of(key, doc_id))
        });
        {
            let mut db = self.db();
            let tx = db.transaction()?;
            for doc_id in doc_ids {
                tx.execute(
                    "DELETE FROM chunks WHERE key = ?1 OR (key >= ?2 AND key < ?3)",
                    params![doc_id, format!("{doc_id}/"), format!("{doc_id}0")],
                )?;
                for table in [
                    "documents",
                    "sync_marks",
                    "pending_registrations",
                    "journal",
                ] {
                    tx.execute(&format!("DELETE FROM {table} WHERE doc_id = ?1"), [doc_id])?;
                }
            }
            tx.commit()?;
        }
        self.checkpoint()
    }

    /// Deletes every row of every table and writes the WAL back.
    pub fn erase_everything(&self) -> Result<(), StoreError> {
        self.waiting().clear();
        self.db().execute_batch(
            "BEGIN;
             DELETE FROM chunks; DELETE FROM documents; DELETE FROM sync_marks;
             DELETE FROM pending_registrations; DELETE FROM settings; DELETE FROM journal;
             COMMIT;",
        )?;
        self.checkpoint()?;
        self.db().execute_batch("VACUUM")?;
        self.checkpoint()
    }

    /// Writes the WAL back into the main database file; called on a clean shutdown.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.retry();
        self.db()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

/// Creates the database file readable and writable by its owner only (mode 0600), if it does not
/// exist yet: SQLite gives its WAL and shared-memory files the database file's mode.
fn create_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path);
        if let Err(e) = created
            && e.kind() != std::io::ErrorKind::AlreadyExists
        {
            tracing::warn!(file = %path.display(), error = %e, "could not create the database file for its owner only");
        }
    }
}

fn write_one(db: &Connection, key: &str, data: Option<&[u8]>) -> rusqlite::Result<()> {
    match data {
        Some(data) => db.execute(
            "INSERT INTO chunks (key, data) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET data = excluded.data",
            params![key, data],
        )?,
        None => db.execute("DELETE FROM chunks WHERE key = ?1", [key])?,
    };
    Ok(())
}

fn replace_if_changed(current: &mut StorageHealth, new: StorageHealth) -> bool {
    if *current == new {
        false
    } else {
        *current = new;
        true
    }
}

impl DeviceStore for Store {
    fn health(&self) -> watch::Receiver<StorageHealth> {
        Store::health(self)
    }

    fn retry(&self) {
        Store::retry(self)
    }

    fn journal_append(&self, doc_id: &str, data: &[u8]) -> Result<(), StoreError> {
        Store::journal_append(self, doc_id, data)
    }

    fn journal(&self) -> Result<Vec<(i64, String, Vec<u8>)>, StoreError> {
        Store::journal(self)
    }

    fn journal_clear(&self) -> Result<(), StoreError> {
        Store::journal_clear(self)
    }

    fn journal_remove(&self, entry: i64) -> Result<(), StoreError> {
        Store::journal_remove(self, entry)
    }

    fn holds_document(&self, doc_id: &str) -> bool {
        Store::holds_document(self, doc_id)
    }

    fn all_written(&self) -> bool {
        Store::all_written(self)
    }

    fn index_document(&self, entry: &IndexEntry) -> Result<(), StoreError> {
        Store::index_document(self, entry)
    }

    fn documents(&self) -> Result<Vec<IndexEntry>, StoreError> {
        Store::documents(self)
    }

    fn mark_shared(&self, doc_id: &str) -> Result<(), StoreError> {
        Store::mark_shared(self, doc_id)
    }

    fn forget_document(&self, doc_id: &str) -> Result<(), StoreError> {
        Store::forget_document(self, doc_id)
    }

    fn add_pending_registration(&self, doc_id: &str, request: &str) -> Result<(), StoreError> {
        Store::add_pending_registration(self, doc_id, request)
    }

    fn pending_registrations(&self) -> Result<Vec<(String, String)>, StoreError> {
        Store::pending_registrations(self)
    }

    fn remove_pending_registration(&self, doc_id: &str) -> Result<(), StoreError> {
        Store::remove_pending_registration(self, doc_id)
    }

    fn set_sync_mark(&self, doc_id: &str, mark: &SyncMark) -> Result<(), StoreError> {
        Store::set_sync_mark(self, doc_id, mark)
    }

    fn sync_mark(&self, doc_id: &str) -> Result<Option<SyncMark>, StoreError> {
        Store::sync_mark(self, doc_id)
    }

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Store::setting(self, key)
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        Store::set_setting(self, key, value)
    }

    fn settings_starting(&self, prefix: &str) -> Result<Vec<(String, String)>, StoreError> {
        Store::settings_starting(self, prefix)
    }

    fn remove_setting(&self, key: &str) -> Result<(), StoreError> {
        Store::remove_setting(self, key)
    }

    fn checkpoint(&self) -> Result<(), StoreError> {
        Store::checkpoint(self)
    }

    fn erase_document(&self, doc_id: &str) -> Result<(), StoreError> {
        Store::erase_document(self, doc_id)
    }

    fn erase_everything(&self) -> Result<(), StoreError> {
        Store::erase_everything(self)
    }
}

impl samod::storage::Storage for Store {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        let found = self.load_chunk(&key.to_string());
        async move { found }
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        let found = self
            .load_chunk_range(&prefix.to_string())
            .into_iter()
            .filter_map(|(key, data)| {
                StorageKey::from_parts(key.split('/'))
                    .ok()
                    .map(|key| (key, data))
            })
            .collect();
        async move { found }
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        self.write_chunk(key.to_string(), Some(data));
        async {}
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        self.write_chunk(key.to_string(), None);
        async {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryStore;
    use samod::storage::Storage;

    /// What a device relies on, asked of a store: the same answers from SQLite and from memory.
    async fn keeps_its_contract<S: DeviceStore + Storage>(store: S) {
        let entry = |id: &str, local_only: bool| IndexEntry {
            doc_id: id.into(),
            kind: "notes".into(),
            title: id.into(),
            local_only,
            shared: false,
        };
        store.index_document(&entry("b", true)).unwrap();
        store.index_document(&entry("a", false)).unwrap();
        store.index_document(&entry("b", false)).unwrap();
        store.mark_shared("a").unwrap();
        let docs = store.documents().unwrap();
        let ids: Vec<&str> = docs.iter().map(|e| e.doc_id.as_str()).collect();
        assert_eq!(ids, ["b", "a"], "in the order first listed");
        assert!(docs[0].local_only, "local-only is decided once");
        assert!(docs[1].shared);
        store.forget_document("b").unwrap();
        assert_eq!(store.documents().unwrap().len(), 1);

        store.set_setting("private:g1", "d1").unwrap();
        store.set_setting("private:g2", "d2").unwrap();
        store.set_setting("server", "http://x").unwrap();
        assert_eq!(store.settings_starting("private:").unwrap().len(), 2);
        store.remove_setting("server").unwrap();
        assert_eq!(store.setting("server").unwrap(), None);
        assert_eq!(store.setting("private:g1").unwrap().as_deref(), Some("d1"));

        store.journal_append("a", b"one").unwrap();
        store.journal_append("a", b"two").unwrap();
        let journal = store.journal().unwrap();
        assert_eq!(journal.len(), 2);
        assert!(journal[0].0 < journal[1].0, "entries in order");
        store.journal_remove(journal[0].0).unwrap();
        assert_eq!(store.journal().unwrap()[0].2, b"two");
        store.journal_clear().unwrap();
        assert!(store.journal().unwrap().is_empty());

        store.add_pending_registration("a", "{}").unwrap();
        assert_eq!(store.pending_registrations().unwrap().len(), 1);
        store.remove_pending_registration("a").unwrap();
        assert!(store.pending_registrations().unwrap().is_empty());

        let mark = SyncMark {
            heads: vec!["h1".into(), "h2".into()],
            synced_at: "2026-11-30T08:00:00Z".into(),
        };
        store.set_sync_mark("a", &mark).unwrap();
        assert_eq!(store.sync_mark("a").unwrap(), Some(mark));

        assert!(!store.holds_document("doc"));
        store
            .put(key(&["doc", "snapshot", "1"]), b"x".to_vec())
            .await;
        store
            .put(key(&["doc", "incremental", "2"]), b"y".to_vec())
            .await;
        store
            .put(key(&["docs", "snapshot", "3"]), b"z".to_vec())
            .await;
        assert!(store.holds_document("doc"));
        assert_eq!(store.load_range(key(&["doc"])).await.len(), 2, "not docs/…");
        store.delete(key(&["doc", "snapshot", "1"])).await;
        assert_eq!(store.load(key(&["doc", "snapshot", "1"])).await, None);
        assert_eq!(
            store
                .load(key(&["doc", "incremental", "2"]))
                .await
                .as_deref(),
            Some(&b"y"[..])
        );
        assert!(store.all_written());
        assert_eq!(*store.health().borrow(), StorageHealth::Ok);
    }

    #[tokio::test]
    async fn the_sqlite_store_keeps_the_device_contract() {
        let dir = tempfile::tempdir().unwrap();
        keeps_its_contract(Store::open(&dir.path().join("device.sqlite")).unwrap()).await;
    }

    #[tokio::test]
    async fn the_memory_store_keeps_the_same_contract() {
        keeps_its_contract(MemoryStore::new()).await;
    }

    fn key(parts: &[&str]) -> StorageKey {
        StorageKey::from_parts(parts).unwrap()
    }

    #[tokio::test]
    async fn chunks_survive_reopening_and_ranges_do_not_leak_into_neighbours() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("device.sqlite");
        {
            let store = Store::open(&path).unwrap();
            store.put(key(&["doc1", "incremental", "a"]), vec![1]).await;
            store.put(key(&["doc1", "snapshot", "b"]), vec![2]).await;
            store
                .put(key(&["doc10", "incremental", "c"]), vec![3])
                .await;
            store.delete(key(&["doc1", "snapshot", "b"])).await;
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.load(key(&["doc1", "incremental", "a"])).await,
            Some(vec![1])
        );
        assert_eq!(store.load(key(&["doc1", "snapshot", "b"])).await, None);
        let range = store.load_range(key(&["doc1"])).await;
        assert_eq!(range.len(), 1, "{range:?}");
        assert!(range.contains_key(&key(&["doc1", "incremental", "a"])));
    }

    #[tokio::test]
    async fn a_write_that_keeps_failing_holds_back_no_other_and_costs_no_rewrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("device.sqlite");
        let store = Store::open(&path).unwrap();
        store
            .execute_raw(
                "CREATE TEMP TRIGGER poisoned BEFORE INSERT ON chunks WHEN NEW.key = 'doc/incremental/bad'
                   BEGIN SELECT RAISE(FAIL, 'this write never succeeds'); END;",
            )
            .unwrap();
        store
            .put(key(&["doc", "incremental", "bad"]), vec![0])
            .await;
        for i in 0..1000 {
            store
                .put(key(&["doc", "incremental", &format!("good{i}")]), vec![1])
                .await;
        }
        store.retry();
        assert!(matches!(
            *store.health().borrow(),
            StorageHealth::Failing { waiting: 1, .. }
        ));
        let on_disk = Store::open(&path).unwrap();
        assert_eq!(
            on_disk.chunk_stats().unwrap().0,
            1000,
            "every good write is on disk"
        );
        assert_eq!(
            store.load(key(&["doc", "incremental", "bad"])).await,
            Some(vec![0]),
            "the failing one is still served from memory"
        );
    }

    #[tokio::test]
    async fn a_full_disk_keeps_writes_in_memory_reports_it_and_writes_them_later() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("device.sqlite")).unwrap();
        let pages: i64 = store
            .db()
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        store
            .execute_raw(&format!("PRAGMA max_page_count = {pages}"))
            .unwrap();
        let big = vec![7u8; 64 * 1024];
        store
            .put(key(&["doc", "incremental", "x"]), big.clone())
            .await;
        assert!(matches!(
            *store.health().borrow(),
            StorageHealth::Failing { waiting: 1, .. }
        ));
        // Readers still see the write.
        assert_eq!(
            store.load(key(&["doc", "incremental", "x"])).await,
            Some(big.clone())
        );
        assert_eq!(store.load_range(key(&["doc"])).await.len(), 1);
        // Room again: the next retry writes it, and it survives reopening.
        store
            .execute_raw("PRAGMA max_page_count = 1073741823")
            .unwrap();
        store.retry();
        assert_eq!(*store.health().borrow(), StorageHealth::Ok);
        let reopened = Store::open(&dir.path().join("device.sqlite")).unwrap();
        assert_eq!(
            reopened.load(key(&["doc", "incremental", "x"])).await,
            Some(big)
        );
    }

    #[test]
    fn the_index_lists_documents_in_the_order_they_were_added() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("d.sqlite")).unwrap();
        for (id, kind) in [("b", "group"), ("a", "notes")] {
            store
                .index_document(&IndexEntry {
                    doc_id: id.into(),
                    kind: kind.into(),
                    title: format!("title {id}"),
                    local_only: false,
                    shared: true,
                })
                .unwrap();
        }
        let ids: Vec<String> = store
            .documents()
            .unwrap()
            .into_iter()
            .map(|e| e.doc_id)
            .collect();
        assert_eq!(ids, vec!["b", "a"]);
        store
            .set_sync_mark(
                "a",
                &SyncMark {
                    heads: vec!["h1".into(), "h2".into()],
                    synced_at: "t".into(),
                },
            )
            .unwrap();
        assert_eq!(
            store.sync_mark("a").unwrap().unwrap().heads,
            vec!["h1", "h2"]
        );
        assert_eq!(store.sync_mark("b").unwrap(), None);
    }
}
