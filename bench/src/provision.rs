//! Provisioning our server through its API, as operators do: a programme, a class list invited
//! at once (`POST /api/invitations/bulk`), every invitation accepted by a device of its own, pairs
//! formed, documents registered. The reference server has no accounts: none of this applies there.

use std::sync::Arc;

use mentoring::access::DocEntry;
use mentoring::class_list::{Invitee, MAX_PEOPLE};
use mentoring::model::{DocKind, GroupKind, Role};
use mentoring::wire::{
    AcceptInvitation, Accepted, CreateGroup, CreateInvitations, CreateProgramme, Credential,
    GroupCreated, InvitationsCreated, RegisterDocument,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::servers::SETUP_KEY;

/// Accepting invitations: how many devices at the same moment (a classroom).
const AT_ONCE: usize = 32;

/// A device with its credential.
#[derive(Debug, Clone)]
pub struct Device {
    pub peer: String,
    pub person: String,
    pub credential: String,
}

pub struct Api {
    base: String,
    client: reqwest::Client,
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            base: base.to_owned(),
            client: reqwest::Client::new(),
        }
    }

    async fn post<B: Serialize, A: DeserializeOwned>(
        &self,
        path: &str,
        credential: Option<&str>,
        body: &B,
    ) -> Result<A, String> {
        let mut request = self.client.post(format!("{}{path}", self.base)).json(body);
        if let Some(credential) = credential {
            request = request.bearer_auth(credential);
        }
        let response = request.send().await.map_err(|e| format!("{path}: {e}"))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| format!("{path}: {e}"))?;
        if !status.is_success() {
            return Err(format!("{path}: {status} {text}"));
        }
        serde_json::from_str(if text.is_empty() { "null" } else { &text })
            .map_err(|e| format!("{path}: {e}: {text}"))
    }

    /// A new programme and its coordinator's device.
    pub async fn programme(&self) -> Result<(String, Device), String> {
        let programme = hex_id();
        let peer = format!("bench-coordinator-{}", &programme[..8]);
        let made: Credential = self
            .post(
                "/api/programmes",
                None,
                &CreateProgramme {
                    setup_key: SETUP_KEY.into(),
                    programme: programme.clone(),
                    name: "Benchmark".into(),
                    school: "School".into(),
                    coordinator_name: "Coördinator".into(),
                    peer: peer.clone(),
                },
            )
            .await?;
        Ok((
            programme,
            Device {
                peer,
                person: made.person,
                credential: made.credential,
            },
        ))
    }

    /// `count` people invited with `role` and each accepting on a device of her own.
    pub async fn students(
        self: &Arc<Self>,
        coordinator: &Device,
        programme: &str,
        role: Role,
        count: usize,
        first: usize,
    ) -> Result<Vec<Device>, String> {
        let mut devices = Vec::with_capacity(count);
        for start in (0..count).step_by(MAX_PEOPLE) {
            let people: Vec<Invitee> = (start..(start + MAX_PEOPLE).min(count))
                .map(|i| Invitee {
                    name: format!("Leerling {}", first + i),
                    email: format!("l{}@bench.example", first + i),
                    role,
                })
                .collect();
            let invited: InvitationsCreated = self
                .post(
                    "/api/invitations/bulk",
                    Some(&coordinator.credential),
                    &CreateInvitations {
                        programme: programme.into(),
                        people,
                        valid_days: 14,
                    },
                )
                .await?;
            let gate = Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
            let mut accepting = tokio::task::JoinSet::new();
            for (offset, invitation) in invited.created.into_iter().enumerate() {
                let (gate, api) = (gate.clone(), self.clone());
                let n = first + start + offset;
                accepting.spawn(async move {
                    let _turn = gate.acquire_owned().await.map_err(|e| e.to_string())?;
                    let peer = format!("bench-device-{n}");
                    let accepted: Accepted = api
                        .post(
                            "/api/invitations/accept",
                            None,
                            &AcceptInvitation {
                                code: invitation.code,
                                name: format!("Leerling {n}"),
                                peer: peer.clone(),
                                attempt: hex_id(),
                            },
                        )
                        .await?;
                    Ok::<_, String>((
                        n,
                        Device {
                            peer,
                            person: accepted.person,
                            credential: accepted.credential,
                        },
                    ))
                });
            }
            let mut batch = Vec::new();
            while let Some(done) = accepting.join_next().await {
                batch.push(done.map_err(|e| e.to_string())??);
            }
            batch.sort_by_key(|(n, _)| *n);
            devices.extend(batch.into_iter().map(|(_, device)| device));
        }
        Ok(devices)
    }

    /// A pair of a mentor and a mentee; answers its shared notes' document.
    pub async fn pair(
        &self,
        coordinator: &Device,
        programme: &str,
        mentor: &Device,
        mentee: &Device,
    ) -> Result<String, String> {
        let formed: GroupCreated = self
            .post(
                "/api/groups",
                Some(&coordinator.credential),
                &CreateGroup {
                    programme: programme.into(),
                    group: hex_id(),
                    kind: GroupKind::Pair,
                    members: vec![mentor.person.clone(), mentee.person.clone()],
                    group_doc: document_id(),
                },
            )
            .await?;
        Ok(formed.notes_doc)
    }

    /// A programme-wide document (every member may read it) registered by the coordinator.
    pub async fn programme_document(
        &self,
        coordinator: &Device,
        programme: &str,
        id: &str,
    ) -> Result<(), String> {
        let _: Option<()> = self
            .post(
                "/api/documents",
                Some(&coordinator.credential),
                &RegisterDocument {
                    id: id.into(),
                    entry: DocEntry {
                        kind: DocKind::Programme,
                        programme: programme.into(),
                        group: None,
                        owner: None,
                    },
                },
            )
            .await?;
        Ok(())
    }
}

/// A new automerge-repo document id.
pub fn document_id() -> String {
    samod::DocumentId::new(&mut rand::rng()).to_string()
}

fn hex_id() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
