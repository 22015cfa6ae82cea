//! What a person does in the app, as operations on her device: her profile and the demo
//! ([this module](self)), a mentor's and mentee's pair ([`pair`]), accepting or declining an
//! invitation and leaving a programme ([`joining`]), and running a programme as its coordinator
//! ([`coordinator`]). Each operation reads and changes documents through the [`Device`], talks
//! to the server's API through [`ServerApi`], and builds its answer with [`crate::views`]; the
//! app shell only translates requests into these calls.

mod circle;
mod contact;
mod coordinator;
mod ending;
mod joining;
mod pair;
mod personal;
mod settings;

use settings::Setting;

use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime};
use futures::future::{Either, select};
use url::Url;

pub use coordinator::ProgrammeForm;

use crate::access::{Access, DocEntry};
use crate::api::{ErrorKind, Profile, SyncState, TextValue};
use crate::client::{ApiFailure, ServerApi};
use crate::codes::CodeError;
use crate::demo;
use crate::device::{Device, DeviceError, Sharing};
use crate::docs::{
    self, DocError, DocSchema, GroupDoc, NotesDoc, PreparationDoc, PrivateDoc, ProgrammeDoc,
};
use crate::model::{DocKind, Language, Role};
use crate::runtime;
use crate::wire::{Directory, RegisterDocument};

/// Longest name accepted, in characters.
pub const MAX_NAME: usize = 80;
/// Longest place accepted, in characters.
pub const MAX_PLACE: usize = 200;
/// How long writing waits for a meeting's notes text that is on its way from the server.
const TEXT_ARRIVAL: Duration = Duration::from_secs(3);
/// How often a connected device asks the server whether it may have new documents.
pub const DIRECTORY_EVERY: Duration = Duration::from_secs(8);
/// How often it looks whether the text arrived meanwhile.
const TEXT_POLL: Duration = Duration::from_millis(50);

/// Why [`Session::keep_in_touch`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The device closed.
    Closed,
    /// Her data was erased (from another of her devices): this device erased everything and
    /// the app must start again.
    Erased,
}

