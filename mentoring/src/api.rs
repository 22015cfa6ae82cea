//! What the device shell hands the webview: finished view values, already decided. The webview
//! shows them and sends back what the person asked for; it computes nothing itself.

use serde::{Deserialize, Serialize};

use crate::model::{GoalKind, Language, MeetingStatus, Role};

/// Where the device stands with the sync server, as the person sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// No server is configured: everything stays on this device.
    Off,
    /// Reaching the server for the first time since start.
    Connecting,
    /// The server cannot be reached; edits are kept and sent later.
    Offline,
    /// Connected, exchanging changes.
    Syncing,
    /// Connected, and the server holds everything this device has.
    Synced,
    /// The server refused this device (for example a withdrawn invitation).
    Refused,
}

impl SyncState {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncState::Off => "off",
            SyncState::Connecting => "connecting",
            SyncState::Offline => "offline",
            SyncState::Syncing => "syncing",
            SyncState::Synced => "synced",
            SyncState::Refused => "refused",
        }
    }
}

/// The sync indicator's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    pub state: SyncState,
    /// Changes made on this device that the server does not have yet.
    pub pending_changes: usize,
    /// When everything was last known to be on the server (RFC 3339, UTC).
    pub last_synced: Option<String>,
    /// Set when the local disk refuses writes; the data is held in memory meanwhile.
    pub storage_error: Option<String>,
}

impl Default for SyncStatus {
    fn default() -> Self {
        SyncStatus {
            state: SyncState::Off,
            pending_changes: 0,
            last_synced: None,
            storage_error: None,
        }
    }
}

/// The person using this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub person_id: String,
    pub name: String,
    pub role: Option<Role>,
    pub language: Language,
    /// She has been through the first-launch screen.
    pub onboarded: bool,
}

/// A text field as the window edits it: the text, and an opaque token for the document state it
/// was read at, which the window sends back with its edit so that merged text is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextValue {
    pub text: String,
    pub base: String,
    /// After a save: the state at which the text is exactly what was sent, for continuing to
    /// type on it before the merged `text` is shown. Equal to `base` after a read.
    pub edit_base: String,
}

/// The home screen: the person and each pair (or circle) she is in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Home {
    pub profile: Profile,
    pub groups: Vec<GroupHome>,
}

/// One pair as its mentor or mentee sees it at home.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupHome {
    /// Document id of the group.
    pub group: String,
    pub programme: String,
    pub school: String,
    pub demo: bool,
    pub my_role: Role,
    /// The other member(s) of the pair, by name.
    pub partner: String,
    /// For a pair set up by hand: the code the partner types to join it, until she has.
    pub pair_code: Option<String>,
    pub structured: bool,
    pub formal: bool,
    pub next_meeting: Option<MeetingCard>,
    /// Every meeting, in date order (undated last).
    pub meetings: Vec<MeetingCard>,
    /// The guide's topics with where the pair stands on each.
    pub topics: Vec<TopicStatus>,
    /// For the mentor: the guide's topics of the current quarter, and any topic that needs
    /// attention (due now, overdue, planned late).
    pub attention: Vec<TopicStatus>,
    pub goals: Vec<GoalItem>,
    /// Private reflections (only on her own devices).
    pub reflections: TextValue,
    /// Shared notes of meetings that were held, newest first.
    pub past_notes: Vec<PastNotes>,
    /// Today's quarter of the programme, if today is in one.
    pub quarter_now: Option<u8>,
}

/// A meeting, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingCard {
    pub id: String,
    /// Guide topic number, if the meeting follows a topic.
    pub number: Option<u8>,
    pub topic: Option<String>,
    /// "Cultuur van de opleiding", or "Extra afspraak" without a topic.
    pub title: String,
    /// ISO date and "HH:MM", as stored.
    pub date: Option<String>,
    pub time: Option<String>,
    /// "di 22 september 2026, 14:30", in the reader's language; empty when not set.
    pub when: String,
    pub place: String,
    pub status: MeetingStatus,
    pub held_on: Option<String>,
    /// The quarter the meeting's date falls in.
    pub quarter: Option<u8>,
    /// What the mentor will talk about (from the guide).
    pub mentor_tells: Vec<String>,
}

/// Where a pair stands on one guide topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicStatus {
    pub topic: String,
    pub number: u8,
    pub title: String,
    /// "Kwartiel 1, liefst week 3-4".
    pub timing: String,
    pub first_quarter: u8,
    pub last_quarter: u8,
    /// "Gepland op …", "Te laat: …", "Nu aan de beurt", …
    pub state: String,
    pub attention: Attention,
}

/// How much a topic's state asks for attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attention {
    /// Done, or later in the year.
    None,
    /// Planned, on time.
    Planned,
    /// Due now, nothing planned yet.
    Due,
    /// Planned after its window, or (informal programmes) its suggested time has passed.
    Late,
    /// Its window has passed and nothing was held or planned (formal programmes).
    Overdue,
}

/// A goal or learning question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalItem {
    pub id: String,
    pub kind: GoalKind,
    pub owner: String,
    pub mine: bool,
    pub text: String,
    /// The meeting it was set for.
    pub meeting: Option<String>,
    pub achieved: bool,
    pub evaluation: String,
}

/// The shared notes of a held meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastNotes {
    pub meeting: MeetingCard,
    pub text: String,
}

/// The meeting screen, used during the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingPage {
    pub group: String,
    pub demo: bool,
    pub my_role: Role,
    pub partner: String,
    pub structured: bool,
    pub meeting: MeetingCard,
    /// The guide's prompts for this meeting's topic.
    pub tells: Vec<String>,
    pub ask: Vec<String>,
    pub also: Vec<String>,
    pub asked_mentee: bool,
    pub shared_notes: TextValue,
    /// The reader's own private notes on this meeting.
    pub private_notes: TextValue,
    /// Goals set for this meeting, and goals not yet achieved.
    pub goals: Vec<GoalItem>,
    /// Fields changed on two devices while apart.
    pub conflicts: Vec<FieldConflict>,
    /// The meeting planned after this one, if any.
    pub next: Option<MeetingCard>,
    /// The topic the next meeting would follow.
    pub next_topic: Option<String>,
}

/// A meeting field with two values after a merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldConflict {
    pub field: String,
    pub shown: String,
    pub others: Vec<String>,
}

/// The mentors' preparation page of one guide topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparationPage {
    pub topic: String,
    pub number: u8,
    pub title: String,
    pub tells: Vec<String>,
    pub ask: Vec<String>,
    pub text: TextValue,
}

/// A first-contact e-mail, ready to open in the mail client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// `mailto:` address with subject and body filled in.
    pub mailto: String,
}

/// A file the app wrote for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFile {
    pub path: String,
}
