//! The sync server's HTTP API (`/api/…`, JSON) as plain types, shared by the server and the
//! devices so both sides agree. Requests that act for someone carry
//! `Authorization: Bearer <credential>`; errors come back as [`ApiError`] with a stable code.

use serde::{Deserialize, Serialize};

use crate::access::{DocEntry, Membership};
use crate::model::{GroupKind, Role};

/// `POST /api/programmes`: a coordinator sets up a programme (needs the server's setup key).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateProgramme {
    pub setup_key: String,
    pub programme: String,
    pub name: String,
    pub school: String,
    pub coordinator: String,
    pub coordinator_name: String,
    pub peer: String,
}

/// A device's credential, handed out once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Credential {
    pub credential: String,
}

/// `POST /api/invitations` (coordinator).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateInvitation {
    pub programme: String,
    pub role: Role,
    /// How the coordinator addresses her; shown to her when she opens the invitation.
    pub name: String,
    /// Days until the code expires (1 to 60).
    pub valid_days: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InvitationCreated {
    pub id: String,
    pub code: String,
    pub expires_at: String,
}

/// `POST /api/invitations/lookup` and `…/decline`: a code as typed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodeRequest {
    pub code: String,
}

/// What an invitee sees before she accepts or declines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub programme: String,
    pub programme_name: String,
    pub school: String,
    pub coordinator_name: String,
    pub role: Role,
    pub name: String,
    pub expires_at: String,
}

/// `POST /api/invitations/accept`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AcceptInvitation {
    pub code: String,
    pub person: String,
    pub name: String,
    pub peer: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Accepted {
    pub credential: String,
    pub programme: String,
    pub role: Role,
}

/// `POST /api/invitations/revoke` (coordinator).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RevokeInvitation {
    pub programme: String,
    pub id: String,
}

/// `POST /api/documents`: describe a new document so the server knows who may have it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegisterDocument {
    pub id: String,
    pub entry: DocEntry,
}

/// `GET /api/directory`: the person's memberships and every document she may have.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Directory {
    pub memberships: Vec<Membership>,
    pub groups: Vec<String>,
    pub documents: Vec<RegisterDocument>,
}

/// `POST /api/groups` (coordinator): form a pair or circle. The server makes its notes
/// document, so the coordinator's device never holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateGroup {
    pub programme: String,
    pub group: String,
    pub kind: GroupKind,
    pub members: Vec<String>,
    pub group_doc: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupCreated {
    pub notes_doc: String,
}

/// `POST /api/groups/dissolve` (coordinator).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DissolveGroup {
    pub group: String,
}

/// `POST /api/withdraw`: a person leaves a programme (or the coordinator removes her).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Withdraw {
    pub programme: String,
    pub person: Option<String>,
}

/// `GET /api/programmes/{id}/status` (coordinator): members and invitations.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProgrammeStatus {
    pub members: Vec<MemberInfo>,
    pub invitations: Vec<InvitationState>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberInfo {
    pub person: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub invitation: Option<String>,
    /// When one of her devices last talked to the server.
    pub last_seen: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationState {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// open, accepted, declined or revoked
    pub state: String,
    pub expires_at: String,
    pub person: Option<String>,
}

/// An error answer: a stable code (translated as `error.<code>`), and a message for logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// For `too_many_attempts`: seconds until the next attempt may be made.
    pub retry_after: Option<u64>,
}