/// Something the person asked for that cannot be done, with a code the window words in her
/// language (`error.<code>` in [`crate::i18n`]).
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("a name is needed")]
    NameRequired,
    #[error("the name is longer than {MAX_NAME} characters")]
    NameTooLong,
    #[error("choose mentor or mentee first")]
    RoleRequired,
    #[error("not a date: {0:?} (expected YYYY-MM-DD)")]
    BadDate(String),
    #[error("not a time: {0:?} (expected HH:MM)")]
    BadTime(String),
    #[error("the place is longer than {MAX_PLACE} characters")]
    PlaceTooLong,
    #[error("the text is empty")]
    TextRequired,
    #[error("ask the mentee about her own experience before marking the meeting as held")]
    AskFirst,
    #[error("the meeting has no date yet")]
    NoDate,
    #[error("no such pair on this device: {0}")]
    UnknownGroup(String),
    #[error("no such meeting: {0}")]
    UnknownMeeting(String),
    #[error("not a field that can be changed: {0}")]
    BadField(String),
    #[error("not a server address: {0}")]
    BadServer(String),
    #[error("this device is not connected to a programme's server yet")]
    NoServer,
    #[error("{0}")]
    Code(#[from] CodeError),
    #[error(transparent)]
    Api(#[from] ApiFailure),
    #[error("only the programme's coordinator can do this")]
    NotCoordinator,
    #[error("this mentor has no room for another mentee")]
    MentorFull,
    #[error("this person is already in a pair")]
    AlreadyPaired,
    #[error("this person has not accepted her invitation (yet)")]
    NotAccepted,
    #[error("this session cannot be planned so: {0:?}")]
    Plan(crate::circle::PlanProblem),
    #[error("choose the teacher who guides the circle")]
    TeacherRequired,
    #[error("this person takes part in another role")]
    WrongRole,
    #[error("this device belongs to someone already; only a new device can be linked")]
    AlreadyLinked,
    #[error("only the circle's teacher can do this")]
    NotFacilitator,
    #[error("no certificate: {0}")]
    NoCertificate(String),
    #[error("this meeting's shared notes have not arrived on this device yet")]
    NotesNotArrived,
    #[error(transparent)]
    Device(#[from] DeviceError),
}

impl From<DocError> for ActionError {
    fn from(e: DocError) -> Self {
        match e {
            DocError::NoSuchMeeting(id) => ActionError::UnknownMeeting(id),
            other => ActionError::Device(DeviceError::Doc(other)),
        }
    }
}

impl From<crate::store::StoreError> for ActionError {
    fn from(e: crate::store::StoreError) -> Self {
        ActionError::Device(DeviceError::Store(e))
    }
}

impl ActionError {
    /// What sort of failure it is (see [`ErrorKind`]).
    pub fn kind(&self) -> ErrorKind {
        use ActionError as E;
        match self {
            E::NameRequired
            | E::NameTooLong
            | E::RoleRequired
            | E::BadDate(_)
            | E::BadTime(_)
            | E::PlaceTooLong
            | E::TextRequired
            | E::AskFirst
            | E::NoDate
            | E::BadField(_)
            | E::BadServer(_)
            | E::Code(_)
            | E::MentorFull
            | E::AlreadyPaired
            | E::NotAccepted
            | E::Plan(_)
            | E::TeacherRequired
            | E::WrongRole
            | E::AlreadyLinked
            | E::NoCertificate(_) => ErrorKind::Invalid,
            E::NotCoordinator | E::NotFacilitator | E::Device(DeviceError::ReadOnly(_)) => {
                ErrorKind::Denied
            }
            E::UnknownGroup(_) | E::UnknownMeeting(_) | E::Device(DeviceError::NotFound(_)) => {
                ErrorKind::NotFound
            }
            E::Api(ApiFailure::Refused(refusal)) => refusal.kind(),
            E::NoServer | E::NotesNotArrived | E::Api(_) | E::Device(_) => {
                ErrorKind::Infrastructure
            }
        }
    }

    /// The stable code the window translates.
    pub fn code(&self) -> String {
        match self {
            ActionError::NameRequired => "name_required",
            ActionError::NameTooLong => "name_too_long",
            ActionError::RoleRequired => "role_required",
            ActionError::BadDate(_) => "bad_date",
            ActionError::BadTime(_) => "bad_time",
            ActionError::PlaceTooLong => "place_too_long",
            ActionError::TextRequired => "text_required",
            ActionError::AskFirst => "ask_first",
            ActionError::NoDate => "no_date",
            ActionError::UnknownGroup(_) => "unknown_group",
            ActionError::UnknownMeeting(_) => "unknown_meeting",
            ActionError::BadField(_) => "bad_field",
            ActionError::BadServer(_) => "bad_server",
            ActionError::NoServer => "no_server",
            ActionError::Code(e) => e.code(),
            ActionError::Api(e) => return e.code().to_owned(),
            ActionError::NotCoordinator => "not_coordinator",
            ActionError::MentorFull => "mentor_full",
            ActionError::AlreadyPaired => "already_paired",
            ActionError::NotAccepted => "not_accepted",
            ActionError::Plan(problem) => match problem {
                crate::circle::PlanProblem::ExtraSession { .. } => "extra_session",
                crate::circle::PlanProblem::TooLong { .. } => "session_too_long",
                crate::circle::PlanProblem::BadDuration { .. } => "bad_duration",
                crate::circle::PlanProblem::SchoolWithoutReason => "school_reason",
                crate::circle::PlanProblem::HostNotProfessional => "host_not_professional",
            },
            ActionError::TeacherRequired => "teacher_required",
            ActionError::WrongRole => "wrong_role",
            ActionError::AlreadyLinked => "already_linked",
            ActionError::NotFacilitator => "not_facilitator",
            ActionError::NoCertificate(_) => "no_certificate",
            ActionError::NotesNotArrived => "notes_not_arrived",
            ActionError::Device(DeviceError::Store(_)) => "storage_failed",
            ActionError::Device(DeviceError::ReadOnly(_)) => "read_only",
            ActionError::Device(_) => "device_failed",
        }
        .to_owned()
    }
}

/// Reads a date typed by a person.
pub fn parse_date(text: &str) -> Result<NaiveDate, ActionError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ActionError::BadDate(text.to_owned()))
}

/// Reads a time typed by a person ("14:30").
pub fn parse_time(text: &str) -> Result<NaiveTime, ActionError> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| ActionError::BadTime(text.to_owned()))
}

/// Reads a server address as typed: with or without `http://`, with or without a path.
pub fn parse_server(text: &str) -> Result<Url, ActionError> {
    let text = text.trim();
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("https://{text}")
    };
    let mut url = Url::parse(&with_scheme).map_err(|_| ActionError::BadServer(text.to_owned()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ActionError::BadServer(text.to_owned()));
    }
    url.set_path("/");
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

fn check_name(name: &str) -> Result<String, ActionError> {
    let name = name.trim();
    if name.is_empty() {
        Err(ActionError::NameRequired)
    } else if name.chars().count() > MAX_NAME {
        Err(ActionError::NameTooLong)
    } else {
        Ok(name.to_owned())
    }
}

/// The documents of one pair.
struct PairDocs {
    programme: ProgrammeDoc,
    group: GroupDoc,
    notes_id: String,
    notes: NotesDoc,
}

/// A person working on her device.
#[derive(Clone)]
pub struct Session {
    device: Arc<Device>,
}

impl Session {
    /// A session on `device`; what she may only read is known from the last directory at once,
    /// also offline.
    pub fn new(device: Arc<Device>) -> Session {
        let session = Session { device };
        if let Ok(Some(directory)) = session.directory() {
            session.device.set_read_only(read_only(&directory));
        }
        session
    }

    pub fn device(&self) -> &Arc<Device> {
        &self.device
    }

