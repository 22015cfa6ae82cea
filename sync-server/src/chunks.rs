//! samod's document chunks on the server, written in groups. A `put` is queued and answered once
//! it is committed; one writer thread commits everything queued while it wrote the previous group
//! in one transaction, so the disk is synced once per group rather than once per chunk, and no
//! sync of the disk stops samod's task that also carries every connection's messages. Readers
//! see queued chunks at once. On SQLite, what the disk refuses waits in the store's memory
//! (`pm_store::Store::write_chunks`); on Postgres, a group the database refuses is written again
//! until it is taken, its `put`s unanswered meanwhile and the failure shown at `/health`.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use std::time::Duration;

use pm_store::{StorageHealth, Store};
use samod::storage::{Storage, StorageKey};
use tokio::sync::{oneshot, watch};

use crate::postgres::Postgres;

/// Where the chunks are kept.
#[derive(Clone)]
pub enum ChunkStore {
    Sqlite(Store),
    Postgres(Postgres),
}

/// A handle to the chunks; cheap to clone. The writer thread ends when the last handle goes.
#[derive(Clone)]
pub struct Chunks {
    store: ChunkStore,
    shared: Arc<Shared>,
    _owner: Arc<Owner>,
}

struct Shared {
    /// Postgres' part of `/health` (SQLite's store keeps its own).
    health: watch::Sender<StorageHealth>,
    queue: Mutex<Queue>,
    /// Rung when a write is queued or the last handle went.
    work: Condvar,
    /// Rung when a group is committed.
    drained: Condvar,
}

#[derive(Default)]
struct Queue {
    /// Writes not yet handed to the writer, in the order they came (`None` deletes).
    next: Vec<(String, Option<Vec<u8>>)>,
    /// Who waits for those writes.
    waiters: Vec<oneshot::Sender<()>>,
    /// The newest value of every key not committed yet, with the number of its write.
    pending: HashMap<String, (u64, Option<Vec<u8>>)>,
    /// Writes queued so far.
    written: u64,
    /// Whether the writer is committing a group.
    writing: bool,
    closed: bool,
}

/// Held by every handle: when the last goes, the writer thread ends.
struct Owner(Arc<Shared>);

impl Drop for Owner {
    fn drop(&mut self) {
        lock(&self.0.queue).closed = true;
        self.0.work.notify_all();
    }
}

fn lock(queue: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    // Every change to the queue is complete before its lock is let go.
    queue.lock().unwrap_or_else(|p| p.into_inner())
}

impl Chunks {
    /// Starts the writer thread over `store`.
    pub fn start(store: ChunkStore) -> std::io::Result<Chunks> {
        let shared = Arc::new(Shared {
            health: watch::channel(StorageHealth::Ok).0,
            queue: Mutex::default(),
            work: Condvar::new(),
            drained: Condvar::new(),
        });
        let writing = (store.clone(), shared.clone());
        std::thread::Builder::new()
            .name("chunk-writer".into())
            .spawn(move || write_groups(&writing.0, &writing.1))?;
        Ok(Chunks {
            store,
            _owner: Arc::new(Owner(shared.clone())),
            shared,
        })
    }

    /// Whether writes are being taken, or wait for the disk or the database.
    pub fn health(&self) -> StorageHealth {
        match &self.store {
            ChunkStore::Sqlite(store) => store.health().borrow().clone(),
            ChunkStore::Postgres(_) => self.shared.health.borrow().clone(),
        }
    }

    /// Whether any chunk of a document is kept (an unknown answer: yes).
    pub fn holds_document(&self, doc_id: &str) -> bool {
        match &self.store {
            ChunkStore::Sqlite(store) => store.holds_document(doc_id),
            ChunkStore::Postgres(pg) => pg.holds_document(doc_id).unwrap_or(true),
        }
    }

    /// How many chunks are kept, and how many bytes of them.
    pub fn stats(&self) -> Result<(i64, i64), String> {
        match &self.store {
            ChunkStore::Sqlite(store) => store.chunk_stats().map_err(|e| e.to_string()),
            ChunkStore::Postgres(pg) => pg.chunk_stats().map_err(|e| e.to_string()),
        }
    }

    /// Tries again what the disk refused (SQLite; Postgres' writer keeps trying by itself).
    pub fn retry(&self) {
        if let ChunkStore::Sqlite(store) = &self.store {
            store.retry();
        }
    }

    /// Writes SQLite's log back into its file, at shutdown.
    pub fn checkpoint(&self) -> Result<(), String> {
        match &self.store {
            ChunkStore::Sqlite(store) => store.checkpoint().map_err(|e| e.to_string()),
            ChunkStore::Postgres(_) => Ok(()),
        }
    }

