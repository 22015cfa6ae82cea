//! The sync engine: our thin shell around samod (pinned `=0.16.0`). Only the modules ARCHITECTURE.md
//! names (and tidy checks) name samod: this one and the desktop's dialer on a device, the store's
//! storage impls, and the sync server's connection handling.
//!
//! A device runs one [`SyncEngine`]: a samod repo over the device's store, and at most one
//! connection to a sync server, dialled over a websocket with an optional bearer credential and
//! redialled with exponential backoff whenever it drops.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use automerge::{Automerge, ChangeHash};
use futures::{Stream, StreamExt};
use samod::{DialerEvent, DialerHandle, Repo};
use tokio::sync::watch;
use url::Url;

use crate::runtime;

pub use samod::{ConnectionId, DocumentId};

pub use pm_domain::wire::SYNC_PATH;

/// How long one attempt to reach the server may take before it counts as failed.
pub(crate) const DIAL_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the sync engine has stopped")]
    Stopped,
    #[error("not a valid server address: {0}")]
    BadServer(String),
    #[error("not a valid document id: {0}")]
    BadDocumentId(String),
}

impl From<samod::Stopped> for SyncError {
    fn from(_: samod::Stopped) -> Self {
        SyncError::Stopped
    }
}

/// The state of the link to the sync server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// No server configured, or the device was told to stay offline.
    Off,
    /// Trying to reach the server for the first time.
    Connecting,
    /// Connected and past the handshake.
    Online,
    /// The server could not be reached or the connection dropped; retrying with backoff.
    Offline { attempt: u32, reason: String },
    /// The server refused this device for good (for example a revoked credential).
    Refused { reason: String },
}

/// The repo and its server link.
pub struct SyncEngine {
    repo: Repo,
    dialer: Mutex<Option<DialerHandle<DialFailure>>>,
    link: Arc<watch::Sender<Link>>,
    shares: Arc<watch::Sender<HashMap<String, bool>>>,
}

impl SyncEngine {
    /// Starts the engine on `store`, announcing itself as `peer_id`. Must run inside tokio (on a
    /// desktop) or the browser's event loop.
    ///
    /// A document is offered to the server only once [`SyncEngine::share`] has said it may be:
    /// documents that must stay on the device (the demo programme) are never sent anywhere.
    pub async fn start<S>(store: S, peer_id: &str) -> SyncEngine
    where
        S: samod::storage::Storage + Clone + Send + Sync + 'static,
    {
        let shares = Arc::new(watch::channel(HashMap::new()).0);
        let policy = {
            let shares = shares.clone();
            move |doc: DocumentId, _peer: samod::PeerId| {
                share_decisions(shares.subscribe(), doc.to_string())
            }
        };
        #[cfg(not(target_arch = "wasm32"))]
        let builder = Repo::build_tokio();
        #[cfg(target_arch = "wasm32")]
        let builder = Repo::builder(BrowserRuntime);
        let repo = builder
            .with_storage(store)
            .with_peer_id(samod::PeerId::from(peer_id))
            .with_share_policy(policy)
            .load()
            .await;
        SyncEngine {
            repo,
            dialer: Mutex::new(None),
            link: Arc::new(watch::channel(Link::Off).0),
            shares,
        }
    }

    /// Says whether a document may be synced with the server (true) or must stay on this device.
    pub fn share(&self, doc_id: &str, with_server: bool) {
        self.shares.send_if_modified(|shares| {
            shares.insert(doc_id.to_owned(), with_server) != Some(with_server)
        });
    }

    /// The peer id this device announces.
    pub fn peer_id(&self) -> String {
        self.repo.peer_id().to_string()
    }

    /// Connects to the sync server at `server` (its base address, e.g. `http://127.0.0.1:3030`),
    /// replacing any earlier connection, and keeps reconnecting with backoff until told otherwise.
    /// A desktop presents the credential at the upgrade; a browser trades it for a sync ticket
    /// first, at every attempt.
    pub fn connect(&self, server: &Url, credential: Option<String>) -> Result<(), SyncError> {
        let url = sync_url(server)?;
        self.disconnect();
        let backoff = samod::BackoffConfig {
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_retries: None,
        };
        #[cfg(not(target_arch = "wasm32"))]
        let dialer = crate::dialer::WebSocketDialer {
            url: url.clone(),
            credential,
        };
        #[cfg(target_arch = "wasm32")]
        let dialer = crate::browser_dialer::TicketDialer {
            server: server.clone(),
            url: url.clone(),
            credential,
        };
        let handle = self.repo.dial(backoff, Arc::new(dialer))?;
        self.link.send_replace(Link::Connecting);
        // Ends by itself when the dialer is closed.
        drop(runtime::spawn(follow_dialer(
            handle.clone(),
            self.link.clone(),
        )));
        *self.dialer.lock().unwrap_or_else(|p| p.into_inner()) = Some(handle);
        tracing::info!(%url, "dialling the sync server");
        Ok(())
    }

