//! The browser's store (the phone's web app): everything is read from IndexedDB when the app
//! starts and then kept in memory ([`MemoryStore`]); every change is written to IndexedDB in
//! the background, in order, in durable transactions. [`DeviceStore::written`] waits until the
//! changes made so far are there, so the device says "saved" only once they are; when the browser
//! refuses a write (storage full, storage taken away) the changes stay in memory, the health says
//! how many wait, and they are tried again.
//!
//! Keys in the one IndexedDB object store: `c/<chunk>` samod's document chunks, `d/<doc>` the
//! index, `m/<doc>` sync marks, `p/<doc>` waiting registrations, `s/<key>` settings,
//! `j/<entry>` the journal.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures::StreamExt;
use futures::channel::mpsc;
use samod::storage::{Storage, StorageKey};
use serde_json::{Value, json};
use tokio::sync::{Notify, watch};

use crate::indexed_db::{Database, Write};
use crate::{DeviceStore, IndexEntry, MemoryStore, StorageHealth, StoreError, SyncMark};

/// How long a refused write waits before it is tried again by itself.
const RETRY_EVERY: Duration = Duration::from_secs(5);

/// The journal's entries: (entry, document, changes).
type Journal = Vec<(i64, String, Vec<u8>)>;

/// A device's store in the browser; clones share it.
#[derive(Clone)]
pub struct BrowserStore {
    memory: MemoryStore,
    journal: Arc<Mutex<Journal>>,
    next_entry: Arc<AtomicU64>,
    /// Order of documents in the index (oldest first), kept with each entry.
    document_order: Arc<Mutex<HashMap<String, u64>>>,
    writes: mpsc::UnboundedSender<(u64, Write)>,
    queued: Arc<AtomicU64>,
    progress: Arc<watch::Sender<Progress>>,
    health: Arc<watch::Sender<StorageHealth>>,
    retry: Arc<Notify>,
}

