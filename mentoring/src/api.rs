//! What the device shell hands the webview: finished view values, already decided. The webview
//! shows them and sends back what the person asked for; it computes nothing itself.

use serde::{Deserialize, Serialize};

/// Where the device stands with the sync server, as the person sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// No server is configured: everything stays on this device.
    Off,
    /// Reaching the server for the first time since start.
    Connecting,
    /// The server cannot be reached; edits are kept and sent later.
    Offline,
    /// Connected, exchanging changes.
    Syncing,
    /// Connected, and the server holds everything this device has.
    Synced,
    /// The server refused this device (for example a withdrawn invitation).
    Refused,
}

impl SyncState {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncState::Off => "off",
            SyncState::Connecting => "connecting",
            SyncState::Offline => "offline",
            SyncState::Syncing => "syncing",
            SyncState::Synced => "synced",
            SyncState::Refused => "refused",
        }
    }
}

/// The sync indicator's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    pub state: SyncState,
    /// Changes made on this device that the server does not have yet.
    pub pending_changes: usize,
    /// When everything was last known to be on the server (RFC 3339, UTC).
    pub last_synced: Option<String>,
    /// Set when the local disk refuses writes; the data is held in memory meanwhile.
    pub storage_error: Option<String>,
}

impl Default for SyncStatus {
    fn default() -> Self {
        SyncStatus {
            state: SyncState::Off,
            pending_changes: 0,
            last_synced: None,
            storage_error: None,
        }
    }
}