    /// Deletes documents' chunks once every queued write is committed, so none of them can be
    /// written back after; writes wait meanwhile.
    pub fn erase_documents(&self, doc_ids: &[String]) -> Result<(), String> {
        // Held while erasing: no write can come in between.
        let _drained = self.drained(None);
        match &self.store {
            ChunkStore::Sqlite(store) => store.erase_documents(doc_ids).map_err(|e| e.to_string()),
            ChunkStore::Postgres(pg) => pg.erase_documents(doc_ids).map_err(|e| e.to_string()),
        }
    }

    /// Waits until every queued write is committed, for at most `patience`; whether it was.
    pub fn flush(&self, patience: Duration) -> bool {
        self.drained(Some(std::time::Instant::now() + patience))
            .is_some()
    }

    /// The queue once every write in it is committed (none, if `deadline` passed first).
    fn drained(&self, deadline: Option<std::time::Instant>) -> Option<MutexGuard<'_, Queue>> {
        let mut queue = lock(&self.shared.queue);
        while queue.writing || !queue.next.is_empty() {
            queue = match deadline {
                None => self
                    .shared
                    .drained
                    .wait(queue)
                    .unwrap_or_else(|p| p.into_inner()),
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(std::time::Instant::now());
                    if left.is_zero() {
                        return None;
                    }
                    self.shared
                        .drained
                        .wait_timeout(queue, left)
                        .unwrap_or_else(|p| p.into_inner())
                        .0
                }
            };
        }
        Some(queue)
    }

    fn enqueue(&self, key: String, data: Option<Vec<u8>>) -> oneshot::Receiver<()> {
        let (done, answer) = oneshot::channel();
        let mut queue = lock(&self.shared.queue);
        queue.written += 1;
        let number = queue.written;
        queue.pending.insert(key.clone(), (number, data.clone()));
        queue.next.push((key, data));
        queue.waiters.push(done);
        drop(queue);
        self.shared.work.notify_one();
        answer
    }

    fn pending(&self, key: &str) -> Option<Option<Vec<u8>>> {
        lock(&self.shared.queue)
            .pending
            .get(key)
            .map(|(_, data)| data.clone())
    }

    fn pending_under(&self, prefix: &str) -> Vec<(String, Option<Vec<u8>>)> {
        let under = format!("{prefix}/");
        lock(&self.shared.queue)
            .pending
            .iter()
            .filter(|(key, _)| *key == prefix || key.starts_with(&under))
            .map(|(key, (_, data))| (key.clone(), data.clone()))
            .collect()
    }
}

/// The writer thread: commits what is queued, a group at a time, until the last handle goes.
fn write_groups(store: &ChunkStore, shared: &Shared) {
    loop {
        let (group, waiters, last) = {
            let mut queue = lock(&shared.queue);
            while queue.next.is_empty() && !queue.closed {
                queue = shared.work.wait(queue).unwrap_or_else(|p| p.into_inner());
            }
            if queue.next.is_empty() {
                return;
            }
            queue.writing = true;
            let group = std::mem::take(&mut queue.next);
            let waiters = std::mem::take(&mut queue.waiters);
            (group, waiters, queue.written)
        };
        match store {
            ChunkStore::Sqlite(store) => store.write_chunks(group),
            ChunkStore::Postgres(pg) => write_until_taken(pg, &group, &shared.health),
        }
        {
            let mut queue = lock(&shared.queue);
            queue.pending.retain(|_, (number, _)| *number > last);
            queue.writing = false;
        }
        shared.drained.notify_all();
        for done in waiters {
            let _ = done.send(());
        }
    }
}

/// Writes a group to Postgres, again and again until it is taken: samod's `put` cannot fail, so
/// a write is never dropped; the failure is logged and shown at `/health` meanwhile.
fn write_until_taken(
    pg: &Postgres,
    group: &[(String, Option<Vec<u8>>)],
    health: &watch::Sender<StorageHealth>,
) {
    let mut pause = Duration::from_millis(50);
    loop {
        let started = std::time::Instant::now();
        match pg.write_chunks(group) {
            Ok(()) => {
                tracing::debug!(
                    chunks = group.len(),
                    ms = started.elapsed().as_secs_f64() * 1000.0,
                    "chunks written"
                );
                health.send_if_modified(|h| {
                    let was = *h != StorageHealth::Ok;
                    *h = StorageHealth::Ok;
                    was
                });
                return;
            }
            // Another server's transaction got in the way: at once again.
            Err(crate::db::DbError::Conflict) => {
                tracing::debug!(
                    chunks = group.len(),
                    "document writes collided; writing again"
                );
            }
            Err(e) => {
                tracing::error!(error = %e, chunks = group.len(), "the database refused document writes; trying again");
                health.send_replace(StorageHealth::Failing {
                    waiting: group.len(),
                    error: e.to_string(),
                });
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_secs(2));
            }
        }
    }
}

