//! The device's side of the sync server's HTTP API ([`pm_domain::wire`]): plain calls with reqwest,
//! each answer either the expected value or an [`ApiFailure`] with a code the window translates.

#[cfg(not(target_arch = "wasm32"))]
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use pm_domain::wire::{
    AcceptInvitation, Accepted, ApiError, CodeRequest, CreateGroup, CreateInvitation,
    CreateInvitations, CreateProgramme, Credential, Devices, Directory, DirectoryChanges,
    DissolveGroup, ErasePerson, Erased, GroupCreated, InvitationCreated, InvitationInfo,
    InvitationsCreated, JoinDevice, LinkCode, ProgrammeEnd, ProgrammeStatus, RegisterDocument,
    RemoveDevice, Rename, RevokeInvitation, SetMatching, SyncTicket, Withdraw,
};

/// Why a call to the server did not give an answer.
#[derive(Debug, thiserror::Error)]
pub enum ApiFailure {
    #[error("the server cannot be reached: {0}")]
    Offline(String),
    #[error("the server refused: {} ({})", .0.message, .0.code)]
    Refused(ApiError),
    #[error("the server answered unexpectedly: {0}")]
    Unexpected(String),
}

impl ApiFailure {
    /// The stable code the window translates (`error.<code>`).
    pub fn code(&self) -> &str {
        match self {
            ApiFailure::Offline(_) => "offline",
            ApiFailure::Refused(e) => &e.code,
            ApiFailure::Unexpected(_) => "server_error",
        }
    }

    /// Whether the same request may succeed later unchanged: the network, an overloaded or
    /// failing server, throttling. A refusal on the merits (denied, unknown, conflict) is final.
    pub fn worth_retrying(&self) -> bool {
        match self {
            ApiFailure::Offline(_) | ApiFailure::Unexpected(_) => true,
            ApiFailure::Refused(e) => e.retry_after.is_some() || e.code == "server_error",
        }
    }

    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiFailure::Refused(e) => e.retry_after,
            _ => None,
        }
    }
}

/// A sync server's API.
#[derive(Clone)]
pub struct ServerApi {
    base: Url,
    http: reqwest::Client,
}

impl ServerApi {
    pub fn new(base: &Url) -> ServerApi {
        // A browser's fetch has its own limits; reqwest sets none there.
        #[cfg(not(target_arch = "wasm32"))]
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(8))
            .build()
            .unwrap_or_default();
        #[cfg(target_arch = "wasm32")]
        let http = reqwest::Client::new();
        ServerApi {
            base: base.clone(),
            http,
        }
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    fn url(&self, path: &str) -> Result<Url, ApiFailure> {
        self.base
            .join(path)
            .map_err(|e| ApiFailure::Unexpected(format!("bad address {path}: {e}")))
    }

