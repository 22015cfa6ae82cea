//! What the device shell hands the webview: finished view values, already decided. The webview
//! shows them and sends back what the person asked for; it computes nothing itself.

use serde::{Deserialize, Serialize};

use crate::model::{GoalKind, Language, MeetingStatus, Role, Settings};

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
    /// Changes made here to documents this person may only read: the server does not accept them.
    #[serde(default)]
    pub not_accepted_changes: usize,
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
            not_accepted_changes: 0,
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

/// The home screen: the person, each pair (or circle) she is in, and the programmes she
/// coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Home {
    pub profile: Profile,
    pub groups: Vec<GroupHome>,
    pub circles: Vec<CircleHome>,
    pub programmes: Vec<ProgrammeCard>,
    /// Programmes she takes part in (as mentor or mentee), for her profile and evaluation.
    pub memberships: Vec<ProgrammeCard>,
    /// The server address she joined, or the one the app was started with (to prefill forms).
    pub server: Option<String>,
    /// Programmes she coordinated that were erased: what she keeps of each (the numbers of
    /// its evaluation, no names, no answers).
    #[serde(default)]
    pub kept: Vec<KeptProgramme>,
}

/// What a coordinator keeps of a programme she erased at the end of its year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptProgramme {
    pub name: String,
    pub school: String,
    pub academic_year: String,
    pub pairs: usize,
    /// The evaluation's numbers (its answers are left out).
    pub summary: EvaluationSummary,
}

/// A programme in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeCard {
    /// Document id of the programme.
    pub programme: String,
    pub name: String,
    pub school: String,
    pub academic_year: String,
    pub role: Role,
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

/// A reminder of tomorrow's meeting, in the person's language, for the device to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub meeting: String,
    /// The meeting's date it reminds of (ISO): a meeting moved later is reminded of again.
    pub date: String,
    pub title: String,
    pub body: String,
}

/// A file the app wrote for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFile {
    pub path: String,
}

/// An invitation as the invitee sees it before she decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub server: String,
    /// The code, as shown (ABCD-EFGH-JKMN-P).
    pub code: String,
    pub programme_name: String,
    pub school: String,
    pub coordinator_name: String,
    pub role: Role,
    /// How the coordinator addressed her.
    pub name: String,
    /// "tot en met di 8 december 2026"
    pub expires: String,
    /// Why she is asked and what taking part means, for her role.
    pub purpose: Vec<String>,
}

/// A new invitation, ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteResult {
    pub invitation: String,
    pub code: String,
    pub link: String,
    pub expires: String,
    pub email: Email,
}

/// What importing a class list came to: everyone invited (each with her e-mail ready), or,
/// when a line needs fixing, nobody and the problems in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassListImport {
    pub invited: Vec<InviteResult>,
    pub problems: Vec<String>,
}

/// A programme's settings as its coordinator edits them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeSetup {
    pub programme: String,
    pub name: String,
    pub school: String,
    pub academic_year: String,
    pub settings: Settings,
    /// Four (first day, last day), ISO dates.
    pub quarters: Vec<(String, String)>,
    pub guide: Vec<GuideTopicEdit>,
    /// The coordinator owns the guide in central programmes; in decentral ones mentors adapt it.
    pub guide_editable_by_coordinator: bool,
    pub checklist: Vec<ChecklistItem>,
    /// Preselection weights, per criterion key.
    pub criteria: Vec<(String, u64)>,
}

/// One topic of a programme's guide, with the text that applies now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideTopicEdit {
    pub topic: String,
    pub number: u8,
    pub title: String,
    pub tells: Vec<String>,
    pub ask: Vec<String>,
    pub timing: String,
    pub first_quarter: u8,
    pub last_quarter: u8,
}

/// One precondition of the toolbox, as the coordinator's to-do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub key: String,
    pub label: String,
    pub done: bool,
}

/// The coordinator's overview of a programme: people, pairs and their progress. Built from
/// invitations, profiles and the pairs' progress documents only, never from notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub setup: ProgrammeSetup,
    pub people: Vec<PersonRow>,
    pub mentors: Vec<MentorRow>,
    pub unpaired_mentees: Vec<PersonRef>,
    pub pairs: Vec<PairRow>,
    pub quarter_now: Option<u8>,
    /// When the server was last asked about invitations and last syncs.
    pub status_checked_at: Option<String>,
    /// The participants' lines to her, the unanswered first.
    pub contact: Vec<ContactThread>,
    /// The programme ended: read-only for everyone until she erases it.
    pub archived: bool,
}