/// Reads from Postgres, again while it fails (for a while): samod's storage cannot report an
/// error, and a document read as absent would be asked of the devices instead.
async fn read_until_answered<T, F, Fut>(what: &str, read: F) -> Option<T>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, crate::db::DbError>>,
{
    let mut pause = Duration::from_millis(50);
    for _ in 0..12 {
        match read().await {
            Ok(found) => return Some(found),
            Err(e) => {
                tracing::warn!(error = %e, key = what, "reading a document from the database failed; trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
        }
    }
    tracing::error!(
        key = what,
        "the database did not answer; the document is read as absent"
    );
    None
}

impl Storage for Chunks {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        let queued = self.pending(&key.to_string());
        let store = self.store.clone();
        async move {
            if let Some(data) = queued {
                return data;
            }
            match store {
                ChunkStore::Sqlite(store) => store.load(key).await,
                ChunkStore::Postgres(pg) => {
                    let key = key.to_string();
                    read_until_answered(&key, || pg.load(key.clone()))
                        .await
                        .flatten()
                }
            }
        }
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        let queued = self.pending_under(&prefix.to_string());
        let store = self.store.clone();
        async move {
            let mut found = match store {
                ChunkStore::Sqlite(store) => store.load_range(prefix).await,
                ChunkStore::Postgres(pg) => {
                    let prefix = prefix.to_string();
                    read_until_answered(&prefix, || pg.load_range(prefix.clone()))
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|(key, data)| {
                            StorageKey::from_parts(key.split('/'))
                                .ok()
                                .map(|k| (k, data))
                        })
                        .collect()
                }
            };
            for (key, data) in queued {
                let Ok(key) = StorageKey::from_parts(key.split('/')) else {
                    continue;
                };
                match data {
                    Some(data) => found.insert(key, data),
                    None => found.remove(&key),
                };
            }
            found
        }
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        let committed = self.enqueue(key.to_string(), Some(data));
        async move {
            let _ = committed.await;
        }
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        let committed = self.enqueue(key.to_string(), None);
        async move {
            let _ = committed.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(parts: &[&str]) -> StorageKey {
        StorageKey::from_parts(parts.iter().copied()).unwrap()
    }

    #[tokio::test]
    async fn a_put_is_committed_when_it_returns_and_read_before() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chunks.sqlite");
        let chunks = Chunks::start(ChunkStore::Sqlite(Store::open(&path).unwrap())).unwrap();
        let doc = key(&["doc1", "incremental", "a"]);
        let put = chunks.put(doc.clone(), b"one".to_vec());
        assert_eq!(chunks.load(doc.clone()).await.as_deref(), Some(&b"one"[..]));
        put.await;
        // A second connection to the file sees it: it is committed, not only queued.
        let other = Store::open(&path).unwrap();
        assert_eq!(other.load(doc.clone()).await.as_deref(), Some(&b"one"[..]));

        let many: Vec<_> = (0..200)
            .map(|n| chunks.put(key(&["doc2", "incremental", &n.to_string()]), vec![n as u8]))
            .collect();
        chunks.delete(doc.clone()).await;
        assert_eq!(chunks.load(doc).await, None);
        futures::future::join_all(many).await;
        assert_eq!(other.load_range(key(&["doc2"])).await.len(), 200);
        assert_eq!(chunks.load_range(key(&["doc2"])).await.len(), 200);
    }

    #[tokio::test]
    async fn an_erasure_leaves_no_queued_chunk_to_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chunks.sqlite");
        let chunks = Chunks::start(ChunkStore::Sqlite(Store::open(&path).unwrap())).unwrap();
        let puts: Vec<_> = (0..50)
            .map(|n| chunks.put(key(&["gone", "incremental", &n.to_string()]), vec![1; 64]))
            .collect();
        chunks.erase_documents(&["gone".to_string()]).unwrap();
        futures::future::join_all(puts).await;
        assert!(chunks.load_range(key(&["gone"])).await.is_empty());
        assert!(!Store::open(&path).unwrap().holds_document("gone"));
    }
}
