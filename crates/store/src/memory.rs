//! A store that keeps everything in memory: for a device that must not or cannot write files (a
//! browser before its own store exists, tests), with the same contract as the SQLite store.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use samod::storage::StorageKey;
use tokio::sync::watch;

use crate::{DeviceStore, IndexEntry, StorageHealth, StoreError, SyncMark};

/// The store's contents; clones share them.
#[derive(Clone)]
pub struct MemoryStore {
    inner: Arc<Mutex<Memory>>,
    health: Arc<watch::Sender<StorageHealth>>,
}

#[derive(Default)]
struct Memory {
    chunks: BTreeMap<String, Vec<u8>>,
    /// In the order they were first indexed.
    documents: Vec<IndexEntry>,
    sync_marks: HashMap<String, SyncMark>,
    pending: BTreeMap<String, String>,
    settings: BTreeMap<String, String>,
    journal: Vec<(i64, String, Vec<u8>)>,
    next_entry: i64,
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore {
            inner: Arc::default(),
            health: Arc::new(watch::channel(StorageHealth::Ok).0),
        }
    }
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn memory(&self) -> MutexGuard<'_, Memory> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The keys of the chunks stored for a document.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn chunk_keys(&self, doc_id: &str) -> Vec<String> {
        self.memory()
            .chunks
            .keys()
            .filter(|key| chunk_of(key, doc_id))
            .cloned()
            .collect()
    }
}

impl DeviceStore for MemoryStore {
    fn health(&self) -> watch::Receiver<StorageHealth> {
        self.health.subscribe()
    }

    fn retry(&self) {}

    fn journal_append(&self, doc_id: &str, data: &[u8]) -> Result<(), StoreError> {
        let mut memory = self.memory();
        memory.next_entry += 1;
        let entry = memory.next_entry;
        memory
            .journal
            .push((entry, doc_id.to_owned(), data.to_vec()));
        Ok(())
    }

    fn journal(&self) -> Result<Vec<(i64, String, Vec<u8>)>, StoreError> {
        Ok(self.memory().journal.clone())
    }

    fn journal_clear(&self) -> Result<(), StoreError> {
        self.memory().journal.clear();
        Ok(())
    }

    fn journal_remove(&self, entry: i64) -> Result<(), StoreError> {
        self.memory().journal.retain(|(e, _, _)| *e != entry);
        Ok(())
    }

    fn holds_document(&self, doc_id: &str) -> bool {
        let lower = format!("{doc_id}/");
        self.memory()
            .chunks
            .range(lower.clone()..)
            .next()
            .is_some_and(|(key, _)| key.starts_with(&lower))
    }

    fn all_written(&self) -> bool {
        true
    }

    fn index_document(&self, entry: &IndexEntry) -> Result<(), StoreError> {
        let mut memory = self.memory();
        match memory
            .documents
            .iter_mut()
            .find(|e| e.doc_id == entry.doc_id)
        {
            // As in the SQLite store: whether it is local-only is decided once.
            Some(known) => {
                known.kind = entry.kind.clone();
                known.title = entry.title.clone();
                known.shared = entry.shared;
            }
            None => memory.documents.push(entry.clone()),
        }
        Ok(())
    }

    fn documents(&self) -> Result<Vec<IndexEntry>, StoreError> {
        Ok(self.memory().documents.clone())
    }

    fn mark_shared(&self, doc_id: &str) -> Result<(), StoreError> {
        if let Some(entry) = self
            .memory()
            .documents
            .iter_mut()
            .find(|e| e.doc_id == doc_id)
        {
            entry.shared = true;
        }
        Ok(())
    }

    fn forget_document(&self, doc_id: &str) -> Result<(), StoreError> {
        let mut memory = self.memory();
        memory.documents.retain(|e| e.doc_id != doc_id);
        memory.sync_marks.remove(doc_id);
        Ok(())
    }

    fn add_pending_registration(&self, doc_id: &str, request: &str) -> Result<(), StoreError> {
        self.memory()
            .pending
            .insert(doc_id.to_owned(), request.to_owned());
        Ok(())
    }

    fn pending_registrations(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(self
            .memory()
            .pending
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    fn remove_pending_registration(&self, doc_id: &str) -> Result<(), StoreError> {
        self.memory().pending.remove(doc_id);
        Ok(())
    }

    fn set_sync_mark(&self, doc_id: &str, mark: &SyncMark) -> Result<(), StoreError> {
        self.memory()
            .sync_marks
            .insert(doc_id.to_owned(), mark.clone());
        Ok(())
    }

    fn sync_mark(&self, doc_id: &str) -> Result<Option<SyncMark>, StoreError> {
        Ok(self.memory().sync_marks.get(doc_id).cloned())
    }

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.memory().settings.get(key).cloned())
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.memory()
            .settings
            .insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn settings_starting(&self, prefix: &str) -> Result<Vec<(String, String)>, StoreError> {
        Ok(self
            .memory()
            .settings
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    fn remove_setting(&self, key: &str) -> Result<(), StoreError> {
        self.memory().settings.remove(key);
        Ok(())
    }

    fn checkpoint(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn erase_document(&self, doc_id: &str) -> Result<(), StoreError> {
        let mut memory = self.memory();
        memory.chunks.retain(|key, _| !chunk_of(key, doc_id));
        memory.documents.retain(|e| e.doc_id != doc_id);
        memory.sync_marks.remove(doc_id);
        memory.pending.remove(doc_id);
        memory.journal.retain(|(_, doc, _)| doc != doc_id);
        Ok(())
    }

    fn erase_everything(&self) -> Result<(), StoreError> {
        *self.memory() = Memory::default();
        Ok(())
    }
}

/// Whether a chunk key (samod's `docId/incremental/…`, `docId/snapshot/…`) is of `doc_id`.
pub(crate) fn chunk_of(key: &str, doc_id: &str) -> bool {
    key.strip_prefix(doc_id)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

impl samod::storage::Storage for MemoryStore {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        let found = self.memory().chunks.get(&key.to_string()).cloned();
        async move { found }
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        let prefix = prefix.to_string();
        let lower = format!("{prefix}/");
        let found = self
            .memory()
            .chunks
            .iter()
            .filter(|(key, _)| **key == prefix || key.starts_with(&lower))
            .filter_map(|(key, data)| {
                StorageKey::from_parts(key.split('/'))
                    .ok()
                    .map(|key| (key, data.clone()))
            })
            .collect();
        async move { found }
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        self.memory().chunks.insert(key.to_string(), data);
        async {}
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        self.memory().chunks.remove(&key.to_string());
        async {}
    }
}
