//! samod's document chunks on the server, written in groups. A `put` is queued and answered once
//! it is committed; one writer thread commits everything queued while it wrote the previous group
//! in one transaction, so the disk is synced once per group rather than once per chunk, and no
//! sync of the disk stops samod's task that also carries every connection's messages. Readers
//! see queued chunks at once. What the disk refuses waits in the store's memory, as before
//! (`pm_store::Store::write_chunks`).

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use pm_store::{Store, StoreError};
use samod::storage::{Storage, StorageKey};
use tokio::sync::oneshot;

/// A handle to the chunks; cheap to clone. The writer thread ends when the last handle goes.
#[derive(Clone)]
pub struct Chunks {
    store: Store,
    shared: Arc<Shared>,
    _owner: Arc<Owner>,
}

struct Shared {
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
    pub fn start(store: Store) -> std::io::Result<Chunks> {
        let shared = Arc::new(Shared {
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

    /// The store underneath (its health, statistics and checkpoints).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Deletes documents' chunks once every queued write is committed, so none of them can be
    /// written back after; writes wait meanwhile.
    pub fn erase_documents(&self, doc_ids: &[String]) -> Result<(), StoreError> {
        let mut queue = lock(&self.shared.queue);
        while queue.writing || !queue.next.is_empty() {
            queue = self
                .shared
                .drained
                .wait(queue)
                .unwrap_or_else(|p| p.into_inner());
        }
        self.store.erase_documents(doc_ids)
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
fn write_groups(store: &Store, shared: &Shared) {
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
        store.write_chunks(group);
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

impl Storage for Chunks {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        let queued = self.pending(&key.to_string());
        let stored = queued.is_none().then(|| self.store.load(key));
        async move {
            match (queued, stored) {
                (Some(data), _) => data,
                (None, Some(stored)) => stored.await,
                (None, None) => None,
            }
        }
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        let queued = self.pending_under(&prefix.to_string());
        let stored = self.store.load_range(prefix);
        async move {
            let mut found = stored.await;
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
        let chunks = Chunks::start(Store::open(&path).unwrap()).unwrap();
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
        let chunks = Chunks::start(Store::open(&path).unwrap()).unwrap();
        let puts: Vec<_> = (0..50)
            .map(|n| chunks.put(key(&["gone", "incremental", &n.to_string()]), vec![1; 64]))
            .collect();
        chunks.erase_documents(&["gone".to_string()]).unwrap();
        futures::future::join_all(puts).await;
        assert!(chunks.load_range(key(&["gone"])).await.is_empty());
        assert!(!Store::open(&path).unwrap().holds_document("gone"));
    }
}
