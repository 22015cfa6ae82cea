//! A person's device: its local store, its sync engine, the documents it keeps, and the sync status
//! the person sees. This is what the app shell (and the system tests) drive; it holds no rules of
//! the programme, only the bookkeeping of documents.

use std::collections::{HashMap, HashSet};
#[cfg(not(target_arch = "wasm32"))]
use std::path::Path;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use automerge::Automerge;
use futures::StreamExt;
use tokio::sync::{Notify, broadcast, watch};
use url::Url;

use crate::runtime;
use crate::sync::{Doc, DocSync, Link, SyncEngine, SyncError};
use pm_documents::docs::{self, DocError, DocSchema};
use pm_domain::api::{SyncState, SyncStatus};
#[cfg(not(target_arch = "wasm32"))]
use pm_store::Store;
use pm_store::{
    DeviceStorage, DeviceStore, IndexEntry, MemoryStore, StorageHealth, StoreError, SyncMark,
};

/// The file inside a device's data directory that holds everything.
pub const DATABASE_FILE: &str = "device.sqlite";

#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Doc(#[from] DocError),
    #[error("document {0} is not on this device")]
    NotFound(String),
    #[error("document {0} may be read but not changed by this person")]
    ReadOnly(String),
}

/// Whether a new document may go to the sync server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// Never (the demo programme).
    Never,
    /// Once the server knows who may have it ([`Device::publish`]).
    Later,
    /// Right away.
    Now,
}

/// A device with its documents open and syncing.
pub struct Device {
    store: Arc<dyn DeviceStore>,
    engine: SyncEngine,
    docs: Mutex<HashMap<String, Doc>>,
    /// Indexed documents not found locally at start: looked for again whenever the link comes up.
    missing: Mutex<HashSet<String>>,
    status: watch::Sender<SyncStatus>,
    changed: broadcast::Sender<String>,
    wake: Arc<Notify>,
    tasks: Mutex<Vec<runtime::Task>>,
    /// Documents the server lets her read but not change (its directory says which).
    read_only: Mutex<HashSet<String>>,
}

impl Device {
    /// Opens the device whose data lives in `data_dir` (created if needed), with every indexed
    /// document open. Must run inside a tokio runtime.
    #[cfg(not(target_arch = "wasm32"))]
    pub async fn open(data_dir: &Path) -> Result<Arc<Device>, DeviceError> {
        std::fs::create_dir_all(data_dir).map_err(|source| DeviceError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        Device::open_on(Store::open(&data_dir.join(DATABASE_FILE))?).await
    }

    /// Opens a device that keeps everything in memory (nothing survives it): for tests, and for
    /// a browser until it has a store of its own.
    pub async fn open_in_memory() -> Result<Arc<Device>, DeviceError> {
        Device::open_on(MemoryStore::new()).await
    }

    /// Opens the device whose data the browser keeps in its IndexedDB database `name`.
    #[cfg(target_arch = "wasm32")]
    pub async fn open_in_browser(name: &str) -> Result<Arc<Device>, DeviceError> {
        Device::open_on(pm_store::BrowserStore::open(name).await?).await
    }

    /// Opens the device on `store`, with every indexed document open.
    async fn open_on(store: impl DeviceStorage) -> Result<Arc<Device>, DeviceError> {
        let peer_id = match store.setting("device_id")? {
            Some(id) => id,
            None => {
                let id = format!("device-{}", docs::new_id());
                store.set_setting("device_id", &id)?;
                id
            }
        };
        let engine = SyncEngine::start(store.clone(), &peer_id).await;
        let device = Arc::new(Device {
            store: Arc::new(store),
            engine,
            docs: Mutex::default(),
            missing: Mutex::default(),
            status: watch::channel(SyncStatus::default()).0,
            changed: broadcast::channel(256).0,
            wake: Arc::new(Notify::new()),
            tasks: Mutex::default(),
            read_only: Mutex::default(),
        });
        for entry in device.store.documents()? {
            device
                .engine
                .share(&entry.doc_id, entry.shared && !entry.local_only);
            match device.engine.find(&entry.doc_id).await? {
                Some(doc) => device.track(doc),
                None => {
                    lock(&device.missing).insert(entry.doc_id);
                }
            }
        }
        device.replay_journal().await?;
        let status_task = runtime::spawn(run_status(Arc::downgrade(&device)));
        lock(&device.tasks).push(status_task);
        device.wake.notify_one();
        Ok(device)
    }

    /// This device's peer id on the sync network.
    pub fn peer_id(&self) -> String {
        self.engine.peer_id()
    }

    pub fn store(&self) -> &dyn DeviceStore {
        self.store.as_ref()
    }

    /// Starts syncing with the server at `server`; reconnects by itself after losing it.
    pub fn connect(&self, server: &Url, credential: Option<String>) -> Result<(), DeviceError> {
        self.engine.connect(server, credential)?;
        Ok(())
    }

    /// Stops syncing; everything keeps working on the device.
    pub fn disconnect(&self) {
        self.engine.disconnect();
    }

    /// The sync status, updated as it changes.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.subscribe()
    }