    /// Closes the server connection and stops reconnecting.
    pub fn disconnect(&self) {
        if let Some(handle) = self.dialer.lock().unwrap_or_else(|p| p.into_inner()).take() {
            handle.close();
        }
        self.link.send_replace(Link::Off);
    }

    /// The link state, updated as it changes.
    pub fn link(&self) -> watch::Receiver<Link> {
        self.link.subscribe()
    }

    /// The live connection to the server, if there is one.
    pub fn server_connection(&self) -> Option<ConnectionId> {
        self.dialer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .and_then(|d| d.connection_id())
    }

    /// Stores a new document and starts syncing it. Returns once it is on disk.
    pub async fn create(&self, initial: Automerge) -> Result<Doc, SyncError> {
        Ok(Doc(self.repo.create(initial).await?))
    }

    /// Finds a document on this device or, failing that, on the server. `None` if neither has it
    /// (or the server may not share it with this device).
    pub async fn find(&self, id: &str) -> Result<Option<Doc>, SyncError> {
        let id: DocumentId = id
            .parse()
            .map_err(|_| SyncError::BadDocumentId(id.to_owned()))?;
        Ok(self.repo.find(id).await?.map(Doc))
    }

    /// Stops syncing and waits until everything is written to storage.
    pub async fn stop(&self) {
        self.disconnect();
        self.repo.stop().await;
    }
}

/// The stream of sharing decisions for one document: waits until the device has said whether the
/// document may leave it, then follows every change of that decision.
fn share_decisions(
    shares: watch::Receiver<HashMap<String, bool>>,
    doc: String,
) -> impl Stream<Item = samod::ShareConfig> + Send + 'static {
    futures::stream::unfold(
        (shares, doc, false),
        |(mut shares, doc, decided)| async move {
            if decided {
                shares.changed().await.ok()?;
            }
            loop {
                let decision = shares.borrow_and_update().get(&doc).copied();
                if let Some(with_server) = decision {
                    let config = if with_server {
                        samod::ShareConfig::read_write()
                    } else {
                        samod::ShareConfig::none()
                    };
                    return Some((config, (shares, doc, true)));
                }
                shares.changed().await.ok()?;
            }
        },
    )
}

fn sync_url(server: &Url) -> Result<Url, SyncError> {
    let mut url = server.clone();
    let scheme = match server.scheme() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        other => return Err(SyncError::BadServer(format!("unsupported scheme {other}"))),
    };
    url.set_scheme(scheme)
        .map_err(|()| SyncError::BadServer(server.to_string()))?;
    url.set_path(SYNC_PATH);
    Ok(url)
}

async fn follow_dialer(dialer: DialerHandle<DialFailure>, link: Arc<watch::Sender<Link>>) {
    let mut events = dialer.events();
    // A connection made before this task subscribed sent its event to nobody: start from the
    // dialer's current state.
    if dialer.is_connected() {
        link.send_if_modified(|current| {
            let changed = *current == Link::Connecting;
            if changed {
                *current = Link::Online;
            }
            changed
        });
    }
    let mut reason = String::new();
    while let Some(event) = events.next().await {
        let next = match event {
            DialerEvent::Connected { .. } => Link::Online,
            DialerEvent::Disconnected { reason: why } => {
                reason = why;
                Link::Offline {
                    attempt: 0,
                    reason: reason.clone(),
                }
            }
            DialerEvent::Reconnecting { attempt } => Link::Offline {
                attempt,
                reason: reason.clone(),
            },
            DialerEvent::MaxRetriesReached | DialerEvent::PermanentFailure => Link::Refused {
                reason: reason.clone(),
            },
        };
        tracing::debug!(?next, "sync link");
        // A closed dialer leaves `Off` in place; events still in flight must not overwrite it.
        link.send_if_modified(|current| {
            if *current == Link::Off || *current == next {
                false
            } else {
                *current = next;
                true
            }
        });
    }
}

