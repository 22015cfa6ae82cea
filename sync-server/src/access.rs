//! Who is connecting, and which documents they may sync: the seam for authentication and
//! per-document access control. The rules themselves are plain functions in `mentoring`; this module
//! only translates an HTTP upgrade request and samod's questions into calls to them.

use axum::http::HeaderMap;
use futures::Stream;
use samod::{DocumentId, PeerId, ShareConfig};

/// The identity a connection was authenticated as at the websocket upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// No credentials are checked: the peer id from the handshake is trusted.
    Unchecked,
}

/// Why an upgrade was refused.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {}

/// Decides who a connection is, from its upgrade request.
#[derive(Debug, Clone, Default)]
pub struct Gate;

impl Gate {
    pub fn authenticate(&self, _headers: &HeaderMap) -> Result<Identity, AuthError> {
        Ok(Identity::Unchecked)
    }

    /// The peer id samod must see in the handshake of a connection with this identity, if bound.
    pub fn expected_peer(&self, identity: &Identity) -> Option<PeerId> {
        match identity {
            Identity::Unchecked => None,
        }
    }

    /// The sharing decisions for one document and one peer, following every change.
    pub fn share(
        &self,
        _doc: DocumentId,
        _peer: PeerId,
    ) -> impl Stream<Item = ShareConfig> + Send + use<> {
        futures::stream::iter([ShareConfig::read_write()])
    }
}
