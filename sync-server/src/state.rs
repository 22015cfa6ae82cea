//! What every request handler and connection shares: the sync engine, the registry, the gate,
//! the counters of wrong secrets, the setup key (hashed), and the connection caps.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use samod::{AcceptorHandle, Repo};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use crate::access::Gate;
use crate::limits::Guard;
use crate::registry::Registry;
use crate::tickets::TicketDesk;

/// What every request handler shares; cheap to clone.
#[derive(Clone)]
pub struct App {
    pub acceptor: AcceptorHandle,
    pub repo: Repo,
    /// samod's chunks, written in groups; the store's health is reported at `/health`.
    pub chunks: crate::chunks::Chunks,
    pub registry: Registry,
    pub gate: Gate,
    /// Whose directory recent registry changes concern (devices wait for theirs).
    pub doorbell: Arc<crate::doorbell::Doorbell>,
    pub guard: Arc<Guard>,
    pub setup_key: Arc<SetupKey>,
    pub max_message_bytes: usize,
    pub connection_limits: ConnectionLimits,
    pub connections: Arc<Connections>,
    /// When devices were last heard from, until it is written.
    pub seen: Arc<crate::seen::Seen>,
    /// Sync tickets waiting to be used at an upgrade (browsers).
    pub tickets: Arc<TicketDesk>,
    /// The web app's folder, if this server serves it.
    pub web_app: Option<Arc<crate::web_app::WebApp>>,
    /// Becomes true when the server is shutting down.
    pub shutdown: watch::Receiver<bool>,
}

/// The setup key, kept only as its SHA-256 and compared in constant time.
pub struct SetupKey {
    digest: [u8; 32],
}

impl SetupKey {
    pub fn from_digest(digest: [u8; 32]) -> SetupKey {
        SetupKey { digest }
    }

    pub fn digest_of(key: &str) -> [u8; 32] {
        Sha256::digest(key.trim().as_bytes()).into()
    }

    /// Whether `typed` is the key. An empty key never is.
    pub fn matches(&self, typed: &str) -> bool {
        if typed.trim().is_empty() {
            return false;
        }
        let candidate = SetupKey::digest_of(typed);
        candidate
            .iter()
            .zip(self.digest.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

/// How long connections may stay quiet or stall, and how many there may be.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_total: usize,
    pub max_per_device: usize,
    /// A ping goes out this often on a sync connection.
    pub ping_every: Duration,
    /// A sync connection that sent nothing (not even a pong) for this long is closed.
    pub idle_timeout: Duration,
    /// A message the device does not take within this time closes its connection.
    pub send_timeout: Duration,
}

/// The open sync connections, per device and in total.
#[derive(Default)]
pub struct Connections {
    total: AtomicUsize,
    per_device: Mutex<HashMap<String, usize>>,
}

/// Why a connection was not admitted.
#[derive(Debug, thiserror::Error)]
pub enum Full {
    #[error("the server has as many connections as it takes")]
    Server,
    #[error("this device has as many connections as it may have")]
    Device,
}

impl Connections {
    pub fn open(&self) -> usize {
        self.total.load(Ordering::SeqCst)
    }

    /// Admits one more connection of `peer`, if the caps allow.
    pub fn admit(
        self: &Arc<Self>,
        peer: &str,
        limits: &ConnectionLimits,
    ) -> Result<ConnectionSlot, Full> {
        let mut per_device = self.per_device.lock().unwrap_or_else(|p| p.into_inner());
        if self.total.load(Ordering::SeqCst) >= limits.max_total {
            return Err(Full::Server);
        }
        let count = per_device.entry(peer.to_owned()).or_default();
        if *count >= limits.max_per_device {
            return Err(Full::Device);
        }
        *count += 1;
        self.total.fetch_add(1, Ordering::SeqCst);
        Ok(ConnectionSlot {
            connections: self.clone(),
            peer: peer.to_owned(),
        })
    }
}

/// One admitted connection; dropping it frees its place.
pub struct ConnectionSlot {
    connections: Arc<Connections>,
    peer: String,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut per_device = self
            .connections
            .per_device
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(count) = per_device.get_mut(&self.peer) {
            *count -= 1;
            if *count == 0 {
                per_device.remove(&self.peer);
            }
        }
        self.connections.total.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setup_key_matches_only_itself_and_never_empty() {
        let key = SetupKey::from_digest(SetupKey::digest_of("ABCD-EFGH"));
        assert!(key.matches("ABCD-EFGH"));
        assert!(key.matches(" ABCD-EFGH\n"));
        assert!(!key.matches("ABCD-EFGX"));
        assert!(!key.matches(""));
        let empty = SetupKey::from_digest(SetupKey::digest_of(""));
        assert!(!empty.matches(""), "an empty key opens nothing");
    }

    #[test]
    fn connections_are_capped_per_device_and_in_total_and_freed_on_drop() {
        let limits = ConnectionLimits {
            max_total: 3,
            max_per_device: 2,
            ping_every: Duration::from_secs(1),
            idle_timeout: Duration::from_secs(1),
            send_timeout: Duration::from_secs(1),
        };
        let connections = Arc::new(Connections::default());
        let a1 = connections.admit("a", &limits).unwrap();
        let _a2 = connections.admit("a", &limits).unwrap();
        assert!(matches!(connections.admit("a", &limits), Err(Full::Device)));
        let _b = connections.admit("b", &limits).unwrap();
        assert!(matches!(connections.admit("c", &limits), Err(Full::Server)));
        drop(a1);
        assert_eq!(connections.open(), 2);
        assert!(connections.admit("c", &limits).is_ok());
    }
}