    /// The ids of documents as they change, locally or from the server.
    pub fn changes(&self) -> broadcast::Receiver<String> {
        self.changed.subscribe()
    }

    /// The documents on this device, without loading them.
    pub fn documents(&self) -> Result<Vec<IndexEntry>, DeviceError> {
        Ok(self.store.documents()?)
    }

    /// Stores a new document, offered to the server as `sharing` says.
    pub async fn create<T: DocSchema>(
        &self,
        value: &T,
        title: &str,
        sharing: Sharing,
    ) -> Result<String, DeviceError> {
        let doc = self.engine.create(docs::create(value)?).await?;
        let id = doc.id();
        self.store.index_document(&IndexEntry {
            doc_id: id.clone(),
            kind: T::KIND.as_str().to_owned(),
            title: title.to_owned(),
            local_only: sharing == Sharing::Never,
            shared: sharing == Sharing::Now,
        })?;
        self.engine.share(&id, sharing == Sharing::Now);
        self.track(doc);
        Ok(id)
    }

    /// Offers a document made with [`Sharing::Later`] to the server, now that it knows who may
    /// have it.
    pub fn publish(&self, id: &str) -> Result<(), DeviceError> {
        self.store.mark_shared(id)?;
        self.engine.share(id, true);
        self.wake.notify_one();
        Ok(())
    }

    /// Stops keeping a document on this device's list (its copy is no longer shown or synced).
    pub fn forget(&self, id: &str) -> Result<(), DeviceError> {
        self.engine.share(id, false);
        lock(&self.docs).remove(id);
        self.store.forget_document(id)?;
        Ok(())
    }

    /// Deletes a document and its history from this device (it was erased on the server): it is
    /// no longer shown, synced or stored.
    pub fn erase_document(&self, id: &str) -> Result<(), DeviceError> {
        self.engine.share(id, false);
        lock(&self.docs).remove(id);
        lock(&self.missing).remove(id);
        self.store.erase_document(id)?;
        Ok(())
    }

    /// Stops syncing and deletes everything this device keeps (its person erased her data). The
    /// device cannot be used afterwards: the app starts again, as on a new device.
    pub async fn erase_everything(&self) -> Result<(), DeviceError> {
        self.close().await;
        lock(&self.docs).clear();
        self.store.erase_everything()?;
        // A browser's store writes behind: the page may start again only once it is empty.
        self.store.written().await?;
        Ok(())
    }

    /// Tells whoever follows [`Device::changes`] that what the screens show changed although no
    /// document did (the names the server's directory gives, a document dropped).
    pub fn announce(&self, what: &str) {
        let _ = self.changed.send(what.to_owned());
    }

    /// Waits (up to `timeout`) until the server holds exactly what this device has of a document.
    pub async fn wait_on_server(&self, id: &str, timeout: Duration) -> bool {
        let Some(doc) = self.open_doc(id) else {
            return false;
        };
        let synced = async {
            loop {
                if let Some(connection) = self.engine.server_connection()
                    && matches!(doc.sync_with(connection).await, Ok(DocSync::Synced { .. }))
                {
                    return;
                }
                runtime::sleep(Duration::from_millis(50)).await;
            }
        };
        runtime::within(timeout, synced).await.is_some()
    }

