//! The HTTP API (`/api/…`, JSON; types in [`pm_domain::wire`]): setting up programmes,
//! invitations, a person's devices, registering documents, the directory, forming and dissolving
//! groups, withdrawing. Handlers translate HTTP into registry calls and [`pm_domain::access`]
//! rules, nothing more. Who a request acts for is decided here from its credential, never taken
//! from its body.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use pm_documents::docs::{self, NotesDoc};
use pm_domain::access::{Access, access, may_join_group, may_register};
use pm_domain::class_list;
use pm_domain::codes::{self, CodeError};
use pm_domain::model::{GroupKind, Role};
use pm_domain::wire::{
    AcceptInvitation, Accepted, ApiError, CodeRequest, CreateGroup, CreateInvitation,
    CreateInvitations, CreateProgramme, Credential, DIRECTORY_WAIT_SECS, DeviceInfo, Devices,
    Directory, DirectoryChanges, DirectoryEntry, DissolveGroup, ErasePerson, Erased, GroupCreated,
    InvitationCreated, InvitationInfo, InvitationState as WireInvitationState, InvitationsCreated,
    JoinDevice, LinkCode, MemberInfo, ProgrammeEnd, ProgrammeStatus, RegisterDocument,
    RemoveDevice, Rename, RevokeInvitation, SetMatching, SyncTicket, Withdraw,
};
use serde::Deserialize;

use crate::access::{AuthError, Identity};
use crate::registry::{
    Accept, Erasure, Formed, Invitation, InvitationState, LinkKind, NewGroup, NewInvitation,
    Registration, RegistryError,
};
use crate::state::App;
use crate::tickets::TICKET_LIFETIME;

/// How long a code that links another device stays valid.
const LINK_VALID_MINUTES: i64 = 10;
/// How long a recovery code stays good.
const RECOVERY_VALID_DAYS: i64 = 365;

/// An error answer.
pub struct Failure {
    status: StatusCode,
    body: ApiError,
}

impl Failure {
    fn new(status: StatusCode, code: &str, message: impl ToString) -> Failure {
        Failure {
            status,
            body: ApiError {
                code: code.to_owned(),
                message: message.to_string(),
                retry_after: None,
                existing: None,
            },
        }
    }

    fn forbidden() -> Failure {
        Failure::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "not allowed for this person",
        )
    }

    fn bad(message: impl ToString) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    fn conflict(message: impl ToString) -> Failure {
        Failure::new(StatusCode::CONFLICT, "conflict", message)
    }

    fn throttled(wait: std::time::Duration) -> Failure {
        let mut failure = Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many wrong attempts; try again later",
        );
        failure.body.retry_after = Some(wait.as_secs().max(1));
        failure
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(&self.body)).into_response();
        if let Some(seconds) = self.body.retry_after
            && let Ok(value) = seconds.to_string().parse()
        {
            response.headers_mut().insert("retry-after", value);
        }
        response
    }
}

impl From<RegistryError> for Failure {
    fn from(e: RegistryError) -> Self {
        tracing::error!(error = %e, "registry error");
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "the server could not do this",
        )
    }
}

impl From<AuthError> for Failure {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Registry(e) => e.into(),
            AuthError::Erased => Failure::new(StatusCode::GONE, "device_erased", e),
            other => Failure::new(StatusCode::UNAUTHORIZED, "unauthorized", other),
        }
    }
}

type Answer<T> = Result<Json<T>, Failure>;

/// A long random secret for a device (256 bits, hex).
fn new_credential() -> String {
    format!("{}{}", docs::new_id(), docs::new_id())
}

fn is_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_doc_id(s: &str) -> bool {
    s.parse::<samod::DocumentId>().is_ok()
}

fn name(s: &str) -> Result<String, Failure> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 120 {
        Err(Failure::bad("a name of 1 to 120 characters is needed"))
    } else {
        Ok(s.to_owned())
    }
}

/// An e-mail address as the coordinator typed it: empty, or one address of at most 254
/// characters.
fn email(s: &str) -> Result<String, Failure> {
    let s = s.trim();
    if s.is_empty()
        || (s.chars().count() <= 254 && s.contains('@') && !s.contains(char::is_whitespace))
    {
        Ok(s.to_owned())
    } else {
        Err(Failure::bad("not an e-mail address"))
    }
}