/// One message between a participant and the contact person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactMessage {
    pub id: String,
    /// Who wrote it, by name.
    pub from: String,
    /// Written by the reader.
    pub mine: bool,
    /// "Vraag", "Zorg over mijn duo", "Antwoord".
    pub about: String,
    /// RFC 3339 (the window shows it in local time).
    pub sent_at: String,
    pub text: String,
}

/// A participant's line to the contact person, as the coordinator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactThread {
    pub person: String,
    pub name: String,
    pub messages: Vec<ContactMessage>,
    /// Her last message has no answer yet.
    pub unanswered: bool,
}

/// A person invited to the programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub invitation: String,
    pub person: Option<String>,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// open, accepted, declined, revoked, expired, withdrawn
    pub state: String,
    pub code: String,
    pub expires: String,
    pub paired: bool,
}

/// A person, by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    pub person: String,
    pub name: String,
}

/// A mentor and her room for mentees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorRow {
    pub person: String,
    pub name: String,
    pub capacity: u32,
    pub paired: u32,
    pub self_check: String,
}

/// A pair and its progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairRow {
    pub group: String,
    pub mentor: String,
    pub mentee: String,
    pub formed_on: String,
    /// Guide meetings held: "1. Cultuur van de opleiding (di 22 september 2026)".
    pub held: Vec<String>,
    pub next: Option<String>,
    /// Topics due or overdue this quarter.
    pub attention: Vec<TopicStatus>,
    pub no_meeting_yet: bool,
    /// The last time one of the pair's devices talked to the server.
    pub last_sync: Option<String>,
}

/// A mentor suggested for a mentee, with the reasons for her place in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionView {
    pub mentor: String,
    pub name: String,
    pub score: u32,
    pub reasons: Vec<String>,
    pub full: bool,
}

/// A pair proposed from mutual preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    pub mentor: String,
    pub mentor_name: String,
    pub mentee: String,
    pub mentee_name: String,
}

/// A participant's profile as she edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub programme: String,
    pub role: Role,
    pub name: String,
    pub track: String,
    pub year: u64,
    pub interests: Vec<String>,
    pub about: String,
    /// Mentors: the toolbox's checklist as a self-check (key, label, ticked).
    pub self_check: Vec<(String, String, bool)>,
    pub capacity: u64,
    /// Matching programmes: the people of the other role (id, name), and her ranking of them.
    pub matching: bool,
    pub candidates: Vec<PersonRef>,
    pub preferences: Vec<String>,
}

/// A participant's closing evaluation as she fills it in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationForm {
    pub programme: String,
    pub role: Role,
    pub experience: String,
    pub good: String,
    pub less_good: String,
    pub useful_topics: String,
    pub less_useful_topics: String,
    /// (topic, number, title, rating 1-5)
    pub ratings: Vec<(String, u8, String, Option<u8>)>,
    pub submitted_on: Option<String>,
}

/// The evaluation results of a programme, per topic and in total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationSummary {
    pub responses: usize,
    pub mentors: usize,
    pub mentees: usize,
    pub topics: Vec<TopicRating>,
    /// The average of all ratings given.
    pub overall: Option<f32>,
    pub answers: Vec<EvaluationAnswer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicRating {
    pub topic: String,
    pub number: u8,
    pub title: String,
    pub count: usize,
    pub average: Option<f32>,
    /// How many gave 1, 2, 3, 4 and 5.
    pub histogram: [usize; 5],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationAnswer {
    pub role: Role,
    pub experience: String,
    pub good: String,
    pub less_good: String,
    pub useful_topics: String,
    pub less_useful_topics: String,
}

// -- Mentoring Circles ------------------------------------------------------------------------

/// A circle on its member's home screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleHome {
    /// Document id of the circle's group document.
    pub group: String,
    pub name: String,
    pub programme: String,
    pub school: String,
    pub my_role: Role,
    pub members: Vec<CircleMember>,
    pub sessions: Vec<SessionCard>,
    /// Warnings about the circle's size, in words.
    pub warnings: Vec<String>,
    pub can_plan: bool,
    /// The professionals whose company can host a session.
    pub hosts: Vec<PersonRef>,
    /// For a student: whether her certificate can be downloaded, or why not (yet).
    pub certificate: Option<CertificateState>,
}