/// How far the writer got.
#[derive(Debug, Clone, Default)]
struct Progress {
    /// Every write up to this number is durable.
    written: u64,
    /// Why the last attempt failed, while writes wait.
    failing: Option<String>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl BrowserStore {
    /// Opens the store kept in the IndexedDB database `name`, reading all of it.
    pub async fn open(name: &str) -> Result<BrowserStore, StoreError> {
        let db = Database::open(name).await.map_err(StoreError::Browser)?;
        let contents = db.read_all().await.map_err(StoreError::Browser)?;
        let memory = MemoryStore::new();
        let mut journal = Vec::new();
        let mut documents = Vec::new();
        let mut order = HashMap::new();
        for (key, value) in contents {
            let Some((kind, rest)) = key.split_once('/') else {
                continue;
            };
            let text = || String::from_utf8_lossy(&value).into_owned();
            match kind {
                "c" => {
                    if let Ok(key) = StorageKey::from_parts(rest.split('/')) {
                        memory.put(key, value).await;
                    }
                }
                "d" => {
                    if let Ok(entry) = serde_json::from_slice::<Value>(&value) {
                        let n = entry["n"].as_u64().unwrap_or(0);
                        order.insert(rest.to_owned(), n);
                        documents.push((n, index_entry(rest, &entry)));
                    }
                }
                "m" => {
                    if let Ok(mark) = serde_json::from_slice::<Value>(&value) {
                        let heads = mark["heads"]
                            .as_array()
                            .map(|h| {
                                h.iter()
                                    .filter_map(|h| h.as_str().map(str::to_owned))
                                    .collect()
                            })
                            .unwrap_or_default();
                        let synced_at = mark["synced_at"].as_str().unwrap_or_default().to_owned();
                        memory.set_sync_mark(rest, &SyncMark { heads, synced_at })?;
                    }
                }
                "p" => memory.add_pending_registration(rest, &text())?,
                "s" => memory.set_setting(rest, &text())?,
                "j" => {
                    if let (Ok(entry), Some((doc, data))) =
                        (rest.parse::<i64>(), split_entry(&value))
                    {
                        journal.push((entry, doc, data));
                    }
                }
                _ => {}
            }
        }
        documents.sort_by_key(|(n, _)| *n);
        for (_, entry) in &documents {
            memory.index_document(entry)?;
        }
        let next_entry = journal.iter().map(|(e, _, _)| *e).max().unwrap_or(0) as u64 + 1;
        let (writes, queue) = mpsc::unbounded();
        let store = BrowserStore {
            memory,
            journal: Arc::new(Mutex::new(journal)),
            next_entry: Arc::new(AtomicU64::new(next_entry)),
            document_order: Arc::new(Mutex::new(order)),
            writes,
            queued: Arc::default(),
            progress: Arc::new(watch::channel(Progress::default()).0),
            health: Arc::new(watch::channel(StorageHealth::Ok).0),
            retry: Arc::default(),
        };
        wasm_bindgen_futures::spawn_local(write_behind(
            db,
            queue,
            store.progress.clone(),
            store.health.clone(),
            store.queued.clone(),
            store.retry.clone(),
        ));
        Ok(store)
    }

    fn queue(&self, write: Write) {
        let number = self.queued.fetch_add(1, Ordering::SeqCst) + 1;
        // The writer ends only with the page, so the channel is open while the store is.
        let _ = self.writes.unbounded_send((number, write));
    }

    fn put(&self, key: String, value: impl Into<Vec<u8>>) {
        self.queue(Write::Put(key, value.into()));
    }

    fn delete(&self, key: String) {
        self.queue(Write::Delete(key));
    }

    fn put_document(&self, entry: &IndexEntry) {
        let n = {
            let mut order = lock(&self.document_order);
            // After every number given so far (a forgotten document's number is not reused).
            let next = order.values().max().map_or(0, |n| n + 1);
            *order.entry(entry.doc_id.clone()).or_insert(next)
        };
        // As stored in memory: whether it is local-only was decided when it was first indexed.
        let stored = self
            .memory
            .documents()
            .ok()
            .and_then(|d| d.into_iter().find(|e| e.doc_id == entry.doc_id))
            .unwrap_or_else(|| entry.clone());
        let value = json!({
            "n": n,
            "kind": stored.kind,
            "title": stored.title,
            "local_only": stored.local_only,
            "shared": stored.shared,
        });
        self.put(format!("d/{}", entry.doc_id), value.to_string());
    }
}

fn index_entry(doc_id: &str, value: &Value) -> IndexEntry {
    IndexEntry {
        doc_id: doc_id.to_owned(),
        kind: value["kind"].as_str().unwrap_or_default().to_owned(),
        title: value["title"].as_str().unwrap_or_default().to_owned(),
        local_only: value["local_only"].as_bool().unwrap_or(false),
        shared: value["shared"].as_bool().unwrap_or(false),
    }
}

/// A journal entry's value: the document id's length (4 bytes, little-endian), the id, the changes.
fn journal_value(doc_id: &str, data: &[u8]) -> Vec<u8> {
    let mut value = Vec::with_capacity(4 + doc_id.len() + data.len());
    value.extend_from_slice(&(doc_id.len() as u32).to_le_bytes());
    value.extend_from_slice(doc_id.as_bytes());
    value.extend_from_slice(data);
    value
}

fn split_entry(value: &[u8]) -> Option<(String, Vec<u8>)> {
    let length = u32::from_le_bytes(value.get(..4)?.try_into().ok()?) as usize;
    let end = length.checked_add(4)?;
    let doc = std::str::from_utf8(value.get(4..end)?).ok()?;
    Some((doc.to_owned(), value.get(end..)?.to_vec()))
}

/// Journal keys sort in the order the entries were made.
fn journal_key(entry: i64) -> String {
    format!("j/{entry:016}")
}

/// Writes what the store queues, in order, a batch per transaction; keeps a refused batch and
/// tries it again (with what was queued meanwhile) after [`RETRY_EVERY`] or when asked.
async fn write_behind(
    db: Database,
    mut queue: mpsc::UnboundedReceiver<(u64, Write)>,
    progress: Arc<watch::Sender<Progress>>,
    health: Arc<watch::Sender<StorageHealth>>,
    queued: Arc<AtomicU64>,
    retry: Arc<Notify>,
) {
    let mut batch: Vec<(u64, Write)> = Vec::new();
    loop {
        if batch.is_empty() {
            match queue.next().await {
                Some(write) => batch.push(write),
                None => return,
            }
        }
        while let Ok(write) = queue.try_recv() {
            batch.push(write);
        }
        let last = batch.last().map(|(n, _)| *n).unwrap_or(0);
        let writes: Vec<Write> = batch.iter().map(|(_, w)| w.clone()).collect();
        match db.write(&writes).await {
            Ok(()) => {
                batch.clear();
                progress.send_replace(Progress {
                    written: last,
                    failing: None,
                });
                if queued.load(Ordering::SeqCst) == last {
                    health.send_if_modified(|h| {
                        let changed = *h != StorageHealth::Ok;
                        *h = StorageHealth::Ok;
                        changed
                    });
                }
            }
            Err(error) => {
                tracing::error!(%error, waiting = batch.len(), "the browser refused to store changes");
                progress.send_modify(|p| p.failing = Some(error.clone()));
                health.send_replace(StorageHealth::Failing {
                    waiting: batch.len(),
                    error,
                });
                let retried = retry.notified();
                futures::future::select(
                    Box::pin(retried),
                    Box::pin(futures_timer::Delay::new(RETRY_EVERY)),
                )
                .await;
            }
        }
    }
}

impl DeviceStore for BrowserStore {
    fn health(&self) -> watch::Receiver<StorageHealth> {
        self.health.subscribe()
    }