/// An ended (archived) programme takes no new invitations, members or groups.
fn require_open(app: &App, programme: &str) -> Result<(), Failure> {
    if app.registry.archived(programme)? {
        Err(Failure::new(
            StatusCode::CONFLICT,
            "programme_archived",
            "this programme has ended",
        ))
    } else {
        Ok(())
    }
}

fn require_coordinator(app: &App, who: &Identity, programme: &str) -> Result<(), Failure> {
    match app.registry.role(programme, &who.person)? {
        Some(Role::Coordinator) => Ok(()),
        _ => Err(Failure::forbidden()),
    }
}

// -- Programmes ---------------------------------------------------------------------------------

pub async fn create_programme(
    State(app): State<App>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(req): Json<CreateProgramme>,
) -> Result<(StatusCode, Json<Credential>), Failure> {
    app.guard.check(client.ip()).map_err(Failure::throttled)?;
    if !app.setup_key.matches(&req.setup_key) {
        app.guard.wrong(client.ip());
        tracing::warn!(client = %client.ip(), "a wrong setup key was tried");
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "setup_key_wrong",
            "the setup key is not this server's",
        ));
    }
    let known = app.gate.authenticate_if_present(&headers)?;
    if !is_id(&req.programme) || !is_peer(&req.peer) {
        return Err(Failure::bad("programme and peer ids are needed"));
    }
    let Some(person) = app.registry.create_programme(
        &req.programme,
        &name(&req.name)?,
        req.school.trim(),
        known.as_ref().map(|k| k.person.as_str()),
        &name(&req.coordinator_name)?,
    )?
    else {
        return Err(Failure::conflict("this programme exists already"));
    };
    let credential = issue_credential(&app, &req.peer, &person, "")?;
    tracing::info!(programme = %req.programme, "programme created");
    Ok((StatusCode::CREATED, Json(Credential { credential, person })))
}

/// Gives `peer` a new credential for `person`; refused if that device is someone else's.
fn issue_credential(app: &App, peer: &str, person: &str, label: &str) -> Result<String, Failure> {
    let credential = new_credential();
    if app.registry.add_device(peer, person, &credential, label)? {
        Ok(credential)
    } else {
        Err(Failure::conflict("this device belongs to someone else"))
    }
}

fn is_peer(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub async fn programme_status(
    State(app): State<App>,
    headers: HeaderMap,
    Path(programme): Path<String>,
) -> Answer<ProgrammeStatus> {
    let who = app.gate.authenticate(&headers)?;
    require_coordinator(&app, &who, &programme)?;
    let members = app
        .registry
        .members(&programme)?
        .into_iter()
        .map(|m| MemberInfo {
            person: m.person,
            name: m.name,
            role: m.role,
            active: m.active,
            invitation: m.invitation,
            last_seen: m.last_seen,
        })
        .collect();
    let invitations = app
        .registry
        .invitations(&programme)?
        .into_iter()
        .map(|i| WireInvitationState {
            id: i.id,
            name: i.name,
            email: i.email,
            role: i.role,
            state: i.state.to_owned(),
            expires_at: i.expires_at,
            person: i.person,
        })
        .collect();
    Ok(Json(ProgrammeStatus {
        members,
        invitations,
    }))
}

pub async fn withdraw(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<Withdraw>,
) -> Result<StatusCode, Failure> {
    let who = app.gate.authenticate(&headers)?;
    let person = match &req.person {
        Some(other) if *other != who.person => {
            require_coordinator(&app, &who, &req.programme)?;
            other.clone()
        }
        _ => who.person.clone(),
    };
    if app.registry.withdraw(&req.programme, &person)? {
        tracing::info!(programme = %req.programme, %person, "withdrawn from programme; access revoked");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "not an active member",
        ))
    }
}

// -- Invitations --------------------------------------------------------------------------------