/// Someone in a circle, with what the circle shows of her.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleMember {
    pub person: String,
    pub name: String,
    pub role: Role,
    /// A student's programme and year, a professional's field and job.
    pub detail: String,
}

/// One circle session in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionCard {
    pub meeting: String,
    pub number: usize,
    /// ISO date, for editing.
    pub date: String,
    pub date_label: String,
    pub time: String,
    pub minutes: u64,
    pub place: String,
    /// Who leads it, in words.
    pub leads: String,
    /// Who from the school must be there, in words.
    pub present: String,
    pub status: MeetingStatus,
    /// "4 of 6 students present", once attendance is taken.
    pub attendance: String,
    /// Whether the reader attended (students, once attendance is taken).
    pub i_attended: Option<bool>,
    /// Why the toolbox's limits are exceeded, if they are, in words.
    pub exception: String,
}

/// Whether a student's certificate can be downloaded, and if not, why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateState {
    pub available: bool,
    pub explanation: String,
}

/// A circle session's own screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleSessionPage {
    pub group: String,
    pub circle: String,
    pub card: SessionCard,
    /// The agenda: (theme, question to open it with).
    pub agenda: Vec<(String, String)>,
    pub shared_notes: TextValue,
    pub reflection: TextValue,
    pub attendance: Vec<AttendanceRow>,
    pub can_take_attendance: bool,
}

/// One person on the attendance list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub person: String,
    pub name: String,
    pub role: Role,
    /// `None` until the facilitator recorded her.
    pub present: Option<bool>,
}

/// A session as the planner fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionForm {
    pub date: String,
    pub time: String,
    pub minutes: u32,
    /// Person id of the hosting professional; empty means at school.
    pub host: String,
    pub school_reason: String,
    /// Address or room.
    pub place: String,
    pub override_reason: String,
}

/// What the coordinator needs to form circles: who can take part, and the circles so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleSetup {
    pub students: Vec<CircleCandidate>,
    pub professionals: Vec<CircleCandidate>,
    pub teachers: Vec<CircleCandidate>,
    pub circles: Vec<CircleRow>,
}

/// Someone who accepted an invitation to take part in circles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleCandidate {
    pub person: String,
    pub name: String,
    /// A student's programme and year, a professional's field and job.
    pub detail: String,
    /// The circle she is already in, if any.
    pub circle: Option<String>,
}

/// A circle on the coordinator's list: its make-up and its sessions (dates and attendance, never
/// notes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleRow {
    pub group: String,
    pub name: String,
    pub students: usize,
    pub professionals: usize,
    pub teacher: String,
    pub warnings: Vec<String>,
    pub sessions: Vec<SessionCard>,
    pub held: usize,
}

/// What the coordinator fills in to form a circle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleForm {
    pub name: String,
    pub organisation: String,
    pub teacher: String,
    pub students: Vec<String>,
    pub professionals: Vec<String>,
}

/// What a coordinator fills in to set up a programme.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgrammeForm {
    pub server: String,
    pub setup_key: String,
    pub coordinator_name: String,
    pub name: String,
    pub school: String,
    pub academic_year: String,
    /// Four (first day, last day), ISO dates; empty means the default calendar.
    pub quarters: Vec<(String, String)>,
    pub settings: crate::model::Settings,
}

/// An e-mail template: a subject and a body with `{placeholders}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

/// A date and time proposed for a first meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub date: String,
    pub time: String,
}

/// The app itself: its version, where it keeps data, its server and device, and why the device
/// could not be opened, if it could not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub server: Option<String>,
    pub device_id: Option<String>,
    pub startup_error: Option<String>,
}

/// What sort of failure an error is, beside its own code: the request was not valid as asked,
/// she may not do it, what it names does not exist (here), or the device, disk, network or server
/// failed (which says nothing about her request, and may pass).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Invalid,
    Denied,
    NotFound,
    Infrastructure,
}
