//! # pm-store
//!
//! What a device keeps (and the sync server under its samod): the Automerge documents through
//! samod's [`samod::storage::Storage`] trait, plus the device's own tables behind
//! [`DeviceStore`]: an index of its documents (so it can list them without loading any), the
//! journal of local edits, the last state each document was known to be synced in, waiting
//! registrations and settings. Three stores keep that contract: [`Store`], one SQLite file (not
//! in a browser build), [`MemoryStore`], in memory, and `BrowserStore`, IndexedDB behind memory
//! (only in a browser build).

use std::future::Future;
use std::pin::Pin;

use tokio::sync::watch;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod indexed_db;
mod memory;
#[cfg(not(target_arch = "wasm32"))]
mod sqlite;

#[cfg(target_arch = "wasm32")]
pub use browser::BrowserStore;
pub use memory::MemoryStore;
#[cfg(not(target_arch = "wasm32"))]
pub use sqlite::Store;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[cfg(not(target_arch = "wasm32"))]
    #[error("cannot open the local database at {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[cfg(not(target_arch = "wasm32"))]
    #[error("local database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[cfg(target_arch = "wasm32")]
    #[error("the browser's storage: {0}")]
    Browser(String),
}

/// Whether every write so far reached the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageHealth {
    Ok,
    /// Some writes are held in memory because the disk refused them.
    Failing {
        waiting: usize,
        error: String,
    },
}

/// One document the device keeps, as listed without loading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub doc_id: String,
    pub kind: String,
    pub title: String,
    /// Never offered to the sync server (the demo programme).
    pub local_only: bool,
    /// Offered to the sync server (false while the server has not yet been told who may have it).
    pub shared: bool,
}

/// When a document was last seen fully synced with the server, and at which heads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncMark {
    pub heads: Vec<String>,
    pub synced_at: String,
}

/// What a device needs of its store, beside samod's document storage: the document index, the
/// journal of local edits, sync marks, waiting registrations and settings. The SQLite `Store`
/// keeps them in a file; [`MemoryStore`] in memory (tests, and a browser until it has its own).
pub trait DeviceStore: Send + Sync + 'static {
    /// Whether every write so far reached the disk, followed as it changes.
    fn health(&self) -> watch::Receiver<StorageHealth>;

    /// Tries the writes the disk refused again.
    fn retry(&self);

    /// Waits until every write made so far is durable, or says why it is not. Stores that write
    /// before they return (SQLite, memory) are done at once; the browser's writes behind.
    fn written(&self) -> Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send>> {
        Box::pin(async { Ok(()) })
    }

    /// Appends the changes of one local edit; kept before it returns.
    fn journal_append(&self, doc_id: &str, data: &[u8]) -> Result<(), StoreError>;

    /// The journal's entries: (entry, document, changes), oldest first.
    fn journal(&self) -> Result<Vec<(i64, String, Vec<u8>)>, StoreError>;

    /// Empties the journal (every change in it is stored with its document).
    fn journal_clear(&self) -> Result<(), StoreError>;

    /// Drops one journal entry.
    fn journal_remove(&self, entry: i64) -> Result<(), StoreError>;

    /// Whether any part of a document is stored.
    fn holds_document(&self, doc_id: &str) -> bool;

    /// Whether nothing waits for the disk.
    fn all_written(&self) -> bool;

    /// Lists a document (or updates its kind, title and whether it is shared).
    fn index_document(&self, entry: &IndexEntry) -> Result<(), StoreError>;

    /// The documents this device keeps, oldest first.
    fn documents(&self) -> Result<Vec<IndexEntry>, StoreError>;

    /// Notes that a document may now be offered to the server.
    fn mark_shared(&self, doc_id: &str) -> Result<(), StoreError>;

    /// Takes a document off the list.
    fn forget_document(&self, doc_id: &str) -> Result<(), StoreError>;

    /// Keeps a registration the server has not answered yet.
    fn add_pending_registration(&self, doc_id: &str, request: &str) -> Result<(), StoreError>;

    /// The registrations waiting for the server.
    fn pending_registrations(&self) -> Result<Vec<(String, String)>, StoreError>;

    /// Drops a registration the server answered.
    fn remove_pending_registration(&self, doc_id: &str) -> Result<(), StoreError>;

    /// Records when a document was last fully synced, and at which heads.
    fn set_sync_mark(&self, doc_id: &str, mark: &SyncMark) -> Result<(), StoreError>;

    /// When a document was last fully synced.
    fn sync_mark(&self, doc_id: &str) -> Result<Option<SyncMark>, StoreError>;

    /// A setting of this device.
    fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Sets a setting.
    fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError>;

    /// The settings whose key starts with `prefix`.
    fn settings_starting(&self, prefix: &str) -> Result<Vec<(String, String)>, StoreError>;

    /// Removes a setting.
    fn remove_setting(&self, key: &str) -> Result<(), StoreError>;

    /// Makes what was written durable in its final place (before closing).
    fn checkpoint(&self) -> Result<(), StoreError>;

    /// Deletes a document with its whole history from this device: its chunks, index entry,
    /// sync mark, waiting registration and journal entries (a document erased on the server).
    fn erase_document(&self, doc_id: &str) -> Result<(), StoreError>;

    /// Deletes everything this device keeps (its person erased her data): afterwards nothing
    /// of hers is in its storage, and it starts as a new device.
    fn erase_everything(&self) -> Result<(), StoreError>;
}

/// A store a device can run on: its own tables and samod's document chunks, shared by clones.
pub trait DeviceStorage: DeviceStore + samod::storage::Storage + Clone {}

impl<S: DeviceStore + samod::storage::Storage + Clone> DeviceStorage for S {}