pub async fn create_invitation(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<CreateInvitation>,
) -> Answer<InvitationCreated> {
    let who = app.gate.authenticate(&headers)?;
    require_coordinator(&app, &who, &req.programme)?;
    require_open(&app, &req.programme)?;
    if !matches!(
        req.role,
        Role::Mentor | Role::Mentee | Role::Student | Role::Professional | Role::Facilitator
    ) {
        return Err(Failure::bad("invitations are for participants"));
    }
    let days = i64::from(req.valid_days.clamp(1, 60));
    let expires_at =
        (Utc::now() + Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let code = codes::new_code();
    let id = docs::new_id();
    app.registry.create_invitation(&NewInvitation {
        id: &id,
        code: &code,
        programme: &req.programme,
        role: req.role,
        name: &name(&req.name)?,
        email: &email(&req.email)?,
        expires_at: &expires_at,
    })?;
    Ok(Json(InvitationCreated {
        id,
        code: codes::display(&code),
        expires_at,
    }))
}

/// A class list invited at once: every person checked as one invitation would be, then all
/// recorded in one transaction (or none).
pub async fn create_invitations(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<CreateInvitations>,
) -> Answer<InvitationsCreated> {
    let who = app.gate.authenticate(&headers)?;
    require_coordinator(&app, &who, &req.programme)?;
    require_open(&app, &req.programme)?;
    if req.people.is_empty() || req.people.len() > class_list::MAX_PEOPLE {
        return Err(Failure::bad("a list of 1 to 500 people is needed"));
    }
    let days = i64::from(req.valid_days.clamp(1, 60));
    let expires_at =
        (Utc::now() + Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut checked = Vec::with_capacity(req.people.len());
    for person in &req.people {
        if !matches!(
            person.role,
            Role::Mentor | Role::Mentee | Role::Student | Role::Professional | Role::Facilitator
        ) {
            return Err(Failure::bad("invitations are for participants"));
        }
        checked.push((
            docs::new_id(),
            codes::new_code(),
            name(&person.name)?,
            email(&person.email)?,
            person.role,
        ));
    }
    let rows: Vec<NewInvitation<'_>> = checked
        .iter()
        .map(|(id, code, name, email, role)| NewInvitation {
            id,
            code,
            programme: &req.programme,
            role: *role,
            name,
            email,
            expires_at: &expires_at,
        })
        .collect();
    app.registry.create_invitations(&rows)?;
    tracing::info!(programme = %req.programme, invitations = rows.len(), "class list invited");
    Ok(Json(InvitationsCreated {
        created: checked
            .iter()
            .map(|(id, code, ..)| InvitationCreated {
                id: id.clone(),
                code: codes::display(code),
                expires_at: expires_at.clone(),
            })
            .collect(),
    }))
}

pub async fn revoke_invitation(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<RevokeInvitation>,
) -> Result<StatusCode, Failure> {
    let who = app.gate.authenticate(&headers)?;
    require_coordinator(&app, &who, &req.programme)?;
    if app.registry.revoke_invitation(&req.programme, &req.id)? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no open invitation with this id",
        ))
    }
}

/// Finds the open invitation a typed code stands for. Valid codes cost nothing; unknown codes
/// count against the client's address, codes no longer open against their programme.
fn open_invitation(app: &App, client: SocketAddr, typed: &str) -> Result<Invitation, Failure> {
    app.guard.check(client.ip()).map_err(|wait| {
        tracing::warn!(client = %client.ip(), "invitation code attempts throttled");
        Failure::throttled(wait)
    })?;
    let code = codes::normalize(typed)
        .map_err(|e: CodeError| Failure::new(StatusCode::BAD_REQUEST, e.code(), e))?;
    let Some(invitation) = app.registry.invitation(&code)? else {
        app.guard.wrong(client.ip());
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            "code_unknown",
            "no invitation has this code",
        ));
    };
    let expired = chrono::DateTime::parse_from_rfc3339(&invitation.expires_at)
        .map_or(true, |t| t < Utc::now());
    let gone = |code: &str, message: &str| {
        app.guard
            .check_programme(&invitation.programme)
            .map_err(Failure::throttled)?;
        app.guard.spent(&invitation.programme);
        Err(Failure::new(StatusCode::GONE, code, message))
    };
    match invitation.state {
        InvitationState::Accepted => gone("code_used", "this invitation was already used"),
        InvitationState::Declined => gone("code_declined", "this invitation was declined"),
        InvitationState::Revoked => gone("code_revoked", "this invitation was withdrawn"),
        InvitationState::Open if expired => gone("code_expired", "this invitation has expired"),
        InvitationState::Open => Ok(invitation),
    }
}