    fn retry(&self) {
        self.retry.notify_one();
    }

    fn written(&self) -> Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send>> {
        let target = self.queued.load(Ordering::SeqCst);
        let mut progress = self.progress.subscribe();
        Box::pin(async move {
            loop {
                {
                    let now = progress.borrow_and_update();
                    if now.written >= target {
                        return Ok(());
                    }
                    if let Some(error) = &now.failing {
                        return Err(StoreError::Browser(error.clone()));
                    }
                }
                if progress.changed().await.is_err() {
                    return Err(StoreError::Browser("the browser store stopped".into()));
                }
            }
        })
    }

    fn journal_append(&self, doc_id: &str, data: &[u8]) -> Result<(), StoreError> {
        let entry = self.next_entry.fetch_add(1, Ordering::SeqCst) as i64;
        lock(&self.journal).push((entry, doc_id.to_owned(), data.to_vec()));
        self.put(journal_key(entry), journal_value(doc_id, data));
        Ok(())
    }

    fn journal(&self) -> Result<Vec<(i64, String, Vec<u8>)>, StoreError> {
        Ok(lock(&self.journal).clone())
    }

    fn journal_clear(&self) -> Result<(), StoreError> {
        let entries: Vec<i64> = lock(&self.journal).drain(..).map(|(e, _, _)| e).collect();
        for entry in entries {
            self.delete(journal_key(entry));
        }
        Ok(())
    }

    fn journal_remove(&self, entry: i64) -> Result<(), StoreError> {
        lock(&self.journal).retain(|(e, _, _)| *e != entry);
        self.delete(journal_key(entry));
        Ok(())
    }

    fn holds_document(&self, doc_id: &str) -> bool {
        self.memory.holds_document(doc_id)
    }

    fn all_written(&self) -> bool {
        self.progress.borrow().written >= self.queued.load(Ordering::SeqCst)
    }

    fn index_document(&self, entry: &IndexEntry) -> Result<(), StoreError> {
        self.memory.index_document(entry)?;
        self.put_document(entry);
        Ok(())
    }

    fn documents(&self) -> Result<Vec<IndexEntry>, StoreError> {
        self.memory.documents()
    }