    fn setting(&self, setting: &Setting) -> Result<Option<String>, ActionError> {
        Ok(self.device.store().setting(&setting.key())?)
    }

    fn set_setting(&self, setting: &Setting, value: &str) -> Result<(), ActionError> {
        Ok(self.device.store().set_setting(&setting.key(), value)?)
    }

    fn remove_setting(&self, setting: &Setting) -> Result<(), ActionError> {
        Ok(self.device.store().remove_setting(&setting.key())?)
    }

    // -- The server -----------------------------------------------------------------------------

    /// The server this device belongs to, and its credential there.
    fn api(&self) -> Result<(ServerApi, String), ActionError> {
        let server = self
            .setting(&Setting::Server)?
            .ok_or(ActionError::NoServer)?;
        let credential = self
            .setting(&Setting::Credential)?
            .ok_or(ActionError::NoServer)?;
        let url = Url::parse(&server).map_err(|_| ActionError::BadServer(server.clone()))?;
        Ok((ServerApi::new(&url), credential))
    }

    /// Connects to the server this device belongs to, if it has joined one (a device that has
    /// not is refused by the server, so it does not try).
    pub fn connect_saved(&self) -> Result<(), ActionError> {
        let server = self
            .setting(&Setting::Server)?
            .and_then(|s| Url::parse(&s).ok());
        if let (Some(server), Some(credential)) = (server, self.setting(&Setting::Credential)?) {
            self.device.connect(&server, Some(credential))?;
        }
        Ok(())
    }

    /// The server a launch option or an earlier invitation named, to prefill forms with.
    pub fn known_server(&self) -> Result<Option<String>, ActionError> {
        Ok(self
            .setting(&Setting::Server)?
            .or(self.setting(&Setting::LaunchServer)?))
    }

    /// Remembers the server given at launch, to prefill forms with.
    pub fn remember_launch_server(&self, server: &Url) -> Result<(), ActionError> {
        self.set_setting(&Setting::LaunchServer, server.as_str())
    }

    /// While the device is online, sends the registrations waiting for the server and asks it
    /// for newly shared documents (a pair just formed, a programme just joined): at once when
    /// the link comes up, then every [`DIRECTORY_EVERY`]. Runs until the device closes.
    pub async fn keep_in_touch(&self) -> Ended {
        let mut online = self.device.status();
        let mut asked_why = false;
        loop {
            let state = online.borrow_and_update().state;
            let connected = matches!(state, SyncState::Syncing | SyncState::Synced);
            // A refused device asks why, once each time it is refused: its person may have
            // erased her data from another device, or her programme may have been erased.
            let ask_why = state == SyncState::Refused && !asked_why;
            asked_why = state == SyncState::Refused;
            if connected || ask_why {
                if connected && let Err(e) = self.flush_registrations().await {
                    tracing::debug!(error = %e, "registrations wait");
                }
                if connected && let Err(e) = self.tell_name().await {
                    tracing::debug!(error = %e, "her new name waits");
                }
                match self.sync_directory().await {
                    Ok(()) | Err(ActionError::NoServer) => {}
                    Err(ActionError::Api(e)) if e.code() == "device_erased" => {
                        tracing::info!("her data was erased from the server; erasing this device");
                        let language = self.language().unwrap_or_default();
                        return match self.device.erase_everything().await {
                            Ok(()) => {
                                // The one thing the new start keeps: why it is new.
                                let notice = crate::i18n::t(language, "notice.device_erased");
                                if let Err(e) = self.add_notice(&notice) {
                                    tracing::warn!(error = %e, "the notice could not be kept");
                                }
                                if let Err(e) = self.device.store().written().await {
                                    tracing::warn!(error = %e, "the notice may not be kept");
                                }
                                Ended::Erased
                            }
                            Err(e) => {
                                tracing::error!(error = %e, "erasing this device failed");
                                Ended::Closed
                            }
                        };
                    }
                    Err(e) => tracing::debug!(error = %e, "directory not refreshed"),
                }
            }
            // Until the link comes up, goes down or is refused; meanwhile, online, until the
            // server says her directory changed (every DIRECTORY_EVERY if it cannot say).
            let link = (connected, state == SyncState::Refused);
            let link_changed = async {
                online
                    .wait_for(|s| {
                        let connected = matches!(s.state, SyncState::Syncing | SyncState::Synced);
                        (connected, s.state == SyncState::Refused) != link
                    })
                    .await
                    .map(|_| ())
            };
            let waited = if connected {
                match select(pin!(link_changed), pin!(self.directory_may_have_changed())).await {
                    Either::Left((changed, _)) => Some(changed),
                    Either::Right(((), _)) => None,
                }
            } else {
                runtime::within(DIRECTORY_EVERY, link_changed).await
            };
            if let Some(Err(_)) = waited {
                return Ended::Closed;
            }
        }
    }