pub async fn lookup_invitation(
    State(app): State<App>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Json(req): Json<CodeRequest>,
) -> Answer<InvitationInfo> {
    let invitation = open_invitation(&app, client, &req.code)?;
    Ok(Json(InvitationInfo {
        programme: invitation.programme,
        programme_name: invitation.programme_name,
        school: invitation.school,
        coordinator_name: invitation.coordinator_name,
        role: invitation.role,
        name: invitation.name,
        expires_at: invitation.expires_at,
    }))
}

pub async fn accept_invitation(
    State(app): State<App>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(req): Json<AcceptInvitation>,
) -> Answer<Accepted> {
    let known = app.gate.authenticate_if_present(&headers)?;
    if !is_peer(&req.peer) {
        return Err(Failure::bad("a peer id is needed"));
    }
    // The same acceptance again (its answer was lost, or the device stopped before keeping it):
    // the same person, with a fresh credential for this device.
    if let Ok(code) = codes::normalize(&req.code)
        && let Some(person) = app.registry.accepted_by(&code, &req.attempt)?
        && let Some(invitation) = app.registry.invitation(&code)?
    {
        let credential = issue_credential(&app, &req.peer, &person, "")?;
        tracing::info!(programme = %invitation.programme, "an acceptance was retried");
        return Ok(Json(Accepted {
            credential,
            person,
            programme: invitation.programme,
            role: invitation.role,
        }));
    }
    let invitation = open_invitation(&app, client, &req.code)?;
    require_open(&app, &invitation.programme)?;
    let name = name(&req.name)?;
    if let Some(known) = &known
        && known.peer != req.peer
    {
        return Err(Failure::bad("the peer id is not this credential's device"));
    }
    let person = match app.registry.accept(
        &invitation,
        known.as_ref().map(|k| k.person.as_str()),
        &name,
        &req.attempt,
    )? {
        Accept::Member(person) => person,
        Accept::Used => {
            return Err(Failure::new(
                StatusCode::GONE,
                "code_used",
                "this invitation was already used",
            ));
        }
        Accept::AlreadyMember => {
            return Err(Failure::conflict("already a member of this programme"));
        }
    };
    let credential = issue_credential(&app, &req.peer, &person, "")?;
    tracing::info!(programme = %invitation.programme, role = ?invitation.role, "invitation accepted");
    Ok(Json(Accepted {
        credential,
        person,
        programme: invitation.programme,
        role: invitation.role,
    }))
}

pub async fn decline_invitation(
    State(app): State<App>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Json(req): Json<CodeRequest>,
) -> Result<StatusCode, Failure> {
    let invitation = open_invitation(&app, client, &req.code)?;
    app.registry.decline(&invitation)?;
    Ok(StatusCode::NO_CONTENT)
}

// -- Documents and groups ----------------------------------------------------------------------

pub async fn register_document(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<RegisterDocument>,
) -> Result<StatusCode, Failure> {
    let who = app.gate.authenticate(&headers)?;
    if !is_doc_id(&req.id) {
        return Err(Failure::bad("not a document id"));
    }
    let actor = app.registry.actor(&who.person)?;
    if !may_register(&actor, &req.entry) {
        return Err(Failure::forbidden());
    }
    // Only private documents name a group here (to be found on her other devices); the group
    // must be this programme's, and may have been dissolved since.
    if let Some(group) = &req.entry.group {
        match app.registry.group(group)? {
            Some((programme, _)) if programme == req.entry.programme => {}
            _ => return Err(Failure::bad("no such group in this programme")),
        }
    }
    match app.registry.register(&req.id, &req.entry)? {
        Registration::Done => Ok(StatusCode::NO_CONTENT),
        Registration::Conflict => Err(Failure::new(
            StatusCode::CONFLICT,
            "conflict",
            "this document is registered otherwise",
        )),
        Registration::Taken(existing) => {
            let mut failure = Failure::new(
                StatusCode::CONFLICT,
                "already_registered",
                "her private notes on this group are already another document",
            );
            failure.body.existing = Some(existing);
            Err(failure)
        }
    }
}