    async fn send<R: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        credential: Option<&str>,
    ) -> Result<Option<R>, ApiFailure> {
        let request = match credential {
            Some(c) => request.bearer_auth(c),
            None => request,
        };
        let response = request
            .send()
            .await
            .map_err(|e| ApiFailure::Offline(e.to_string()))?;
        let status = response.status();
        if status == reqwest::StatusCode::NO_CONTENT {
            return Ok(None);
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| ApiFailure::Offline(e.to_string()))?;
        if status.is_success() {
            serde_json::from_slice(&body)
                .map(Some)
                .map_err(|e| ApiFailure::Unexpected(e.to_string()))
        } else {
            match serde_json::from_slice::<ApiError>(&body) {
                Ok(error) => Err(ApiFailure::Refused(error)),
                Err(_) => Err(ApiFailure::Unexpected(format!(
                    "{status}: {}",
                    String::from_utf8_lossy(&body)
                        .chars()
                        .take(200)
                        .collect::<String>()
                ))),
            }
        }
    }

    async fn post<B: Serialize, R: DeserializeOwned>(
        &self,
        path: &str,
        credential: Option<&str>,
        body: &B,
    ) -> Result<R, ApiFailure> {
        let request = self.http.post(self.url(path)?).json(body);
        self.send(request, credential)
            .await?
            .ok_or_else(|| ApiFailure::Unexpected(format!("{path} answered without a body")))
    }

    async fn post_empty<B: Serialize>(
        &self,
        path: &str,
        credential: Option<&str>,
        body: &B,
    ) -> Result<(), ApiFailure> {
        let request = self.http.post(self.url(path)?).json(body);
        self.send::<serde_json::Value>(request, credential)
            .await
            .map(|_| ())
    }

    async fn get<R: DeserializeOwned>(
        &self,
        path: &str,
        credential: &str,
    ) -> Result<R, ApiFailure> {
        let request = self.http.get(self.url(path)?);
        self.send(request, Some(credential))
            .await?
            .ok_or_else(|| ApiFailure::Unexpected(format!("{path} answered without a body")))
    }

    /// Sets up a programme; with the credential of a device already known here, she is the
    /// same person there.
    pub async fn create_programme(
        &self,
        credential: Option<&str>,
        req: &CreateProgramme,
    ) -> Result<Credential, ApiFailure> {
        self.post("/api/programmes", credential, req).await
    }

    pub async fn programme_status(
        &self,
        credential: &str,
        programme: &str,
    ) -> Result<ProgrammeStatus, ApiFailure> {
        self.get(&format!("/api/programmes/{programme}/status"), credential)
            .await
    }

    pub async fn create_invitation(
        &self,
        credential: &str,
        req: &CreateInvitation,
    ) -> Result<InvitationCreated, ApiFailure> {
        self.post("/api/invitations", Some(credential), req).await
    }

    pub async fn revoke_invitation(
        &self,
        credential: &str,
        req: &RevokeInvitation,
    ) -> Result<(), ApiFailure> {
        self.post_empty("/api/invitations/revoke", Some(credential), req)
            .await
    }

    /// A single-use ticket for the sync socket, for a device that cannot send its credential
    /// there (a browser).
    pub async fn sync_ticket(&self, credential: &str) -> Result<SyncTicket, ApiFailure> {
        self.post(
            "/api/sync-tickets",
            Some(credential),
            &serde_json::json!({}),
        )
        .await
    }

    pub async fn lookup_invitation(&self, code: &str) -> Result<InvitationInfo, ApiFailure> {
        let req = CodeRequest {
            code: code.to_owned(),
        };
        self.post("/api/invitations/lookup", None, &req).await
    }

    /// Accepts an invitation; with the credential of a device already known here, she joins
    /// as the same person.
    pub async fn accept_invitation(
        &self,
        credential: Option<&str>,
        req: &AcceptInvitation,
    ) -> Result<Accepted, ApiFailure> {
        self.post("/api/invitations/accept", credential, req).await
    }

    pub async fn link_device(&self, credential: &str) -> Result<LinkCode, ApiFailure> {
        self.post(
            "/api/devices/link",
            Some(credential),
            &serde_json::json!({}),
        )
        .await
    }

    /// A recovery code: single use, a year, to get everything back on a device that lost it.
    pub async fn recovery_code(&self, credential: &str) -> Result<LinkCode, ApiFailure> {
        self.post(
            "/api/devices/recovery-code",
            Some(credential),
            &serde_json::json!({}),
        )
        .await
    }

    pub async fn join_device(&self, req: &JoinDevice) -> Result<Credential, ApiFailure> {
        self.post("/api/devices/join", None, req).await
    }

    pub async fn devices(&self, credential: &str) -> Result<Devices, ApiFailure> {
        self.get("/api/devices", credential).await
    }

    pub async fn remove_device(&self, credential: &str, peer: &str) -> Result<(), ApiFailure> {
        let req = RemoveDevice {
            peer: peer.to_owned(),
        };
        self.post_empty("/api/devices/remove", Some(credential), &req)
            .await
    }

    pub async fn decline_invitation(&self, code: &str) -> Result<(), ApiFailure> {
        let req = CodeRequest {
            code: code.to_owned(),
        };
        self.post_empty("/api/invitations/decline", None, &req)
            .await
    }

    pub async fn register(
        &self,
        credential: &str,
        req: &RegisterDocument,
    ) -> Result<(), ApiFailure> {
        self.post_empty("/api/documents", Some(credential), req)
            .await
    }

    /// The directory, with the documents erased on the server at or after `erased_since`
    /// (RFC 3339; empty: all the server still remembers).
    pub async fn directory(
        &self,
        credential: &str,
        erased_since: &str,
    ) -> Result<Directory, ApiFailure> {
        let mut url = self.url("/api/directory")?;
        url.query_pairs_mut()
            .append_pair("erased_since", erased_since);
        let request = self.http.get(url);
        self.send(request, Some(credential))
            .await?
            .ok_or_else(|| ApiFailure::Unexpected("the directory answered without a body".into()))
    }

    /// Waits (up to `DIRECTORY_WAIT_SECS`) until the server says a registry change concerns her
    /// directory at mark `after`; true: ask for the directory again.
    pub async fn directory_changes(
        &self,
        credential: &str,
        after: u64,
    ) -> Result<bool, ApiFailure> {
        let mut url = self.url("/api/directory/changes")?;
        url.query_pairs_mut()
            .append_pair("after", &after.to_string());
        let request = self.http.get(url);
        let answer: Option<DirectoryChanges> = self.send(request, Some(credential)).await?;
        Ok(answer.is_some_and(|a| a.changed))
    }

    /// Tells the server her new name (names live in its registry only).
    pub async fn rename(&self, credential: &str, name: &str) -> Result<(), ApiFailure> {
        let req = Rename {
            name: name.to_owned(),
        };
        self.post_empty("/api/me/name", Some(credential), &req)
            .await
    }

    pub async fn set_matching(
        &self,
        credential: &str,
        req: &SetMatching,
    ) -> Result<(), ApiFailure> {
        self.post_empty("/api/programmes/matching", Some(credential), req)
            .await
    }

    pub async fn archive_programme(
        &self,
        credential: &str,
        programme: &str,
    ) -> Result<(), ApiFailure> {
        let req = ProgrammeEnd {
            programme: programme.to_owned(),
        };
        self.post_empty("/api/programmes/archive", Some(credential), &req)
            .await
    }

    pub async fn erase_programme(
        &self,
        credential: &str,
        programme: &str,
    ) -> Result<Erased, ApiFailure> {
        let req = ProgrammeEnd {
            programme: programme.to_owned(),
        };
        self.post("/api/programmes/erase", Some(credential), &req)
            .await
    }

    pub async fn create_invitations(
        &self,
        credential: &str,
        req: &CreateInvitations,
    ) -> Result<InvitationsCreated, ApiFailure> {
        self.post("/api/invitations/bulk", Some(credential), req)
            .await
    }

    pub async fn erase_person(
        &self,
        credential: &str,
        req: &ErasePerson,
    ) -> Result<Erased, ApiFailure> {
        self.post("/api/people/erase", Some(credential), req).await
    }

    /// Erases the person of `credential` from the server.
    pub async fn erase(&self, credential: &str) -> Result<Erased, ApiFailure> {
        self.post("/api/erase", Some(credential), &()).await
    }

    pub async fn create_group(
        &self,
        credential: &str,
        req: &CreateGroup,
    ) -> Result<GroupCreated, ApiFailure> {
        self.post("/api/groups", Some(credential), req).await
    }

    pub async fn dissolve_group(&self, credential: &str, group: &str) -> Result<(), ApiFailure> {
        let req = DissolveGroup {
            group: group.to_owned(),
        };
        self.post_empty("/api/groups/dissolve", Some(credential), &req)
            .await
    }

    pub async fn withdraw(&self, credential: &str, req: &Withdraw) -> Result<(), ApiFailure> {
        self.post_empty("/api/withdraw", Some(credential), req)
            .await
    }
}