    /// Returns once her directory may have changed: when the server says a change concerns her
    /// (it holds the question up to `DIRECTORY_WAIT_SECS`, then it is asked again), or after
    /// [`DIRECTORY_EVERY`] when it cannot say (no directory yet, an older server, no network).
    async fn directory_may_have_changed(&self) {
        loop {
            let mark = self.directory().ok().flatten().map(|d| d.mark);
            let told = match (self.api(), mark) {
                (Ok((api, credential)), Some(mark)) => {
                    api.directory_changes(&credential, mark).await
                }
                _ => {
                    runtime::sleep(DIRECTORY_EVERY).await;
                    return;
                }
            };
            match told {
                Ok(true) => return,
                Ok(false) => {}
                Err(e) => {
                    tracing::debug!(error = %e, "the server cannot tell of changes; asking again later");
                    runtime::sleep(DIRECTORY_EVERY).await;
                    return;
                }
            }
        }
    }

    /// Tells the server her new name, if it has not been told yet.
    async fn tell_name(&self) -> Result<(), ActionError> {
        let Some(name) = self.setting(&Setting::NameToTell)? else {
            return Ok(());
        };
        let (api, credential) = self.api()?;
        api.rename(&credential, &name).await?;
        self.remove_setting(&Setting::NameToTell)
    }

    /// Who is called what, for the screens: the server's directory, her own name on this
    /// device, and the demo partner.
    pub(crate) fn names(&self) -> Result<crate::views::Names, ActionError> {
        let profile = self.profile()?;
        let mut known: Vec<(String, String)> = self
            .directory()?
            .map(|d| d.people.into_iter().map(|p| (p.person, p.name)).collect())
            .unwrap_or_default();
        if let Some(partner) = self
            .setting(&Setting::DemoPartner)?
            .and_then(|json| serde_json::from_str::<(String, String)>(&json).ok())
        {
            known.push(partner);
        }
        let mine = if profile.name.is_empty() {
            crate::i18n::t(profile.language, "demo.you")
        } else {
            profile.name
        };
        known.push((profile.person_id, mine));
        Ok(crate::views::Names::new(known, profile.language))
    }

    /// Saves this device's credential for `server` and who the server says she is, and connects.
    fn join_server(&self, server: &Url, credential: &str, person: &str) -> Result<(), ActionError> {
        self.set_setting(&Setting::Server, server.as_str())?;
        self.set_setting(&Setting::Credential, credential)?;
        self.set_setting(&Setting::PersonId, person)?;
        self.device.connect(server, Some(credential.to_owned()))?;
        Ok(())
    }

    /// This device's credential, if it has one for `server` (she joins another programme there
    /// as the same person).
    fn credential_for(&self, server: &Url) -> Result<Option<String>, ActionError> {
        let same = self
            .setting(&Setting::Server)?
            .and_then(|s| Url::parse(&s).ok())
            .is_some_and(|s| &s == server);
        Ok(if same {
            self.setting(&Setting::Credential)?
        } else {
            None
        })
    }

    /// Makes a document and tells the server who may have it. Offline, the registration waits
    /// (see [`Session::flush_registrations`]) and the document stays on the device until then.
    async fn create_registered<T: DocSchema>(
        &self,
        value: &T,
        title: &str,
        entry: DocEntry,
    ) -> Result<String, ActionError> {
        let id = self.device.create(value, title, Sharing::Later).await?;
        self.register(&id, entry).await?;
        Ok(id)
    }

