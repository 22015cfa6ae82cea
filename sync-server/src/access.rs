//! Who is connecting, and which documents they may read and write. A connection is bound at the
//! websocket upgrade to the device its bearer credential belongs to; a frame whose sender claims
//! another peer id closes it. Each document/peer question is answered by
//! [`pm_domain::access::access`] over the registry, again whenever the registry changes, so a
//! dissolved pair or a withdrawn person loses access on open connections too; a reader who may
//! not write gets samod's read-only share, which ignores her changes.

use axum::http::HeaderMap;
use futures::Stream;
use pm_domain::access::{Access, access};
use samod::{DocumentId, PeerId, ShareConfig};

use crate::registry::{Registry, RegistryError};

/// The device a connection was authenticated as at the upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub peer: String,
    pub person: String,
}

/// Why a request was not let in.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no credential (Authorization: Bearer …) was presented")]
    Missing,
    #[error("the credential is not valid")]
    Invalid,
    #[error("the person of this device erased her data")]
    Erased,
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// Reads the bearer credential of a request.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Decides who a request is and what each peer may sync.
#[derive(Clone)]
pub struct Gate {
    registry: Registry,
}

impl Gate {
    pub fn new(registry: Registry) -> Gate {
        Gate { registry }
    }

    /// The device a request's credential belongs to.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Identity, AuthError> {
        let credential = bearer(headers).ok_or(AuthError::Missing)?;
        match self.registry.device_for(credential)? {
            Some((peer, person)) => Ok(Identity { peer, person }),
            None if self.registry.credential_erased(credential)? => Err(AuthError::Erased),
            None => Err(AuthError::Invalid),
        }
    }

    /// The device a request's credential belongs to, if it carries one; a credential that is
    /// not valid is refused rather than ignored.
    pub fn authenticate_if_present(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<Identity>, AuthError> {
        if headers.get("authorization").is_none() {
            return Ok(None);
        }
        self.authenticate(headers).map(Some)
    }

    /// What `peer` may do with document `doc` now. A failing check refuses.
    pub fn access(&self, doc: &str, peer: &str) -> Access {
        let decided = (|| -> Result<Access, RegistryError> {
            let Some(person) = self.registry.person_of_peer(peer)? else {
                return Ok(Access::None);
            };
            let Some(entry) = self.registry.document(doc)? else {
                return Ok(Access::None);
            };
            Ok(access(&self.registry.actor(&person)?, &entry))
        })();
        decided.unwrap_or_else(|e| {
            tracing::error!(%doc, %peer, error = %e, "access check failed; refusing");
            Access::None
        })
    }

    /// The share decision samod applies: read-only peers get our changes but theirs are
    /// ignored (not stored, not passed on).
    fn decide(&self, doc: &str, peer: &str) -> ShareConfig {
        match self.access(doc, peer) {
            Access::Write => ShareConfig::read_write(),
            Access::Read => ShareConfig::read_only(),
            Access::None => ShareConfig::none(),
        }
    }

    /// The sharing decisions for one document and one peer: the current one, then a new one after
    /// every registry change.
    pub fn share(
        &self,
        doc: DocumentId,
        peer: PeerId,
    ) -> impl Stream<Item = ShareConfig> + Send + use<> {
        let gate = self.clone();
        let changes = self.registry.changes();
        let (doc, peer) = (doc.to_string(), peer.to_string());
        futures::stream::unfold(
            (gate, changes, false),
            move |(gate, mut changes, started)| {
                let (doc, peer) = (doc.clone(), peer.clone());
                async move {
                    if started {
                        changes.changed().await.ok()?;
                    } else {
                        changes.borrow_and_update();
                    }
                    let decision = gate.decide(&doc, &peer);
                    Some((decision, (gate, changes, true)))
                }
            },
        )
    }
}