    /// Whether a document is on this device's list.
    pub fn has(&self, id: &str) -> bool {
        self.open_doc(id).is_some()
    }

    /// Adds a document someone else created: from this device's storage if it is there, else from
    /// the server. Returns false if neither has it (or the server may not share it).
    pub async fn fetch(&self, id: &str, title: &str) -> Result<bool, DeviceError> {
        if self.open_doc(id).is_some() {
            return Ok(true);
        }
        self.engine.share(id, true);
        let Some(doc) = self.find_remote(id).await? else {
            return Ok(false);
        };
        let kind = doc
            .read(docs::kind_of)
            .await?
            .map(|k| k.as_str().to_owned())
            .unwrap_or_else(|| "unknown".to_owned());
        self.store.index_document(&IndexEntry {
            doc_id: id.to_owned(),
            kind,
            title: title.to_owned(),
            local_only: false,
            shared: true,
        })?;
        self.track(doc);
        Ok(true)
    }

    /// Looks for a document on the server. A lookup made while the link is still coming up (or
    /// answered just as it came up) can end before the server was asked; such a miss is retried.
    /// Offline or refused, a miss is final.
    async fn find_remote(&self, id: &str) -> Result<Option<Doc>, DeviceError> {
        for attempt in 1..=3u64 {
            if let Some(doc) = self.engine.find(id).await? {
                return Ok(Some(doc));
            }
            let link = self.engine.link().borrow().clone();
            let worth_retrying = match link {
                Link::Connecting => self.wait_online(Duration::from_secs(5)).await,
                Link::Online => true,
                Link::Off | Link::Offline { .. } | Link::Refused { .. } => false,
            };
            if !worth_retrying || attempt == 3 {
                break;
            }
            runtime::sleep(Duration::from_millis(150 * attempt)).await;
        }
        Ok(None)
    }

    /// Waits until the link to the server is up; false if it is not within `timeout`.
    async fn wait_online(&self, timeout: Duration) -> bool {
        let mut link = self.engine.link();
        let online = async move { link.wait_for(|l| *l == Link::Online).await.is_ok() };
        runtime::within(timeout, online).await.unwrap_or(false)
    }

