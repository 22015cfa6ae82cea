//! The sync server's HTTP API (`/api/…`, JSON) as plain types, shared by the server and the
//! devices so both sides agree. Requests that act for someone carry
//! `Authorization: Bearer <credential>`; errors come back as [`ApiError`] with a stable code.

use serde::{Deserialize, Serialize};

use crate::access::{Access, DocEntry, Membership};
use crate::model::{GroupKind, Role};

/// The path the sync server accepts websocket connections on (samod's sync protocol).
pub const SYNC_PATH: &str = "/sync";

/// `POST /api/sync-tickets` (with the device's bearer credential): a single-use ticket to
/// present at the sync socket's upgrade as `/sync?ticket=…`, for clients that cannot set
/// headers on a WebSocket (browsers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncTicket {
    pub ticket: String,
    /// Seconds it may wait to be used.
    pub expires_in_secs: u64,
}

/// `POST /api/programmes`: a coordinator sets up a programme (needs the server's setup key). The
/// server decides who she is: the person of the credential sent along, or a new person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateProgramme {
    pub setup_key: String,
    pub programme: String,
    pub name: String,
    pub school: String,
    pub coordinator_name: String,
    pub peer: String,
}

/// A device's credential, handed out once, and the person the server made it for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Credential {
    pub credential: String,
    pub person: String,
}

/// `POST /api/invitations` (coordinator).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateInvitation {
    pub programme: String,
    pub role: Role,
    /// How the coordinator addresses her; shown to her when she opens the invitation.
    pub name: String,
    /// Where the coordinator sends the invitation (may be empty). Kept by the server only, so
    /// it can be erased: gone when she declines, and a set number of days after she accepts
    /// or the code expires.
    #[serde(default)]
    pub email: String,
    /// Days until the code expires (1 to 60).
    pub valid_days: u32,
}

/// `POST /api/invitations/bulk` (coordinator): a class list's people invited at once, all or
/// none; at most [`crate::class_list::MAX_PEOPLE`]. Answers their invitations in the same order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateInvitations {
    pub programme: String,
    pub people: Vec<crate::class_list::Invitee>,
    pub valid_days: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InvitationsCreated {
    pub created: Vec<InvitationCreated>,
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

/// `POST /api/invitations/accept`. Who accepts is the server's decision: the person of the
/// credential sent along (someone joining a second programme), or a new person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AcceptInvitation {
    pub code: String,
    pub name: String,
    pub peer: String,
    /// A secret the device makes once per acceptance and sends again on every retry, so that a
    /// retry after a lost answer gets the same person instead of "code used".
    #[serde(default)]
    pub attempt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Accepted {
    pub credential: String,
    pub person: String,
    pub programme: String,
    pub role: Role,
}

/// `POST /api/devices/link` (a device of hers): a short-lived, single-use code to link another
/// device to her.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkCode {
    pub code: String,
    pub expires_at: String,
}

/// `POST /api/devices/join`: the new device trades a linking code for its own credential.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JoinDevice {
    pub code: String,
    pub peer: String,
    /// What she calls this device ("telefoon", "laptop").
    pub label: String,
    /// A secret the device made and kept before asking: the same request again after a lost
    /// answer links the same device instead of failing on a spent code.
    #[serde(default)]
    pub attempt: String,
}

/// `GET /api/devices`: her devices.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Devices {
    pub devices: Vec<DeviceInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub peer: String,
    pub label: String,
    pub added_at: String,
    pub last_seen: Option<String>,
    /// The device that asked.
    pub this_device: bool,
}

/// `POST /api/devices/remove`: one of her devices loses its credential at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RemoveDevice {
    pub peer: String,
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

/// `GET /api/directory`: the person herself, her memberships and every document she may have,
/// with what she may do with it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Directory {
    pub person: String,
    pub memberships: Vec<Membership>,
    pub groups: Vec<String>,
    pub documents: Vec<DirectoryEntry>,
    /// The names of the people she works with (herself, her groups' members, her programmes'
    /// coordinators; a coordinator: her programmes' members; in a matching programme: its
    /// participants). Names live only here and in the server's registry, never in a synced
    /// document, so erasing a person erases her name; someone missing has left.
    #[serde(default)]
    pub people: Vec<PersonName>,
    /// Documents erased from the server since `?erased_since=` (programme end, a person's
    /// erasure): devices drop their copies.
    #[serde(default)]
    pub erased: Vec<String>,
    /// The server's time of this answer (RFC 3339): the next `erased_since`.
    #[serde(default)]
    pub checked_at: String,
    /// Where the server's log of registry changes stood before this answer: the `after` of
    /// `GET /api/directory/changes`, which answers once a change that concerns her comes.
    #[serde(default)]
    pub mark: u64,
}

/// `GET /api/directory/changes?after=MARK`: held by the server until a registry change that
/// concerns her comes (her directory may differ: ask for it again) or [`DIRECTORY_WAIT_SECS`]
/// pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryChanges {
    pub changed: bool,
}

/// How long the server holds `GET /api/directory/changes` (below the devices' 20 s request
/// timeout).
pub const DIRECTORY_WAIT_SECS: u64 = 15;

/// A person's name as the registry keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    pub person: String,
    pub name: String,
    pub role: Role,
}

/// `POST /api/me/name`: she changed her name (the server keeps the names; see [`Directory`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rename {
    pub name: String,
}

/// `POST /api/programmes/matching` (coordinator): whether participants choose each other, so
/// they see each other's names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetMatching {
    pub programme: String,
    pub matching: bool,
}

/// `POST /api/erase`: the person of the credential erases her data from the server: her own
/// documents (with their history), her registry rows, her devices' credentials, her invitation.
/// Her other devices are told (`device_erased`) and erase their copies.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Erased {
    /// The documents deleted from the server's storage.
    pub documents: Vec<String>,
}

/// A document in the directory: what the server registered about it, and her access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub id: String,
    pub entry: DocEntry,
    pub access: Access,
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

/// `POST /api/programmes/archive` and `…/erase` (coordinator): the programme ends (read-only
/// for everyone), and later it is erased (every document and registry row of it). Erasing
/// needs it archived first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgrammeEnd {
    pub programme: String,
}

/// `POST /api/people/erase` (coordinator): erases someone who left her programme and is in no
/// other, as she would herself (she can no longer: leaving took her devices' credentials).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErasePerson {
    pub programme: String,
    pub person: String,
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
    /// Empty once declined or past retention.
    pub name: String,
    #[serde(default)]
    pub email: String,
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
    /// For `already_registered`: the document she already has in its place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing: Option<String>,
}

impl ApiError {
    /// The kind of a code the server answers with.
    pub fn kind(&self) -> crate::api::ErrorKind {
        use crate::api::ErrorKind;
        match self.code.as_str() {
            "forbidden" | "unauthorized" | "setup_key_wrong" | "too_many_attempts" => {
                ErrorKind::Denied
            }
            "not_found" | "code_unknown" | "link_unknown" | "device_erased" => ErrorKind::NotFound,
            "server_error" => ErrorKind::Infrastructure,
            _ => ErrorKind::Invalid,
        }
    }
}