    async fn register(&self, id: &str, entry: DocEntry) -> Result<(), ActionError> {
        let request = RegisterDocument {
            id: id.to_owned(),
            entry,
        };
        let (api, credential) = self.api()?;
        match api.register(&credential, &request).await {
            Ok(()) => Ok(self.device.publish(id)?),
            Err(e) if e.worth_retrying() => {
                tracing::info!(%id, error = %e, "the server cannot take it now; the registration waits");
                let json = serde_json::to_string(&request)
                    .map_err(|e| ActionError::BadField(e.to_string()))?;
                Ok(self.device.store().add_pending_registration(id, &json)?)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Sends registrations that waited for the server; returns how many went through.
    pub async fn flush_registrations(&self) -> Result<usize, ActionError> {
        let pending = self.device.store().pending_registrations()?;
        if pending.is_empty() {
            return Ok(0);
        }
        let (api, credential) = self.api()?;
        let mut sent = 0;
        for (id, json) in pending {
            let Ok(request) = serde_json::from_str::<RegisterDocument>(&json) else {
                self.device.store().remove_pending_registration(&id)?;
                continue;
            };
            match api.register(&credential, &request).await {
                Ok(()) => {
                    self.device.publish(&id)?;
                    self.device.store().remove_pending_registration(&id)?;
                    sent += 1;
                }
                // Kept for the next try: the server may take it once the network or the
                // server is back, or the throttle has passed.
                Err(e) if e.worth_retrying() => {
                    tracing::info!(%id, error = %e, "a waiting registration stays waiting");
                    break;
                }
                Err(e) => {
                    tracing::warn!(%id, error = %e, "the server refused a waiting registration; dropping it");
                    self.device.store().remove_pending_registration(&id)?;
                }
            }
        }
        Ok(sent)
    }

    /// Asks the server which documents this person may have now, and fetches the new ones (a
    /// pair just formed, a programme just joined). The answer is kept for offline use.
    pub async fn sync_directory(&self) -> Result<(), ActionError> {
        let (api, credential) = self.api()?;
        let since = self.setting(&Setting::DirectoryAt)?.unwrap_or_default();
        let directory = api.directory(&credential, &since).await?;
        for id in &directory.erased {
            if self
                .device
                .store()
                .documents()?
                .iter()
                .any(|d| &d.doc_id == id)
                || self.device.store().holds_document(id)
            {
                tracing::info!(%id, "a document was erased on the server; erasing it here");
                self.tell_of_erased(id).await?;
                self.device.erase_document(id)?;
            }
            // A programme's caches (names and addresses in its status) go with it.
            self.forget_programme_caches(id)?;
        }
        for doc in &directory.documents {
            if !self.device.has(&doc.id) {
                let fetched = self.device.fetch(&doc.id, doc.entry.kind.as_str()).await?;
                if !fetched {
                    tracing::info!(id = %doc.id, "a listed document is not on the server yet");
                }
            }
        }
        self.device.set_read_only(read_only(&directory));
        let json =
            serde_json::to_string(&directory).map_err(|e| ActionError::BadField(e.to_string()))?;
        let before = self.directory()?;
        self.set_setting(&Setting::Directory, &json)?;
        // A name, a membership or an ended programme shows on screens without any document
        // changing: they are told.
        let shown = |d: &Directory| (d.people.clone(), d.memberships.clone(), d.groups.clone());
        if before.as_ref().map(shown) != Some(shown(&directory)) || !directory.erased.is_empty() {
            self.device.announce("directory");
        }
        if !directory.checked_at.is_empty() {
            self.set_setting(&Setting::DirectoryAt, &directory.checked_at)?;
        }
        self.adopt_first_privates(&directory).await?;
        // Making a missing text can wait for the next refresh; the directory is in place.
        if let Err(e) = self.start_missing_session_notes(&directory).await {
            tracing::warn!(error = %e, "a session's notes text was not made yet");
        }
        Ok(())
    }

    /// Where another device of hers registered her private notes on a group first, brings this
    /// device's own over now, so that her other devices see them without waiting for this one to
    /// open that group again.
    async fn adopt_first_privates(&self, directory: &Directory) -> Result<(), ActionError> {
        let me = self.profile()?.person_id;
        for (key, mine) in self
            .device
            .store()
            .settings_starting(Setting::PRIVATE_PREFIX)?
        {
            let group_doc = &key[Setting::PRIVATE_PREFIX.len()..];
            let Ok(group) = self.device.read::<GroupDoc>(group_doc).await else {
                continue;
            };
            if let Some(first) = first_private(directory, &me, &group.group_id)
                && first != mine
                && self.device.has(&mine)
            {
                let id = self.adopt_private(mine, first).await?;
                self.set_setting(&Setting::Private(group_doc.to_owned()), &id)?;
            }
        }
        Ok(())
    }

    /// A group's notes document: the one the server registered for this group, whatever the
    /// group document points at (a member could point it at a decoy). Local-only groups (the
    /// demo) point at their own notes.
    async fn notes_of(&self, group_doc: &str, group: &GroupDoc) -> Result<String, ActionError> {
        if self.local_only(group_doc)? {
            return Ok(group.notes_doc.clone());
        }
        let documents = self.directory()?.unwrap_or_default().documents;
        let registered = documents.iter().find(|d| {
            d.entry.kind == DocKind::Notes
                && d.entry.group.as_deref() == Some(group.group_id.as_str())
        });
        match registered {
            Some(notes) => {
                if notes.id != group.notes_doc {
                    tracing::warn!(group = %group.group_id, "the group points at notes the server does not know for it; using the registered notes");
                }
                Ok(notes.id.clone())
            }
            // A directory older than the group: the pointer is trusted unless the server
            // registered that document as something else.
            None if !documents.iter().any(|d| d.id == group.notes_doc) => {
                Ok(group.notes_doc.clone())
            }
            None => Err(ActionError::UnknownGroup(group_doc.to_owned())),
        }
    }

    /// The last directory the server gave, if any.
    fn directory(&self) -> Result<Option<Directory>, ActionError> {
        Ok(self
            .setting(&Setting::Directory)?
            .and_then(|json| serde_json::from_str(&json).ok()))
    }

    // -- Profile ------------------------------------------------------------------------------

    /// The person on this device (a person id is made on first use).
    pub fn profile(&self) -> Result<Profile, ActionError> {
        let person_id = match self.setting(&Setting::PersonId)? {
            Some(id) => id,
            None => {
                let id = docs::new_id();
                self.set_setting(&Setting::PersonId, &id)?;
                id
            }
        };
        let role = match self.setting(&Setting::Role)?.as_deref() {
            Some("mentor") => Some(Role::Mentor),
            Some("mentee") => Some(Role::Mentee),
            _ => None,
        };
        Ok(Profile {
            person_id,
            name: self.setting(&Setting::Name)?.unwrap_or_default(),
            role,
            language: self.language()?,
            onboarded: self.setting(&Setting::Onboarded)?.is_some(),
        })
    }

    pub fn language(&self) -> Result<Language, ActionError> {
        Ok(self
            .setting(&Setting::Language)?
            .and_then(|l| Language::from_code(&l))
            .unwrap_or_default())
    }

    pub fn set_language(&self, language: Language) -> Result<Profile, ActionError> {
        self.set_setting(&Setting::Language, language.code())?;
        self.profile()
    }

    /// Saves her name (and, for the demo, which side she wants to see it from); the name also
    /// changes in every pair she is in.
    pub async fn save_profile(
        &self,
        name: &str,
        role: Option<Role>,
    ) -> Result<Profile, ActionError> {
        let name = check_name(name)?;
        match role {
            Some(Role::Mentor) => self.set_setting(&Setting::Role, "mentor")?,
            Some(Role::Mentee) => self.set_setting(&Setting::Role, "mentee")?,
            Some(_) => return Err(ActionError::RoleRequired),
            None => {}
        }
        let changed = self.setting(&Setting::Name)?.as_deref() != Some(name.as_str());
        self.set_setting(&Setting::Name, &name)?;
        self.set_setting(&Setting::Onboarded, "yes")?;
        // The server keeps the names the people she works with see; it hears of it when it can.
        if changed && self.setting(&Setting::Credential)?.is_some() {
            self.set_setting(&Setting::NameToTell, &name)?;
            if let Err(e) = self.tell_name().await {
                tracing::debug!(error = %e, "her new name is told when the server can be reached");
            }
        }
        self.profile()
    }

    /// Which side she wants to see the demo from, without a name yet.
    pub fn set_demo_role(&self, role: Option<Role>) -> Result<(), ActionError> {
        match role {
            Some(Role::Mentor) => self.set_setting(&Setting::Role, "mentor")?,
            Some(Role::Mentee) | None => self.set_setting(&Setting::Role, "mentee")?,
            Some(_) => return Err(ActionError::RoleRequired),
        }
        self.set_setting(&Setting::Onboarded, "yes")
    }

    // -- Pairs on this device -------------------------------------------------------------------

    /// The groups this person is a member of (and, as far as the server last said, still in).
    async fn my_groups(&self) -> Result<Vec<String>, ActionError> {
        let me = self.profile()?.person_id;
        let active = self.directory()?.map(|d| d.groups);
        let demo = self.setting(&Setting::DemoGroup)?;
        let mut groups = Vec::new();
        for entry in self.device.documents()? {
            if entry.kind != DocKind::Group.as_str() {
                continue;
            }
            let Ok(group) = self.device.read::<GroupDoc>(&entry.doc_id).await else {
                continue;
            };
            let still_in = Some(&entry.doc_id) == demo.as_ref()
                || active.as_ref().is_none_or(|a| a.contains(&group.group_id));
            if group.members.contains_key(&me) && still_in {
                groups.push(entry.doc_id);
            }
        }
        Ok(groups)
    }

    /// Opens the demo programme (made on first use, kept on this device only).
    pub async fn open_demo(&self, today: NaiveDate) -> Result<String, ActionError> {
        if let Some(existing) = self.setting(&Setting::DemoGroup)?
            && self.device.has(&existing)
        {
            return Ok(existing);
        }
        let profile = self.profile()?;
        let role = profile.role.unwrap_or(Role::Mentee);
        let demo = demo::demo(today, &profile.person_id, role, profile.language);
        let partner = serde_json::to_string(&demo.partner)
            .map_err(|e| ActionError::BadField(e.to_string()))?;
        self.set_setting(&Setting::DemoPartner, &partner)?;
        let mut programme = demo.programme;
        let mut group = demo.group;
        let title = programme.name.clone();
        let never = Sharing::Never;
        programme.preparation_doc = self
            .device
            .create(&PreparationDoc::new(), &title, never)
            .await?;
        group.programme_doc = self.device.create(&programme, &title, never).await?;
        let notes = self.device.create(&demo.notes, &title, never).await?;
        group.notes_doc = notes.clone();
        let group_id = self.device.create(&group, &title, never).await?;
        // Every meeting's notes text exists from the start, as when a meeting is planned.
        for meeting in group.meetings.keys() {
            self.start_notes(&notes, meeting).await?;
        }
        for (meeting, text) in demo.shared_notes {
            self.write(&notes, shared_path(&meeting), "", &text).await?;
        }
        self.set_setting(&Setting::DemoGroup, &group_id)?;
        if !profile.onboarded {
            self.set_setting(&Setting::Onboarded, "yes")?;
        }
        Ok(group_id)
    }

    /// This person's private document for a pair or circle (made on first use; on the server,
    /// hers alone, and on each of her devices).
    async fn private_doc(&self, group: &str) -> Result<String, ActionError> {
        let key = Setting::Private(group.to_owned());
        let mine = self.setting(&key)?.filter(|id| self.device.has(id));
        let me = self.profile()?.person_id;
        let docs = self.pair_docs(group).await?;
        let programme = docs.programme;
        let group_id = docs.group.group_id;
        if programme.demo || programme.programme_id.is_empty() {
            if let Some(id) = mine {
                return Ok(id);
            }
            let id = self
                .device
                .create(&PrivateDoc::new(&me), "private", Sharing::Never)
                .await?;
            self.set_setting(&key, &id)?;
            return Ok(id);
        }
        let registered = self
            .directory()?
            .and_then(|d| first_private(&d, &me, &group_id));
        tracing::debug!(?mine, ?registered, "choosing her private notes document");
        let id = match (mine, registered) {
            (Some(mine), Some(first)) if mine != first => self.adopt_private(mine, first).await?,
            (Some(mine), _) => mine,
            (None, Some(first)) => {
                if !self.device.has(&first) {
                    self.device.fetch(&first, "private").await?;
                }
                first
            }
            // An ended programme takes no new documents: she has no private notes there.
            (None, None) if self.archived(&programme.programme_id)? => {
                return Err(DeviceError::ReadOnly(group.to_owned()).into());
            }
            (None, None) => {
                let entry = DocEntry {
                    kind: DocKind::Private,
                    programme: programme.programme_id.clone(),
                    group: Some(group_id),
                    owner: Some(me),
                };
                let id = self
                    .device
                    .create(
                        &PrivateDoc::new(&entry.owner.clone().unwrap_or_default()),
                        "private",
                        Sharing::Later,
                    )
                    .await?;
                let registered = self.register(&id, entry).await;
                tracing::debug!(%id, ok = registered.is_ok(), "made her private notes document");
                match registered {
                    Ok(()) => id,
                    // Another device of hers made hers meanwhile.
                    Err(ActionError::Api(ApiFailure::Refused(e))) if e.existing.is_some() => {
                        let first = e.existing.unwrap_or_default();
                        self.adopt_private(id, first).await?
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        self.set_setting(&key, &id)?;
        Ok(id)
    }

    /// Moves to the private document another device of hers registered first, bringing along
    /// what was written in this device's own; keeps the own one while the first cannot be fetched
    /// (offline), so that nothing is lost and she can go on writing.
    async fn adopt_private(&self, mine: String, first: String) -> Result<String, ActionError> {
        if !self.device.has(&first) && !self.device.fetch(&first, "private").await.unwrap_or(false)
        {
            tracing::debug!(%mine, %first, "her first private notes document is not here yet");
            return Ok(mine);
        }
        let written: PrivateDoc = self.device.read(&mine).await?;
        self.device
            .with_doc(&first, move |d| docs::fold_private(d, &written))
            .await?;
        self.device.store().remove_pending_registration(&mine)?;
        self.device.forget(&mine)?;
        tracing::info!(from = %mine, into = %first, "brought her private notes over to the document her other device made first");
        Ok(first)
    }

    async fn pair_docs(&self, group_id: &str) -> Result<PairDocs, ActionError> {
        let group: GroupDoc = self.device.read(group_id).await.map_err(|e| match e {
            DeviceError::NotFound(id) => ActionError::UnknownGroup(id),
            other => other.into(),
        })?;
        let programme: ProgrammeDoc = self.device.read(&group.programme_doc).await?;
        let notes_id = self.notes_of(group_id, &group).await?;
        let notes: NotesDoc = self.device.read(&notes_id).await?;
        Ok(PairDocs {
            notes_id,
            programme,
            group,
            notes,
        })
    }

    /// A text in her private notes on a group; empty where she has none and can make none (an
    /// ended programme).
    async fn private_text(&self, group: &str, path: Vec<String>) -> Result<TextValue, ActionError> {
        match self.private_doc(group).await {
            Ok(private) => self.text(&private, path).await,
            Err(ActionError::Device(DeviceError::ReadOnly(_))) => Ok(TextValue::default()),
            Err(e) => Err(e),
        }
    }

    /// Whether a programme (by id) ended, as the server's directory last said.
    fn archived(&self, programme_id: &str) -> Result<bool, ActionError> {
        Ok(self.directory()?.is_some_and(|d| {
            d.memberships
                .iter()
                .any(|m| m.programme == programme_id && m.archived)
        }))
    }

    async fn text(&self, doc: &str, path: Vec<String>) -> Result<TextValue, ActionError> {
        let (text, heads) = self
            .device
            .with_doc(doc, move |d| {
                docs::read_text(d, &path.iter().map(String::as_str).collect::<Vec<_>>())
            })
            .await?;
        let base = docs::heads_to_string(&heads);
        Ok(TextValue {
            text,
            edit_base: base.clone(),
            base,
        })
    }

    /// Whether a document never leaves this device (the demo).
    fn local_only(&self, doc: &str) -> Result<bool, ActionError> {
        Ok(self
            .device
            .documents()?
            .into_iter()
            .any(|e| e.doc_id == doc && e.local_only))
    }

    /// Whether this is the first of her devices, as the server's list said when last fetched.
    fn first_device(&self) -> Result<bool, ActionError> {
        Ok(self.setting(&Setting::FirstDevice)?.as_deref() == Some("yes"))
    }

    /// Asks the server for her devices and notes whether this is the first of them.
    async fn refresh_first_device(&self) -> Result<bool, ActionError> {
        let (api, credential) = self.api()?;
        let devices = api.devices(&credential).await?;
        let first = devices.devices.first().is_some_and(|d| d.this_device);
        self.set_setting(&Setting::FirstDevice, if first { "yes" } else { "no" })?;
        Ok(first)
    }

    /// Makes a meeting's (empty) shared notes text in a notes document.
    async fn start_notes(&self, notes: &str, meeting: &str) -> Result<(), ActionError> {
        let path = shared_path(meeting);
        self.device
            .with_doc(notes, move |d| {
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                if !docs::has_text(d, &path)? {
                    docs::write_text(d, &path, &[], "")?;
                }
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Whether the text at `path` is on this device, waiting a moment for it while connected
    /// (it may be on its way, behind the meeting it belongs to).
    async fn text_arrives(&self, doc: &str, path: &[String]) -> Result<bool, ActionError> {
        let mut waited = Duration::ZERO;
        loop {
            let path = path.to_vec();
            let arrived = self
                .device
                .with_doc(doc, move |d| {
                    docs::has_text(d, &path.iter().map(String::as_str).collect::<Vec<_>>())
                })
                .await?;
            let connected = matches!(
                self.device.status().borrow().state,
                SyncState::Syncing | SyncState::Synced | SyncState::Connecting
            );
            if arrived || !connected || waited >= TEXT_ARRIVAL {
                return Ok(arrived);
            }
            runtime::sleep(TEXT_POLL).await;
            waited += TEXT_POLL;
        }
    }

    async fn write(
        &self,
        doc: &str,
        path: Vec<String>,
        base: &str,
        text: &str,
    ) -> Result<TextValue, ActionError> {
        self.device.check_writable(doc)?;
        let base = docs::heads_from_string(base);
        let new = text.to_owned();
        let read_path = path.clone();
        let own = self
            .device
            .with_doc(doc, move |d| {
                docs::write_text(
                    d,
                    &path.iter().map(String::as_str).collect::<Vec<_>>(),
                    &base,
                    &new,
                )
            })
            .await?;
        let mut merged = self.text(doc, read_path).await?;
        merged.edit_base = docs::heads_to_string(&own);
        Ok(merged)
    }
}

/// Her private notes on a group, as the server registered them (the first of her devices' made).
fn first_private(directory: &Directory, me: &str, group_id: &str) -> Option<String> {
    directory
        .documents
        .iter()
        .filter(|d| {
            d.entry.kind == DocKind::Private
                && d.entry.owner.as_deref() == Some(me)
                && d.entry.group.as_deref() == Some(group_id)
        })
        .map(|d| d.id.clone())
        .min()
}

/// The documents of a directory she may read but not change.
fn read_only(directory: &Directory) -> std::collections::HashSet<String> {
    directory
        .documents
        .iter()
        .filter(|d| d.access == Access::Read)
        .map(|d| d.id.clone())
        .collect()
}

fn shared_path(meeting: &str) -> Vec<String> {
    docs::shared_note_path(meeting).map(str::to_owned).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ApiError;

    fn refused(code: &str) -> ActionError {
        ActionError::Api(ApiFailure::Refused(ApiError {
            code: code.into(),
            message: String::new(),
            retry_after: None,
            existing: None,
        }))
    }

    /// Each error says what sort of failure it is, the server's refusals included.
    #[test]
    fn errors_are_split_by_kind() {
        assert_eq!(ActionError::TextRequired.kind(), ErrorKind::Invalid);
        assert_eq!(ActionError::NotCoordinator.kind(), ErrorKind::Denied);
        assert_eq!(
            ActionError::UnknownMeeting("m".into()).kind(),
            ErrorKind::NotFound
        );
        assert_eq!(
            ActionError::NotesNotArrived.kind(),
            ErrorKind::Infrastructure
        );
        assert_eq!(refused("unauthorized").kind(), ErrorKind::Denied);
        assert_eq!(refused("code_unknown").kind(), ErrorKind::NotFound);
        assert_eq!(refused("code_used").kind(), ErrorKind::Invalid);
        assert_eq!(refused("server_error").kind(), ErrorKind::Infrastructure);
        assert_eq!(
            ActionError::Api(ApiFailure::Offline("no route".into())).kind(),
            ErrorKind::Infrastructure
        );
    }
}