    fn mark_shared(&self, doc_id: &str) -> Result<(), StoreError> {
        self.memory.mark_shared(doc_id)?;
        if let Some(entry) = self
            .memory
            .documents()?
            .into_iter()
            .find(|e| e.doc_id == doc_id)
        {
            self.put_document(&entry);
        }
        Ok(())
    }

    fn forget_document(&self, doc_id: &str) -> Result<(), StoreError> {
        self.memory.forget_document(doc_id)?;
        lock(&self.document_order).remove(doc_id);
        self.delete(format!("d/{doc_id}"));
        self.delete(format!("m/{doc_id}"));
        Ok(())
    }

    fn add_pending_registration(&self, doc_id: &str, request: &str) -> Result<(), StoreError> {
        self.memory.add_pending_registration(doc_id, request)?;
        self.put(format!("p/{doc_id}"), request);
        Ok(())
    }

    fn pending_registrations(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.memory.pending_registrations()
    }

    fn remove_pending_registration(&self, doc_id: &str) -> Result<(), StoreError> {
        self.memory.remove_pending_registration(doc_id)?;
        self.delete(format!("p/{doc_id}"));
        Ok(())
    }

    fn set_sync_mark(&self, doc_id: &str, mark: &SyncMark) -> Result<(), StoreError> {
        self.memory.set_sync_mark(doc_id, mark)?;
        let value = json!({ "heads": mark.heads, "synced_at": mark.synced_at });
        self.put(format!("m/{doc_id}"), value.to_string());
        Ok(())
    }

    fn sync_mark(&self, doc_id: &str) -> Result<Option<SyncMark>, StoreError> {
        self.memory.sync_mark(doc_id)
    }

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.memory.setting(key)
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.memory.set_setting(key, value)?;
        self.put(format!("s/{key}"), value);
        Ok(())
    }

    fn settings_starting(&self, prefix: &str) -> Result<Vec<(String, String)>, StoreError> {
        self.memory.settings_starting(prefix)
    }

    fn remove_setting(&self, key: &str) -> Result<(), StoreError> {
        self.memory.remove_setting(key)?;
        self.delete(format!("s/{key}"));
        Ok(())
    }

    fn checkpoint(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn erase_document(&self, doc_id: &str) -> Result<(), StoreError> {
        for key in self.memory.chunk_keys(doc_id) {
            self.delete(format!("c/{key}"));
        }
        let entries: Vec<i64> = lock(&self.journal)
            .iter()
            .filter(|(_, doc, _)| doc == doc_id)
            .map(|(entry, _, _)| *entry)
            .collect();
        lock(&self.journal).retain(|(_, doc, _)| doc != doc_id);
        for entry in entries {
            self.delete(journal_key(entry));
        }
        lock(&self.document_order).remove(doc_id);
        for kind in ["d", "m", "p"] {
            self.delete(format!("{kind}/{doc_id}"));
        }
        self.memory.erase_document(doc_id)
    }

    fn erase_everything(&self) -> Result<(), StoreError> {
        lock(&self.journal).clear();
        lock(&self.document_order).clear();
        self.queue(Write::Clear);
        self.memory.erase_everything()
    }
}

impl Storage for BrowserStore {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        self.memory.load(key)
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        self.memory.load_range(prefix)
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        BrowserStore::put(self, format!("c/{key}"), data.clone());
        self.memory.put(key, data)
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        BrowserStore::delete(self, format!("c/{key}"));
        self.memory.delete(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_entry_reads_back_as_written() {
        let value = journal_value("doc-1", &[1, 2, 3]);
        assert_eq!(split_entry(&value), Some(("doc-1".into(), vec![1, 2, 3])));
        assert_eq!(split_entry(&[9, 0, 0, 0, b'a']), None);
        assert_eq!(split_entry(&[255, 255, 255, 255, b'a']), None);
        assert!(journal_key(2) < journal_key(10));
    }
}