    /// Reads a whole document of a known kind.
    pub async fn read<T: DocSchema + Send + 'static>(&self, id: &str) -> Result<T, DeviceError> {
        self.with_doc(id, |doc| docs::read::<T>(doc)).await
    }

    /// Changes a document of a known kind (see [`docs::change`]); refused for a document she
    /// may only read, rather than kept here while the server ignores it.
    pub async fn change<T, R>(
        &self,
        id: &str,
        edit: impl FnOnce(&mut T) -> Result<R, DocError> + Send + 'static,
    ) -> Result<R, DeviceError>
    where
        T: DocSchema + Send + 'static,
        R: Send + 'static,
    {
        self.check_writable(id)?;
        self.with_doc(id, |doc| docs::change::<T, R>(doc, edit))
            .await
    }

    /// Records which documents she may read but not change (from the server's directory).
    pub fn set_read_only(&self, ids: HashSet<String>) {
        *lock(&self.read_only) = ids;
    }

    /// Refuses a change to a document she may only read.
    pub fn check_writable(&self, id: &str) -> Result<(), DeviceError> {
        if lock(&self.read_only).contains(id) {
            Err(DeviceError::ReadOnly(id.to_owned()))
        } else {
            Ok(())
        }
    }

    /// Runs a document function from [`pm_documents::docs`] on a document. What it changed is in the
    /// journal on disk (or, in a browser, in IndexedDB) before this returns, so an edit the person
    /// saw saved survives a crash.
    pub async fn with_doc<R: Send + 'static>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Automerge) -> Result<R, DocError> + Send + 'static,
    ) -> Result<R, DeviceError> {
        let doc = self
            .open_doc(id)
            .ok_or_else(|| DeviceError::NotFound(id.to_owned()))?;
        let store = self.store.clone();
        let doc_id = id.to_owned();
        let result = doc
            .change(move |d| -> Result<R, DeviceError> {
                let before = d.get_heads();
                let result = f(d)?;
                if d.get_heads() != before {
                    store.journal_append(&doc_id, &d.save_after(&before))?;
                }
                Ok(result)
            })
            .await??;
        self.store.written().await?;
        Ok(result)
    }

    /// Applies journal entries whose changes the document store lacks (the app stopped before
    /// samod stored them), and drops the entries it already has.
    async fn replay_journal(&self) -> Result<(), DeviceError> {
        for (entry, doc_id, data) in self.store.journal()? {
            let Some(doc) = self.open_doc(&doc_id) else {
                if !self.store.documents()?.iter().any(|e| e.doc_id == doc_id) {
                    self.drop_journal_entry(entry);
                }
                continue;
            };
            let added = doc
                .change(move |d| {
                    let before = d.get_heads();
                    d.load_incremental(&data).map(|_| d.get_heads() != before)
                })
                .await?;
            match added {
                Ok(false) => self.drop_journal_entry(entry),
                Ok(true) => {
                    tracing::info!(doc = %doc_id, "recovered an edit from the journal");
                }
                Err(e) => {
                    tracing::error!(doc = %doc_id, error = %e, "a journal entry could not be read; dropped");
                    self.drop_journal_entry(entry);
                }
            }
        }
        Ok(())
    }

    /// Removes a journal entry that is no longer needed; on a full disk it stays, to be dropped
    /// at the next start (replaying it again adds nothing).
    fn drop_journal_entry(&self, entry: i64) {
        if let Err(e) = self.store.journal_remove(entry) {
            tracing::warn!(error = %e, "could not drop a replayed journal entry; it stays until the next start");
        }
    }

    /// The saved form of a document (for export and for tests that compare devices).
    pub async fn save(&self, id: &str) -> Result<Vec<u8>, DeviceError> {
        self.with_doc(id, |doc| Ok(doc.save())).await
    }

    /// Stops syncing and writes everything to disk.
    pub async fn close(&self) {
        for task in lock(&self.tasks).drain(..) {
            task.stop();
        }
        self.engine.stop().await;
        if let Err(e) = self.store.checkpoint() {
            tracing::error!(error = %e, "final checkpoint of the local database failed");
        }
        // Stopped cleanly with every chunk written: the journal has nothing left to add.
        if self.store.all_written()
            && let Err(e) = self.store.journal_clear()
        {
            tracing::warn!(error = %e, "could not empty the journal");
        }
    }

    fn open_doc(&self, id: &str) -> Option<Doc> {
        lock(&self.docs).get(id).cloned()
    }

    /// Keeps a document open and follows its changes.
    fn track(&self, doc: Doc) {
        let id = doc.id();
        lock(&self.missing).remove(&id);
        let changes = doc.changes();
        let peers = doc.peer_updates();
        lock(&self.docs).insert(id.clone(), doc);
        // A document new to this device is a change the screens must show.
        let _ = self.changed.send(id.clone());
        let changed = self.changed.clone();
        let wake = self.wake.clone();
        let on_change = runtime::spawn(async move {
            let mut changes = std::pin::pin!(changes);
            while changes.next().await.is_some() {
                let _ = changed.send(id.clone());
                wake.notify_one();
            }
        });
        let wake = self.wake.clone();
        let on_peer = runtime::spawn(async move {
            let mut peers = std::pin::pin!(peers);
            while peers.next().await.is_some() {
                wake.notify_one();
            }
        });
        lock(&self.tasks).extend([on_change, on_peer]);
        self.wake.notify_one();
    }

    /// Looks again for indexed documents that were not on the device at start.
    async fn find_missing(&self) {
        let missing: Vec<String> = lock(&self.missing).iter().cloned().collect();
        for id in missing {
            match self.engine.find(&id).await {
                Ok(Some(doc)) => self.track(doc),
                Ok(None) => {}
                Err(e) => tracing::warn!(%id, error = %e, "looking for a document failed"),
            }
        }
    }

    async fn compute_status(&self, marks: &mut HashMap<String, SyncMark>) -> SyncStatus {
        let link = self.engine.link().borrow().clone();
        let connection = self.engine.server_connection();
        let syncable: HashSet<String> = self
            .store
            .documents()
            .unwrap_or_default()
            .into_iter()
            .filter(|e| !e.local_only)
            .map(|e| e.doc_id)
            .collect();
        let docs: Vec<Doc> = lock(&self.docs)
            .iter()
            .filter(|(id, _)| syncable.contains(*id))
            .map(|(_, d)| d.clone())
            .collect();
        let read_only = lock(&self.read_only).clone();
        let mut pending = 0;
        let mut not_accepted = 0;
        let mut all_synced = lock(&self.missing).is_empty();
        for doc in docs {
            let id = doc.id();
            let sync = match (&link, connection) {
                (Link::Online, Some(connection)) => doc.sync_with(connection).await,
                _ => Ok(DocSync::Unknown),
            };
            match sync {
                Ok(DocSync::Synced { heads }) => {
                    if marks.get(&id).map(|m| &m.heads) != Some(&heads) {
                        let mark = SyncMark {
                            heads,
                            synced_at: chrono::Utc::now().to_rfc3339(),
                        };
                        if let Err(e) = self.store.set_sync_mark(&id, &mark) {
                            tracing::warn!(error = %e, "could not record a sync mark");
                        }
                        marks.insert(id, mark);
                    }
                }
                // The server ignores changes to a document this device may only read: they
                // stay here, are counted apart, and do not keep the device from being synced.
                Ok(DocSync::Pending { changes }) if read_only.contains(&id) => {
                    not_accepted += changes;
                }
                Ok(DocSync::Pending { changes }) => {
                    all_synced = false;
                    pending += changes;
                }
                Ok(DocSync::Unknown) | Err(_) => {
                    all_synced = false;
                    if !marks.contains_key(&id)
                        && let Ok(Some(mark)) = self.store.sync_mark(&id)
                    {
                        marks.insert(id.clone(), mark);
                    }
                    let since = marks.get(&id).map(|m| m.heads.clone()).unwrap_or_default();
                    pending += doc.changes_since(since).await.unwrap_or(0);
                }
            }
        }
        let state = match link {
            Link::Off => SyncState::Off,
            Link::Connecting => SyncState::Connecting,
            Link::Offline { .. } => SyncState::Offline,
            Link::Refused { .. } => SyncState::Refused,
            Link::Online if all_synced => SyncState::Synced,
            Link::Online => SyncState::Syncing,
        };
        let storage_error = match &*self.store.health().borrow() {
            StorageHealth::Ok => None,
            StorageHealth::Failing { error, .. } => Some(error.clone()),
        };
        SyncStatus {
            state,
            pending_changes: pending,
            not_accepted_changes: not_accepted,
            last_synced: marks.values().map(|m| m.synced_at.clone()).max(),
            storage_error,
        }
    }
}

/// Recomputes the sync status whenever something that affects it happens (debounced), and at least
/// every few seconds, which also retries writes the disk refused.
async fn run_status(device: Weak<Device>) {
    let (wake, mut link, mut health) = match device.upgrade() {
        Some(d) => (d.wake.clone(), d.engine.link(), d.store.health()),
        None => return,
    };
    let mut marks = HashMap::new();
    loop {
        tokio::select! {
            _ = wake.notified() => {}
            changed = link.changed() => {
                if changed.is_err() {
                    return;
                }
                if *link.borrow_and_update() == Link::Online
                    && let Some(device) = device.upgrade()
                {
                    device.find_missing().await;
                }
            }
            _ = health.changed() => {}
            _ = runtime::sleep(Duration::from_secs(5)) => {}
        }
        runtime::sleep(Duration::from_millis(100)).await;
        let Some(device) = device.upgrade() else {
            return;
        };
        device.store.retry();
        let status = device.compute_status(&mut marks).await;
        device.status.send_if_modified(|current| {
            if *current == status {
                false
            } else {
                *current = status;
                true
            }
        });
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
