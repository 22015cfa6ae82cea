//! The HTTP API (`/api/…`, JSON; types in [`mentoring::wire`]): setting up programmes,
//! invitations, registering documents, the directory, forming and dissolving groups, withdrawing.
//! Handlers translate HTTP into registry calls and [`mentoring::access`] rules, nothing more.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use mentoring::access::{DocEntry, may_read, may_register};
use mentoring::codes::{self, CodeError};
use mentoring::docs::{self, NotesDoc};
use mentoring::model::{DocKind, GroupKind, Role};
use mentoring::wire::{
    AcceptInvitation, Accepted, ApiError, CodeRequest, CreateGroup, CreateInvitation,
    CreateProgramme, Credential, Directory, DissolveGroup, GroupCreated, InvitationCreated,
    InvitationInfo, InvitationState as WireInvitationState, MemberInfo, ProgrammeStatus,
    RegisterDocument, RevokeInvitation, Withdraw,
};

use crate::access::{AuthError, Identity};
use crate::registry::{Invitation, InvitationState, RegistryError};
use crate::server::App;

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

fn require_coordinator(app: &App, who: &Identity, programme: &str) -> Result<(), Failure> {
    match app.registry.role(programme, &who.person)? {
        Some(Role::Coordinator) => Ok(()),
        _ => Err(Failure::forbidden()),
    }
}

// -- Programmes ---------------------------------------------------------------------------------

pub async fn create_programme(
    State(app): State<App>,
    Json(req): Json<CreateProgramme>,
) -> Response {
    let result = (|| -> Result<(StatusCode, Json<Credential>), Failure> {
        if req.setup_key.trim() != app.setup_key {
            return Err(Failure::new(
                StatusCode::FORBIDDEN,
                "setup_key_wrong",
                "the setup key is not this server's",
            ));
        }
        if !is_id(&req.programme) || !is_id(&req.coordinator) || req.peer.trim().is_empty() {
            return Err(Failure::bad(
                "programme, coordinator and peer ids are needed",
            ));
        }
        let created = app.registry.create_programme(
            &req.programme,
            &name(&req.name)?,
            req.school.trim(),
            &req.coordinator,
            &name(&req.coordinator_name)?,
        )?;
        if !created {
            return Err(Failure::new(
                StatusCode::CONFLICT,
                "conflict",
                "this programme exists already",
            ));
        }
        let credential = new_credential();
        if !app
            .registry
            .add_device(&req.peer, &req.coordinator, &credential)?
        {
            return Err(Failure::new(
                StatusCode::CONFLICT,
                "conflict",
                "this device belongs to someone else",
            ));
        }
        tracing::info!(programme = %req.programme, "programme created");
        Ok((StatusCode::CREATED, Json(Credential { credential })))
    })();
    match result {
        Ok(ok) => ok.into_response(),
        Err(e) => e.into_response(),
    }
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
    app.registry.create_invitation(
        &id,
        &code,
        &req.programme,
        req.role,
        &name(&req.name)?,
        &expires_at,
    )?;
    Ok(Json(InvitationCreated {
        id,
        code: codes::display(&code),
        expires_at,
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

/// Finds the open invitation a typed code stands for, throttling attempts per client.
fn open_invitation(app: &App, client: SocketAddr, typed: &str) -> Result<Invitation, Failure> {
    if let Err(wait) = app.limiter.attempt(client.ip()) {
        tracing::warn!(client = %client.ip(), "invitation code attempts throttled");
        let mut failure = Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many attempts; try again later",
        );
        failure.body.retry_after = Some(wait.as_secs().max(1));
        return Err(failure);
    }
    let code = codes::normalize(typed)
        .map_err(|e: CodeError| Failure::new(StatusCode::BAD_REQUEST, e.code(), e))?;
    let Some(invitation) = app.registry.invitation(&code)? else {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            "code_unknown",
            "no invitation has this code",
        ));
    };
    let expired = chrono::DateTime::parse_from_rfc3339(&invitation.expires_at)
        .map_or(true, |t| t < Utc::now());
    let gone = |code: &str, message: &str| Err(Failure::new(StatusCode::GONE, code, message));
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
    Json(req): Json<AcceptInvitation>,
) -> Answer<Accepted> {
    let invitation = open_invitation(&app, client, &req.code)?;
    if !is_id(&req.person) || req.peer.trim().is_empty() {
        return Err(Failure::bad("person and peer ids are needed"));
    }
    let credential = new_credential();
    if !app
        .registry
        .add_device(&req.peer, &req.person, &credential)?
    {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            "conflict",
            "this device belongs to someone else",
        ));
    }
    if !app
        .registry
        .accept(&invitation, &req.person, &name(&req.name)?)?
    {
        return Err(Failure::new(
            StatusCode::GONE,
            "code_used",
            "this invitation was already used",
        ));
    }
    tracing::info!(programme = %invitation.programme, role = ?invitation.role, "invitation accepted");
    Ok(Json(Accepted {
        credential,
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
    if let Some(group) = &req.entry.group {
        match app.registry.group(group)? {
            Some((programme, true)) if programme == req.entry.programme => {}
            _ => return Err(Failure::bad("no such active group in this programme")),
        }
    }
    if app.registry.register(&req.id, &req.entry)? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::new(
            StatusCode::CONFLICT,
            "conflict",
            "this document is registered otherwise",
        ))
    }
}