/// An open document.
#[derive(Clone)]
pub struct Doc(samod::DocHandle);

/// How far a document is in sync with the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocSync {
    /// The server has said it has exactly what this device has.
    Synced { heads: Vec<String> },
    /// This device has changes the server has not acknowledged yet.
    Pending { changes: usize },
    /// No sync exchange for this document on this connection yet.
    Unknown,
}

impl Doc {
    pub fn id(&self) -> String {
        self.0.document_id().to_string()
    }

    /// Reads the document. `read` must not panic (samod aborts the process if it does).
    pub async fn read<R: Send + 'static>(
        &self,
        read: impl FnOnce(&Automerge) -> R + Send + 'static,
    ) -> Result<R, SyncError> {
        Ok(self.0.with_document_async(|doc| read(doc)).await?)
    }

    /// Changes the document; the change is stored and sent to the server. `edit` must not panic.
    pub async fn change<R: Send + 'static>(
        &self,
        edit: impl FnOnce(&mut Automerge) -> R + Send + 'static,
    ) -> Result<R, SyncError> {
        Ok(self.0.with_document_async(edit).await?)
    }

    /// Fires whenever the document changes, locally or from a peer.
    pub fn changes(&self) -> impl Stream<Item = ()> + Send + 'static {
        self.0.changes().map(|_| ())
    }

    /// Fires whenever the sync state with any peer changes.
    pub fn peer_updates(&self) -> impl Stream<Item = ()> + 'static {
        self.0.peers().1.map(|_| ())
    }

    /// Where this document stands with the peer on `connection`.
    pub async fn sync_with(&self, connection: ConnectionId) -> Result<DocSync, SyncError> {
        let (peers, _) = self.0.peers();
        let state = peers.get(&connection).cloned();
        self.read(move |doc| {
            let local = doc.get_heads();
            let Some(state) = state else {
                return DocSync::Unknown;
            };
            match (state.their_heads, state.shared_heads) {
                (Some(theirs), _) if same_heads(&theirs, &local) => DocSync::Synced {
                    heads: local.iter().map(ChangeHash::to_string).collect(),
                },
                (_, Some(shared)) => DocSync::Pending {
                    changes: doc.get_changes_meta(&shared).len(),
                },
                _ => DocSync::Unknown,
            }
        })
        .await
    }

    /// Number of local changes that are not in `heads` (changes made since a known sync point).
    pub async fn changes_since(&self, heads: Vec<String>) -> Result<usize, SyncError> {
        self.read(move |doc| {
            let heads: Vec<ChangeHash> = heads.iter().filter_map(|h| h.parse().ok()).collect();
            doc.get_changes_meta(&heads).len()
        })
        .await
    }

    /// The current heads, as hex strings.
    pub async fn heads(&self) -> Result<Vec<String>, SyncError> {
        self.read(|doc| doc.get_heads().iter().map(ChangeHash::to_string).collect())
            .await
    }
}

fn same_heads(a: &[ChangeHash], b: &[ChangeHash]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

/// Why the server refused this device for good.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DialFailure(pub(crate) String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sync_address_is_derived_from_the_server_address() {
        let url = |s: &str| sync_url(&Url::parse(s).unwrap()).map(|u| u.to_string());
        assert_eq!(
            url("http://127.0.0.1:3030").unwrap(),
            "ws://127.0.0.1:3030/sync"
        );
        assert_eq!(
            url("https://sync.example.nl/").unwrap(),
            "wss://sync.example.nl/sync"
        );
        assert!(matches!(url("ftp://x"), Err(SyncError::BadServer(_))));
    }
}

/// samod's tasks and timers in a browser: its event loop, and timers from the browser.
#[cfg(target_arch = "wasm32")]
#[derive(Clone, Copy)]
struct BrowserRuntime;

#[cfg(target_arch = "wasm32")]
impl samod::runtime::RuntimeHandle for BrowserRuntime {
    fn spawn(&self, task: std::pin::Pin<Box<dyn Future<Output = ()> + Send + 'static>>) {
        wasm_bindgen_futures::spawn_local(task);
    }

    fn sleep(
        &self,
        duration: Duration,
    ) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        Box::pin(runtime::sleep(duration))
    }
}
