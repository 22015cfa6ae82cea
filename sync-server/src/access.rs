//! Who is connecting, and which documents they may read and write. A connection is bound at the
//! websocket upgrade to the device its bearer credential belongs to; a frame whose sender claims
//! another peer id closes it. Each document/peer question is answered by
//! [`pm_domain::access::access`] over the registry, again whenever a registry change touches
//! the person or the document (`changes`), so a dissolved pair or a withdrawn person loses
//! access on open connections too; a reader who may
//! not write gets samod's read-only share, which ignores her changes.

use axum::http::HeaderMap;
use futures::Stream;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use pm_domain::access::{Access, Actor, DocEntry, access};
use samod::{DocumentId, PeerId, ShareConfig};

use crate::changes::Touched;
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
    known: Arc<Mutex<Known>>,
}

/// What access decisions are made from, as the registry last said: each device's person, each
/// person's memberships and groups, each document's entry. A registry change evicts what it
/// touched before the next decision, so a decision is never older than the registry's last
/// change; without it a document's first decision for every connected peer (samod asks for each
/// of them) took three queries each.
#[derive(Default)]
struct Known {
    mark: u64,
    people: HashMap<String, String>,
    actors: HashMap<String, Actor>,
    entries: HashMap<String, Option<DocEntry>>,
}

impl Known {
    /// Entries kept of each kind before they are all dropped and read again.
    const MOST: usize = 100_000;

    fn forget(&mut self, touched: &Touched) {
        if touched.everyone {
            self.people.clear();
            self.actors.clear();
            self.entries.clear();
            return;
        }
        if !touched.people.is_empty() {
            self.people
                .retain(|_, person| !touched.people.contains(person));
            for person in &touched.people {
                self.actors.remove(person);
            }
        }
        for document in &touched.documents {
            self.entries.remove(document);
        }
        for map_len in [self.people.len(), self.actors.len(), self.entries.len()] {
            if map_len > Self::MOST {
                *self = Known {
                    mark: self.mark,
                    ..Known::default()
                };
                return;
            }
        }
    }
}

impl Gate {
    pub fn new(registry: Registry) -> Gate {
        let known = Known {
            mark: registry.change_mark(),
            ..Known::default()
        };
        Gate {
            registry,
            known: Arc::new(Mutex::new(known)),
        }
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
            // Held while the registry is read, so that a change made meanwhile is seen by the
            // next decision's `forget` and what was read before it goes.
            let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
            let (touched, mark) = self.registry.touched_since(known.mark);
            known.mark = mark;
            known.forget(&touched);
            let person = match known.people.get(peer) {
                Some(person) => person.clone(),
                None => match self.registry.person_of_peer(peer)? {
                    Some(person) => {
                        known.people.insert(peer.to_owned(), person.clone());
                        person
                    }
                    None => return Ok(Access::None),
                },
            };
            let entry = match known.entries.get(doc) {
                Some(entry) => entry.clone(),
                None => {
                    let entry = self.registry.document(doc)?;
                    known.entries.insert(doc.to_owned(), entry.clone());
                    entry
                }
            };
            let Some(entry) = entry else {
                return Ok(Access::None);
            };
            let actor = match known.actors.get(&person) {
                Some(actor) => actor.clone(),
                None => {
                    let actor = self.registry.actor(&person)?;
                    known.actors.insert(person, actor.clone());
                    actor
                }
            };
            Ok(access(&actor, &entry))
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

    /// The sharing decisions for one document and one peer: the current one, then a new one
    /// after every registry change that can alter it (one that touched her or the document).
    pub fn share(
        &self,
        doc: DocumentId,
        peer: PeerId,
    ) -> impl Stream<Item = ShareConfig> + Send + use<> {
        let gate = self.clone();
        let changes = self.registry.changes();
        let (doc, peer) = (doc.to_string(), peer.to_string());
        futures::stream::unfold(
            (gate, changes, None::<Watched>),
            move |(gate, mut changes, watched)| {
                let (doc, peer) = (doc.clone(), peer.clone());
                async move {
                    let watched = match watched {
                        None => {
                            changes.borrow_and_update();
                            Watched {
                                mark: gate.registry.change_mark(),
                                person: gate.registry.person_of_peer(&peer).ok().flatten(),
                            }
                        }
                        Some(mut watched) => loop {
                            changes.changed().await.ok()?;
                            let (touched, mark) = gate.registry.touched_since(watched.mark);
                            watched.mark = mark;
                            if touched.concerns(watched.person.as_deref(), Some(&doc)) {
                                break watched;
                            }
                        },
                    };
                    let decision = gate.decide(&doc, &peer);
                    Some((decision, (gate, changes, Some(watched))))
                }
            },
        )
    }
}

/// Where a share decision's stream is in the registry's changes, and whose they are (the
/// person of a device does not change; a removed device touches its person).
struct Watched {
    mark: u64,
    person: Option<String>,
}