pub async fn directory(State(app): State<App>, headers: HeaderMap) -> Answer<Directory> {
    let who = app.gate.authenticate(&headers)?;
    let actor = app.registry.actor(&who.person)?;
    let documents = app
        .registry
        .documents_near(&who.person)?
        .into_iter()
        .filter(|(_, entry)| may_read(&actor, entry))
        .map(|(id, entry)| RegisterDocument { id, entry })
        .collect();
    Ok(Json(Directory {
        memberships: actor.memberships,
        groups: actor.groups,
        documents,
    }))
}

pub async fn create_group(
    State(app): State<App>,
    headers: HeaderMap,
    Json(req): Json<CreateGroup>,
) -> Answer<GroupCreated> {
    let who = app.gate.authenticate(&headers)?;
    require_coordinator(&app, &who, &req.programme)?;
    if !is_id(&req.group) || !is_doc_id(&req.group_doc) {
        return Err(Failure::bad("group and group document ids are needed"));
    }
    if req.members.is_empty() {
        return Err(Failure::bad("a group needs members"));
    }
    for person in &req.members {
        if app.registry.role(&req.programme, person)?.is_none() {
            return Err(Failure::bad(format!(
                "{person} is not an active member of the programme"
            )));
        }
    }
    let kind = match req.kind {
        GroupKind::Pair => "pair",
        GroupKind::Circle => "circle",
    };
    app.registry
        .create_group(&req.group, &req.programme, kind, &req.members)?;
    let entry = |kind| DocEntry {
        kind,
        programme: req.programme.clone(),
        group: Some(req.group.clone()),
        owner: None,
    };
    if !app
        .registry
        .register(&req.group_doc, &entry(DocKind::Group))?
    {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            "conflict",
            "this document is registered otherwise",
        ));
    }
    // The group's notes are made here, so the coordinator's device never holds them.
    let notes = docs::create(&NotesDoc::new(&req.group)).map_err(Failure::bad)?;
    let handle = app.repo.create(notes).await.map_err(|_| {
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server_error",
            "the server is shutting down",
        )
    })?;
    let notes_doc = handle.document_id().to_string();
    app.registry.register(&notes_doc, &entry(DocKind::Notes))?;
    tracing::info!(group = %req.group, members = req.members.len(), "group formed");
    Ok(Json(GroupCreated { notes_doc }))
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