/// `?erased_since=` of the directory.
#[derive(Debug, Deserialize)]
pub struct DirectoryQuery {
    #[serde(default)]
    erased_since: String,
}

pub async fn directory(
    State(app): State<App>,
    headers: HeaderMap,
    Query(query): Query<DirectoryQuery>,
) -> Answer<Directory> {
    let who = app.gate.authenticate(&headers)?;
    // Taken before anything is read, so a change made meanwhile is told of (doorbell.rs).
    let mark = app.registry.change_mark();
    // Taken before the erased documents are read, so none erased meanwhile is missed next time.
    let checked_at = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let actor = app.registry.actor(&who.person)?;
    let documents = app
        .registry
        .documents_near(&who.person)?
        .into_iter()
        .filter_map(|(id, entry)| {
            let access = access(&actor, &entry);
            (access != Access::None).then_some(DirectoryEntry { id, entry, access })
        })
        .collect();
    Ok(Json(Directory {
        people: app.registry.people_near(&who.person)?,
        erased: app.registry.erased_since(&query.erased_since)?,
        checked_at,
        person: who.person,
        memberships: actor.memberships,
        groups: actor.groups,
        documents,
        mark,
    }))
}

/// `?after=` of the directory's changes: the mark of her directory.
#[derive(Debug, Deserialize)]
pub struct ChangesQuery {
    #[serde(default)]
    after: u64,
}

/// Held until a registry change that concerns her comes, or `DIRECTORY_WAIT_SECS` pass, or the
/// server stops. A mark ahead of the registry's is from before the server started again: her
/// directory is asked for again at once.
pub async fn directory_changes(
    State(app): State<App>,
    headers: HeaderMap,
    Query(query): Query<ChangesQuery>,
) -> Answer<DirectoryChanges> {
    let who = app.gate.authenticate(&headers)?;
    let mut followed = app.doorbell.followed();
    let mut shutdown = app.shutdown.clone();
    let deadline = tokio::time::sleep(std::time::Duration::from_secs(DIRECTORY_WAIT_SECS));
    tokio::pin!(deadline);
    loop {
        if query.after > app.registry.change_mark()
            || app.doorbell.concerns(&who.person, query.after)
        {
            return Ok(Json(DirectoryChanges { changed: true }));
        }
        tokio::select! {
            followed = followed.changed() => if followed.is_err() { break },
            () = &mut deadline => break,
            _ = shutdown.changed() => break,
        }
    }
    Ok(Json(DirectoryChanges { changed: false }))
}

/// She changed her name.
pub async fn rename(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<Rename>,
) -> Result<StatusCode, Failure> {
    let who = app.gate.authenticate(&headers)?;
    app.registry.rename(&who.person, &name(&req.name)?)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The coordinator says whether participants choose each other.
pub async fn set_matching(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<SetMatching>,
) -> Result<StatusCode, Failure> {
    let who = app.gate.authenticate(&headers)?;
    require_coordinator(&app, &who, &req.programme)?;
    app.registry.set_matching(&req.programme, req.matching)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The coordinator ends her programme: read-only for everyone from now on.
pub async fn archive_programme(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<ProgrammeEnd>,
) -> Result<StatusCode, Failure> {
    let who = app.gate.authenticate(&headers)?;
    require_coordinator(&app, &who, &req.programme)?;
    app.registry.archive_programme(&req.programme)?;
    tracing::info!(programme = %req.programme, "programme archived; read-only for everyone");
    Ok(StatusCode::NO_CONTENT)
}

/// The coordinator erases an archived programme: every document (with its history) and
/// registry row of it; its devices drop their copies when they next ask.
pub async fn erase_programme(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<ProgrammeEnd>,
) -> Answer<Erased> {
    let who = app.gate.authenticate(&headers)?;
    require_coordinator(&app, &who, &req.programme)?;
    if !app.registry.archived(&req.programme)? {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            "archive_first",
            "a programme is archived before it is erased",
        ));
    }
    let documents = app.registry.erase_programme(&req.programme, &who.person)?;
    erase_documents(&app, &documents)?;
    tracing::info!(programme = %req.programme, documents = documents.len(), "programme erased");
    Ok(Json(Erased { documents }))
}

/// Deletes documents' chunks and writes the database's log back, so that only overwritten pages
/// are left of them.
fn erase_documents(app: &App, documents: &[String]) -> Result<(), Failure> {
    let failed = |e: String| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "server_error", e);
    app.chunks.erase_documents(documents).map_err(failed)
}

/// The coordinator erases someone who left her programme for good.
pub async fn erase_person(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<ErasePerson>,
) -> Answer<Erased> {
    let who = app.gate.authenticate(&headers)?;
    require_coordinator(&app, &who, &req.programme)?;
    if !app.registry.left_for_good(&req.programme, &req.person)? {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            "still_taking_part",
            "only someone who left and takes part nowhere else is erased this way",
        ));
    }
    let documents = match app.registry.erase_person(&req.person)? {
        Erasure::Erased(documents) => documents,
        Erasure::Coordinator => return Err(Failure::forbidden()),
    };
    erase_documents(&app, &documents)?;
    tracing::info!(
        documents = documents.len(),
        "the coordinator erased someone who left"
    );
    Ok(Json(Erased { documents }))
}

/// She erases her data: her registry rows go (her connections close as their credentials do),
/// then her documents' chunks, and the database's log is written back so only overwritten pages
/// are left of them.
pub async fn erase(State(app): State<App>, headers: HeaderMap) -> Answer<Erased> {
    let who = app.gate.authenticate(&headers)?;
    let documents = match app.registry.erase_person(&who.person)? {
        Erasure::Erased(documents) => documents,
        Erasure::Coordinator => {
            return Err(Failure::new(
                StatusCode::CONFLICT,
                "coordinator_erases_programme",
                "a coordinator's data goes when her programme is erased",
            ));
        }
    };
    erase_documents(&app, &documents)?;
    tracing::info!(documents = documents.len(), "a person erased her data");
    Ok(Json(Erased { documents }))
}

// -- Devices ------------------------------------------------------------------------------------

/// A single-use ticket for the sync socket, for a device that cannot send its credential in a
/// header there (a browser).
pub async fn sync_ticket(State(app): State<App>, headers: HeaderMap) -> Answer<SyncTicket> {
    let who = app.gate.authenticate(&headers)?;
    let issued = app.tickets.issue(who);
    match issued {
        Ok(ticket) => Ok(Json(SyncTicket {
            ticket,
            expires_in_secs: TICKET_LIFETIME.as_secs(),
        })),
        Err(e) => Err(Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server_error",
            e,
        )),
    }
}

pub async fn link_device(State(app): State<App>, headers: HeaderMap) -> Answer<LinkCode> {
    link_code(
        &app,
        &headers,
        LinkKind::Link,
        Duration::minutes(LINK_VALID_MINUTES),
    )
}

/// A recovery code: a linking code she keeps (a password manager, paper) to get everything back
/// on a device that lost it (a browser that cleared the site's data, a new phone). Single use,
/// a year; a new one replaces the last.
pub async fn recovery_code(State(app): State<App>, headers: HeaderMap) -> Answer<LinkCode> {
    link_code(
        &app,
        &headers,
        LinkKind::Recovery,
        Duration::days(RECOVERY_VALID_DAYS),
    )
}

fn link_code(app: &App, headers: &HeaderMap, kind: LinkKind, valid: Duration) -> Answer<LinkCode> {
    let who = app.gate.authenticate(headers)?;
    let code = codes::new_code();
    let expires_at = (Utc::now() + valid).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    app.registry
        .create_link_code(&who.person, &code, &expires_at, kind)?;
    Ok(Json(LinkCode {
        code: codes::display(&code),
        expires_at,
    }))
}

pub async fn join_device(
    State(app): State<App>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Json(req): Json<JoinDevice>,
) -> Answer<Credential> {
    app.guard.check(client.ip()).map_err(Failure::throttled)?;
    let code = codes::normalize(&req.code)
        .map_err(|e: CodeError| Failure::new(StatusCode::BAD_REQUEST, e.code(), e))?;
    if !is_peer(&req.peer) {
        return Err(Failure::bad("a peer id is needed"));
    }
    // The same linking again (its answer was lost): the same person, a fresh credential.
    let person = match app
        .registry
        .take_link_code(&code, &req.attempt, &req.peer)?
    {
        Some(person) => person,
        None => match app.registry.linked_by(&code, &req.attempt, &req.peer)? {
            Some(person) => {
                tracing::info!("a linking was retried");
                person
            }
            None => {
                app.guard.wrong(client.ip());
                return Err(Failure::new(
                    StatusCode::NOT_FOUND,
                    "link_unknown",
                    "no device is waiting for this code, or it expired",
                ));
            }
        },
    };
    let label: String = req.label.trim().chars().take(60).collect();
    let credential = issue_credential(&app, &req.peer, &person, &label)?;
    tracing::info!("a device was linked");
    Ok(Json(Credential { credential, person }))
}

pub async fn devices(State(app): State<App>, headers: HeaderMap) -> Answer<Devices> {
    let who = app.gate.authenticate(&headers)?;
    let devices = app
        .registry
        .devices(&who.person)?
        .into_iter()
        .map(|d| DeviceInfo {
            this_device: d.peer == who.peer,
            peer: d.peer,
            label: d.label,
            added_at: d.added_at,
            last_seen: d.last_seen,
        })
        .collect();
    Ok(Json(Devices { devices }))
}

pub async fn remove_device(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<RemoveDevice>,
) -> Result<StatusCode, Failure> {
    let who = app.gate.authenticate(&headers)?;
    if app.registry.remove_device(&who.person, &req.peer)? {
        tracing::info!("a device was removed; its credential no longer works");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such device of yours",
        ))
    }
}

// -- Groups -------------------------------------------------------------------------------------

pub async fn create_group(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<CreateGroup>,
) -> Answer<GroupCreated> {
    let who = app.gate.authenticate(&headers)?;
    require_coordinator(&app, &who, &req.programme)?;
    require_open(&app, &req.programme)?;
    if !is_id(&req.group) || !is_doc_id(&req.group_doc) {
        return Err(Failure::bad("group and group document ids are needed"));
    }
    if req.members.is_empty() || req.members.len() > 20 {
        return Err(Failure::bad("a group needs 1 to 20 members"));
    }
    for person in &req.members {
        match app.registry.role(&req.programme, person)? {
            Some(role) if may_join_group(req.kind, role) => {}
            Some(_) => {
                return Err(Failure::bad(format!(
                    "{person} cannot be a member of this kind of group"
                )));
            }
            None => {
                return Err(Failure::bad(format!(
                    "{person} is not an active member of the programme"
                )));
            }
        }
    }
    let mut group = NewGroup {
        id: req.group.clone(),
        programme: req.programme.clone(),
        kind: match req.kind {
            GroupKind::Pair => "pair",
            GroupKind::Circle => "circle",
        },
        members: req.members.clone(),
        group_doc: req.group_doc.clone(),
        notes_doc: String::new(),
    };
    // A retry of a group formed before finds its notes without making new ones.
    if app.registry.group(&req.group)?.is_none() {
        // The group's notes are made here, so the coordinator's device never holds them.
        let notes = docs::create(&NotesDoc::new(&req.group)).map_err(Failure::bad)?;
        let handle = app.repo.create(notes).await.map_err(|_| {
            Failure::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "server_error",
                "the server is shutting down",
            )
        })?;
        group.notes_doc = handle.document_id().to_string();
    }
    match app.registry.form_group(&group)? {
        Formed::New => {
            tracing::info!(group = %req.group, members = req.members.len(), "group formed");
            Ok(Json(GroupCreated {
                notes_doc: group.notes_doc,
            }))
        }
        Formed::Already(notes_doc) => Ok(Json(GroupCreated { notes_doc })),
        Formed::Conflict => Err(Failure::conflict(
            "this group or one of its documents exists already",
        )),
    }
}

pub async fn dissolve_group(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<DissolveGroup>,
) -> Result<StatusCode, Failure> {
    let who = app.gate.authenticate(&headers)?;
    let Some((programme, _)) = app.registry.group(&req.group)? else {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such group",
        ));
    };
    require_coordinator(&app, &who, &programme)?;
    app.registry.dissolve_group(&req.group)?;
    tracing::info!(group = %req.group, "group dissolved; access revoked");
    Ok(StatusCode::NO_CONTENT)
}
