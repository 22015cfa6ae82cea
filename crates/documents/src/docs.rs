//! The Automerge documents: their schema and the edits the app makes to them.
//!
//! Every function here is plain: it takes an `Automerge` (or returns a new one) and knows nothing of
//! storage or the network. Each document has a `kind` and a `schema` at its root so a device can tell
//! what it holds before trusting it. Which kind may reach whom is decided in [`pm_domain::access`].

use std::collections::BTreeMap;

use automerge::{
    AutoCommit, Automerge, ChangeHash, ObjType, ROOT, ReadDoc, ScalarValue, Value,
    transaction::Transactable,
};
use autosurgeon::{Hydrate, Reconcile, hydrate, reconcile};

use pm_domain::circle::Facilitator;
use pm_domain::guide::DEFAULT_TOPICS;
use pm_domain::model::{DocKind, GoalKind, GroupKind, MeetingStatus, Role, Settings};

/// The schema version written into every document.
pub const SCHEMA: u64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("document is not a {expected} document (it says {found:?})")]
    WrongKind {
        expected: &'static str,
        found: String,
    },
    #[error("document was written by a newer app version (schema {0})")]
    NewerSchema(u64),
    #[error("document content is not readable: {0}")]
    Unreadable(String),
    #[error("no meeting with id {0}")]
    NoSuchMeeting(String),
    #[error("could not change the document: {0}")]
    Write(String),
}

impl From<autosurgeon::HydrateError> for DocError {
    fn from(e: autosurgeon::HydrateError) -> Self {
        DocError::Unreadable(e.to_string())
    }
}

impl From<autosurgeon::ReconcileError> for DocError {
    fn from(e: autosurgeon::ReconcileError) -> Self {
        DocError::Write(e.to_string())
    }
}

impl From<automerge::AutomergeError> for DocError {
    fn from(e: automerge::AutomergeError) -> Self {
        DocError::Write(e.to_string())
    }
}

/// A random identifier for people, groups, meetings and goals (128 bits, hex).
///
/// # Panics
/// Only when the system has no source of randomness at all.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's source of randomness");
    format!("{:032x}", u128::from_le_bytes(bytes))
}

/// A document schema: its kind and how to read and write it as a whole.
pub trait DocSchema: Hydrate + Reconcile + Sized {
    const KIND: DocKind;
}

/// Reads the kind a document says it is, if it says one we know.
pub fn kind_of(doc: &Automerge) -> Option<DocKind> {
    match doc.get(ROOT, "kind").ok().flatten() {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(k) => DocKind::parse(k),
            _ => None,
        },
        _ => None,
    }
}

/// Writes a new document holding `value`.
pub fn create<T: DocSchema>(value: &T) -> Result<Automerge, DocError> {
    let mut doc = AutoCommit::new();
    reconcile(&mut doc, value)?;
    Ok(doc.document().clone())
}

/// Reads a whole document, checking that it is of kind `T` and of a schema this app understands.
pub fn read<T: DocSchema>(doc: &Automerge) -> Result<T, DocError> {
    check_header::<T>(doc)?;
    Ok(hydrate(doc)?)
}

/// Changes a document in one transaction: reads it, lets `edit` change the value, and writes back
/// only what differs, so concurrent edits to other fields merge.
pub fn change<T: DocSchema, R>(
    doc: &mut Automerge,
    edit: impl FnOnce(&mut T) -> Result<R, DocError>,
) -> Result<R, DocError> {
    check_header::<T>(doc)?;
    let result = doc.transact(|tx| {
        let mut value: T = hydrate(tx)?;
        let result = edit(&mut value)?;
        reconcile(tx, &value)?;
        Ok::<R, DocError>(result)
    });
    result.map(|ok| ok.result).map_err(|failure| failure.error)
}

fn check_header<T: DocSchema>(doc: &Automerge) -> Result<(), DocError> {
    let found = kind_of(doc);
    if found != Some(T::KIND) {
        let said: String = hydrate_kind(doc);
        return Err(DocError::WrongKind {
            expected: T::KIND.as_str(),
            found: said,
        });
    }
    let schema: u64 = autosurgeon::hydrate_prop(doc, ROOT, "schema")?;
    if schema > SCHEMA {
        return Err(DocError::NewerSchema(schema));
    }
    Ok(())
}

fn hydrate_kind(doc: &Automerge) -> String {
    autosurgeon::hydrate_prop::<_, String, _, _>(doc, ROOT, "kind").unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Programme: settings, quarters, guide, checklist. Audience: every member of the programme.

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct ProgrammeDoc {
    pub kind: String,
    pub schema: u64,
    pub name: String,
    pub school: String,
    pub academic_year: String,
    /// A locally generated example programme, never synced.
    pub demo: bool,
    pub settings: Settings,
    /// Quarter number ("1".."4") to first and last day, ISO dates.
    pub quarters: BTreeMap<String, QuarterDoc>,
    /// Topic id to topic.
    pub guide: BTreeMap<String, TopicDoc>,
    /// Precondition key to done.
    pub checklist: BTreeMap<String, bool>,
    /// Document id of the mentors' shared preparation pages.
    pub preparation_doc: String,
    /// The programme's id on the sync server (empty for the demo).
    pub programme_id: String,
    pub coordinator_name: String,
}

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct QuarterDoc {
    pub start: String,
    pub end: String,
}

/// A topic of the programme's guide. Empty text fields mean "the default topic's text, in the
/// reader's language".
#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct TopicDoc {
    pub number: u64,
    pub default_key: String,
    pub title: String,
    pub mentor_tells: Vec<String>,
    pub ask_mentee: Vec<String>,
    pub also: Vec<String>,
    pub first_quarter: u64,
    pub last_quarter: u64,
    pub preferred_weeks: Option<WeeksDoc>,
}

/// A range of weeks within a quarter, week 1 being its first week.
#[derive(Debug, Clone, Copy, PartialEq, Hydrate, Reconcile)]
pub struct WeeksDoc {
    pub from: u64,
    pub to: u64,
}

impl DocSchema for ProgrammeDoc {
    const KIND: DocKind = DocKind::Programme;
}

/// The toolbox's preconditions, in the order the coordinator works through them.
pub const CHECKLIST: [&str; 6] = [
    "informed",
    "contact_point",
    "plan",
    "goal_clear",
    "monitored",
    "voluntary",
];

impl ProgrammeDoc {
    /// A programme with the default guide and an empty checklist.
    pub fn new(
        name: &str,
        school: &str,
        academic_year: &str,
        settings: Settings,
        quarters: &[(String, String); 4],
    ) -> ProgrammeDoc {
        ProgrammeDoc {
            kind: DocKind::Programme.as_str().to_owned(),
            schema: SCHEMA,
            name: name.to_owned(),
            school: school.to_owned(),
            academic_year: academic_year.to_owned(),
            demo: false,
            settings,
            quarters: quarters
                .iter()
                .enumerate()
                .map(|(i, (start, end))| {
                    (
                        (i + 1).to_string(),
                        QuarterDoc {
                            start: start.clone(),
                            end: end.clone(),
                        },
                    )
                })
                .collect(),
            guide: DEFAULT_TOPICS
                .iter()
                .map(|t| {
                    (
                        format!("topic-{}", t.number),
                        TopicDoc {
                            number: t.number.into(),
                            default_key: t.key.to_owned(),
                            title: String::new(),
                            mentor_tells: Vec::new(),
                            ask_mentee: Vec::new(),
                            also: Vec::new(),
                            first_quarter: t.timing.first_quarter.into(),
                            last_quarter: t.timing.last_quarter.into(),
                            preferred_weeks: t.timing.preferred_weeks.map(|(from, to)| WeeksDoc {
                                from: from.into(),
                                to: to.into(),
                            }),
                        },
                    )
                })
                .collect(),
            checklist: CHECKLIST.iter().map(|k| ((*k).to_owned(), false)).collect(),
            preparation_doc: String::new(),
            programme_id: String::new(),
            coordinator_name: String::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Group: a pair (or circle), its members and its meetings. Progress only, never note content.
// Audience: the group's members and the programme's coordinator.

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct GroupDoc {
    pub kind: String,
    pub schema: u64,
    pub group_id: String,
    /// Document id of the programme this group belongs to.
    pub programme_doc: String,
    pub group_kind: GroupKind,
    /// Person id to member. Names are not here: the server's directory has them (so erasing
    /// a person erases her name, which a document's history would keep).
    pub members: BTreeMap<String, MemberDoc>,
    /// Document id of the group's notes (shared notes and goals).
    pub notes_doc: String,
    /// Meeting id to meeting (a circle's sessions).
    pub meetings: BTreeMap<String, MeetingDoc>,
    /// What only a circle has; `None` for a pair.
    pub circle: Option<CircleDoc>,
}

/// A Mentoring Circle's own details.
#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct CircleDoc {
    pub name: String,
    /// The external organisation that leads the first session ("VHTO").
    pub organisation: String,
    /// Person id of the school's teacher who is present at the first session and leads the others.
    pub teacher: String,
    /// Person id to what the circle shows of her: a student's programme and year, a
    /// professional's field and job.
    pub details: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct MemberDoc {
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct MeetingDoc {
    /// Topic id in the programme's guide, if the meeting follows one.
    pub topic: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    /// Local time in Europe/Amsterdam, "HH:MM".
    pub time: Option<String>,
    pub duration_minutes: u64,
    pub place: String,
    pub status: MeetingStatus,
    /// ISO date the meeting was marked as held.
    pub held_on: Option<String>,
    /// The mentor asked the mentee about her own experience (the guide's rule).
    pub asked_mentee: bool,
    /// What only a circle session has; `None` for a pair's meeting.
    pub session: Option<SessionDoc>,
}

/// A circle session's facilitation, place and attendance.
#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct SessionDoc {
    pub facilitator: Facilitator,
    /// Person id of the professional whose company hosts it; `None` means at school.
    pub host: Option<String>,
    /// Why at school rather than at a company.
    pub school_reason: String,
    /// Why the toolbox's limits (three sessions, two hours) are exceeded, if they are.
    pub override_reason: String,
    /// Person id to present (true) or absent (false), as the facilitator recorded it.
    pub attendance: BTreeMap<String, bool>,
}

impl DocSchema for GroupDoc {
    const KIND: DocKind = DocKind::Group;
}

impl GroupDoc {
    pub fn new_pair(programme_doc: &str, notes_doc: &str, mentor: &str, mentee: &str) -> GroupDoc {
        let members = [(mentor, Role::Mentor), (mentee, Role::Mentee)]
            .into_iter()
            .map(|(person, role)| (person.to_owned(), MemberDoc { role }))
            .collect();
        GroupDoc {
            kind: DocKind::Group.as_str().to_owned(),
            schema: SCHEMA,
            group_id: new_id(),
            programme_doc: programme_doc.to_owned(),
            group_kind: GroupKind::Pair,
            members,
            notes_doc: notes_doc.to_owned(),
            meetings: BTreeMap::new(),
            circle: None,
        }
    }

    /// A circle of `members` (person id, role) with its details; its notes document follows
    /// from the server.
    pub fn new_circle(
        programme_doc: &str,
        circle: CircleDoc,
        members: &[(String, Role)],
    ) -> GroupDoc {
        GroupDoc {
            kind: DocKind::Group.as_str().to_owned(),
            schema: SCHEMA,
            group_id: new_id(),
            programme_doc: programme_doc.to_owned(),
            group_kind: GroupKind::Circle,
            members: members
                .iter()
                .map(|(person, role)| (person.clone(), MemberDoc { role: *role }))
                .collect(),
            notes_doc: String::new(),
            meetings: BTreeMap::new(),
            circle: Some(circle),
        }
    }

    pub fn meeting_mut(&mut self, id: &str) -> Result<&mut MeetingDoc, DocError> {
        self.meetings
            .get_mut(id)
            .ok_or_else(|| DocError::NoSuchMeeting(id.to_owned()))
    }
}

impl MeetingDoc {
    pub fn planned(topic: Option<String>) -> MeetingDoc {
        MeetingDoc {
            topic,
            date: None,
            time: None,
            duration_minutes: 60,
            place: String::new(),
            status: MeetingStatus::Planned,
            held_on: None,
            asked_mentee: false,
            session: None,
        }
    }
}

/// The fields of a meeting two devices may both change while apart; the app shows which value is
/// shown and offers the others back.
pub const MEETING_FIELDS: [&str; 3] = ["date", "time", "place"];

/// A meeting field with more than one value after a merge: the one shown, and the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub field: &'static str,
    pub shown: String,
    pub others: Vec<String>,
}

/// The fields of a meeting that were changed on two devices while apart.
pub fn meeting_conflicts(doc: &Automerge, meeting_id: &str) -> Result<Vec<Conflict>, DocError> {
    let Some(meeting) = meeting_object(doc, meeting_id)? else {
        return Ok(Vec::new());
    };
    let mut conflicts = Vec::new();
    for field in MEETING_FIELDS {
        let values: Vec<String> = doc
            .get_all(&meeting, field)?
            .into_iter()
            .map(|(value, _)| scalar_text(&value))
            .collect();
        if values.len() > 1 {
            let shown = match doc.get(&meeting, field)? {
                Some((value, _)) => scalar_text(&value),
                None => String::new(),
            };
            let mut others: Vec<String> = values.into_iter().filter(|v| *v != shown).collect();
            others.dedup();
            conflicts.push(Conflict {
                field,
                shown,
                others,
            });
        }
    }
    Ok(conflicts)
}

/// Sets one of [`MEETING_FIELDS`] (an empty value clears it). This also settles a conflict on it.
pub fn set_meeting_field(
    doc: &mut Automerge,
    meeting_id: &str,
    field: &str,
    value: &str,
) -> Result<(), DocError> {
    if !MEETING_FIELDS.contains(&field) {
        return Err(DocError::Write(format!("{field} is not a meeting field")));
    }
    let meeting = meeting_object(doc, meeting_id)?
        .ok_or_else(|| DocError::NoSuchMeeting(meeting_id.to_owned()))?;
    let mut tx = doc.transaction();
    match (field, value) {
        ("place", v) => tx.put(&meeting, field, v)?,
        (_, "") => tx.put(&meeting, field, ScalarValue::Null)?,
        (_, v) => tx.put(&meeting, field, v)?,
    }
    tx.commit();
    Ok(())
}

fn meeting_object(doc: &Automerge, meeting_id: &str) -> Result<Option<automerge::ObjId>, DocError> {
    let Some((Value::Object(ObjType::Map), meetings)) = doc.get(ROOT, "meetings")? else {
        return Ok(None);
    };
    Ok(match doc.get(&meetings, meeting_id)? {
        Some((Value::Object(ObjType::Map), id)) => Some(id),
        _ => None,
    })
}

fn scalar_text(value: &Value<'_>) -> String {
    match value {
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Str(text) => text.to_string(),
            ScalarValue::Null => String::new(),
            other => other.to_string(),
        },
        Value::Object(_) => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Notes: shared meeting notes (Automerge text, merged per character) and goals.
// Audience: the group's members only.

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct NotesDoc {
    pub kind: String,
    pub schema: u64,
    pub group_id: String,
    /// Meeting id to that meeting's shared notes.
    pub meetings: BTreeMap<String, MeetingNotesDoc>,
    /// Goal id to goal or learning question.
    pub goals: BTreeMap<String, GoalDoc>,
}

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct MeetingNotesDoc {
    pub shared: autosurgeon::Text,
}

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct GoalDoc {
    /// Person id of whose goal it is.
    pub owner: String,
    pub kind: GoalKind,
    pub text: autosurgeon::Text,
    /// The meeting it was set for, if any.
    pub meeting: Option<String>,
    pub achieved: bool,
    /// How it went, written after the meeting.
    pub evaluation: autosurgeon::Text,
    pub created_on: String,
}

impl DocSchema for NotesDoc {
    const KIND: DocKind = DocKind::Notes;
}

impl NotesDoc {
    pub fn new(group_id: &str) -> NotesDoc {
        NotesDoc {
            kind: DocKind::Notes.as_str().to_owned(),
            schema: SCHEMA,
            group_id: group_id.to_owned(),
            meetings: BTreeMap::new(),
            goals: BTreeMap::new(),
        }
    }
}

impl GroupDoc {
    /// Whether a device makes a meeting's shared notes text when it is missing. A pair meeting's
    /// text is made by the device that plans the meeting, before the meeting itself, so a missing
    /// one has not arrived yet: no one makes it. A circle session's text is made by one device
    /// only: the first of the teacher's devices (`first_device`), also for the sessions the
    /// coordinator planned (she cannot write the notes). Two devices making it would make two
    /// texts, and joining them can bring back what was deleted in one.
    pub fn starts_missing_notes(&self, person: &str, first_device: bool) -> bool {
        first_device && self.circle.as_ref().is_some_and(|c| c.teacher == person)
    }
}

/// Where a meeting's shared notes live in a notes document.
pub fn shared_note_path(meeting_id: &str) -> [&str; 3] {
    ["meetings", meeting_id, "shared"]
}

// ---------------------------------------------------------------------------------------------
// Text fields: notes, reflections, preparation pages. Read together with the document state they
// were read at, and written as an edit on top of that state, so that what arrived from elsewhere in
// the meantime is merged, not overwritten.

/// Reads the text at `path` (map keys, the last one holding the text) and the heads it was read
/// at. A missing text reads as empty. If devices apart each created the text, all versions are
/// shown one after the other, never silently dropped.
pub fn read_text(doc: &Automerge, path: &[&str]) -> Result<(String, Vec<ChangeHash>), DocError> {
    let texts = text_objects(doc, path)?
        .into_iter()
        .map(|obj| doc.text(&obj))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((texts.join("\n\n"), doc.get_heads()))
}

/// Writes `new` at `path` as an edit of the text as it was at `base` (what the person saw), as the
/// smallest set of character edits. Characters others inserted since `base` are kept. An empty or
/// unknown `base` means "the current text". Returns the heads at which the text is exactly `new`
/// (the base for the person's next edit, whatever else has been merged meanwhile).
pub fn write_text(
    doc: &mut Automerge,
    path: &[&str],
    base: &[ChangeHash],
    new: &str,
) -> Result<Vec<ChangeHash>, DocError> {
    let Some((leaf, parents)) = path.split_last() else {
        return Err(DocError::Write("empty text path".into()));
    };
    let objects = text_objects(doc, path)?;
    if objects.len() == 1 {
        let obj = objects[0].clone();
        // Typing alone, the base is the document's state: no need for a view of the past, which
        // costs time in proportion to the document's history.
        let mut heads = doc.get_heads();
        heads.sort();
        let mut sorted_base = base.to_vec();
        sorted_base.sort();
        let current = heads == sorted_base;
        let base_known = !base.is_empty()
            && !current
            && base.iter().all(|h| doc.get_change_by_hash(h).is_some())
            && doc.text_at(&obj, base).is_ok();
        let seen = if base_known { base.to_vec() } else { heads };
        let mut tx = if base_known {
            doc.transaction_at(automerge::PatchLog::inactive(), base)
                .map_err(|e| DocError::Write(e.to_string()))?
        } else {
            doc.transaction()
        };
        tx.update_text(&obj, new)?;
        let (hash, _) = tx.commit();
        return Ok(hash.map(|h| vec![h]).unwrap_or(seen));
    }
    // No text yet, or versions created apart: one text in their place. It is first exactly what
    // she sent (the base for her next edit); then whatever the versions gained since she read
    // them is added, so that nothing written elsewhere meanwhile is replaced.
    let (now, _) = read_text(doc, path)?;
    let known = !base.is_empty() && base.iter().all(|h| doc.get_change_by_hash(h).is_some());
    let seen = match doc.fork_at(base) {
        Ok(past) if known => read_text(&past, path)?.0,
        _ => now.clone(),
    };
    let merged = merge_edits(&seen, &now, new)?;
    let mut tx = doc.transaction();
    let mut parent = ROOT;
    let mut fresh = false;
    for key in parents {
        let values = tx.get_all(&parent, *key)?;
        let existing = match values.as_slice() {
            [(Value::Object(ObjType::Map), id)] if !fresh => Some(id.clone()),
            _ => None,
        };
        parent = match existing {
            Some(id) => id,
            None => {
                fresh = true;
                tx.put_object(&parent, *key, ObjType::Map)?
            }
        };
    }
    let obj = tx.put_object(&parent, *leaf, ObjType::Text)?;
    tx.update_text(&obj, new)?;
    let (hash, _) = tx.commit();
    if merged != new {
        let mut tx = doc.transaction();
        tx.update_text(&obj, &merged)?;
        tx.commit();
    }
    Ok(hash.map(|h| vec![h]).unwrap_or_default())
}

/// A three-way merge of text: what changed from `seen` to `theirs` and from `seen` to `mine`,
/// both applied (as two devices' edits of the same text merge).
fn merge_edits(seen: &str, theirs: &str, mine: &str) -> Result<String, DocError> {
    if theirs == seen {
        return Ok(mine.to_owned());
    }
    if mine == seen {
        return Ok(theirs.to_owned());
    }
    let mut common = Automerge::new();
    let mut tx = common.transaction();
    let text = tx.put_object(ROOT, "text", ObjType::Text)?;
    tx.update_text(&text, seen)?;
    tx.commit();
    let mut other = common.fork();
    let mut tx = common.transaction();
    tx.update_text(&text, theirs)?;
    tx.commit();
    let mut tx = other.transaction();
    tx.update_text(&text, mine)?;
    tx.commit();
    common
        .merge(&mut other)
        .map_err(|e| DocError::Write(e.to_string()))?;
    Ok(common.text(&text)?)
}

/// Whether the text at `path` exists (however empty), as opposed to not having been made or not
/// having arrived yet.
pub fn has_text(doc: &Automerge, path: &[&str]) -> Result<bool, DocError> {
    Ok(!text_objects(doc, path)?.is_empty())
}

/// Every text object reachable at `path`, following all versions of conflicting maps.
fn text_objects(doc: &Automerge, path: &[&str]) -> Result<Vec<automerge::ObjId>, DocError> {
    let Some((leaf, parents)) = path.split_last() else {
        return Ok(Vec::new());
    };
    let mut maps = vec![ROOT];
    for key in parents {
        let mut next = Vec::new();
        for map in &maps {
            for (value, id) in doc.get_all(map, *key)? {
                if let Value::Object(ObjType::Map) = value {
                    next.push(id);
                }
            }
        }
        maps = next;
    }
    let mut texts = Vec::new();
    for map in &maps {
        for (value, id) in doc.get_all(map, *leaf)? {
            if let Value::Object(ObjType::Text) = value {
                texts.push(id);
            }
        }
    }
    Ok(texts)
}

/// Heads as text (for handing to the window and back).
pub fn heads_to_string(heads: &[ChangeHash]) -> String {
    heads
        .iter()
        .map(ChangeHash::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Heads from text; anything unreadable is dropped (and then means "the current text").
pub fn heads_from_string(heads: &str) -> Vec<ChangeHash> {
    heads
        .split(',')
        .filter_map(|h| h.trim().parse().ok())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Private: one person's own notes and reflections. Audience: only her own devices.

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct PrivateDoc {
    pub kind: String,
    pub schema: u64,
    /// Person id of the owner.
    pub owner: String,
    /// Meeting id to her private notes on it.
    pub notes: BTreeMap<String, autosurgeon::Text>,
    /// Her reflections, not tied to one meeting.
    pub reflections: autosurgeon::Text,
}

impl DocSchema for PrivateDoc {
    const KIND: DocKind = DocKind::Private;
}

/// Brings her private notes and reflections written in `from` (a second private document her other
/// device made before it knew of the first) into `into`: each text is added after what `into` has
/// there, unless `into` has it already (so bringing them over twice adds nothing).
pub fn fold_private(into: &mut Automerge, from: &PrivateDoc) -> Result<(), DocError> {
    let texts = from
        .notes
        .iter()
        .map(|(meeting, text)| (vec!["notes", meeting.as_str()], text.as_str()))
        .chain(std::iter::once((
            vec!["reflections"],
            from.reflections.as_str(),
        )));
    for (path, text) in texts {
        if text.is_empty() {
            continue;
        }
        let (current, _) = read_text(into, &path)?;
        if current.contains(text) {
            continue;
        }
        let joined = if current.is_empty() {
            text.to_owned()
        } else {
            format!("{current}\n\n{text}")
        };
        write_text(into, &path, &[], &joined)?;
    }
    Ok(())
}

impl PrivateDoc {
    pub fn new(owner: &str) -> PrivateDoc {
        PrivateDoc {
            kind: DocKind::Private.as_str().to_owned(),
            schema: SCHEMA,
            owner: owner.to_owned(),
            notes: BTreeMap::new(),
            reflections: autosurgeon::Text::with_value(""),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Preparation: the mentors' shared page per guide topic. Audience: the programme's mentors and its
// coordinator, never mentees.

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct PreparationDoc {
    pub kind: String,
    pub schema: u64,
    /// Topic id to the mentors' shared preparation of it.
    pub topics: BTreeMap<String, autosurgeon::Text>,
}

impl DocSchema for PreparationDoc {
    const KIND: DocKind = DocKind::Preparation;
}

impl PreparationDoc {
    pub fn new() -> PreparationDoc {
        PreparationDoc {
            kind: DocKind::Preparation.as_str().to_owned(),
            schema: SCHEMA,
            topics: BTreeMap::new(),
        }
    }
}

impl Default for PreparationDoc {
    fn default() -> Self {
        PreparationDoc::new()
    }
}

// ---------------------------------------------------------------------------------------------
// Roster: the coordinator's criteria and pairs. Audience: the coordinator only. Invitations
// (names, e-mail addresses) are kept by the server only, so they can be erased.

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct RosterDoc {
    pub kind: String,
    pub schema: u64,
    pub programme_id: String,
    pub programme_doc: String,
    /// Preselection criteria, written down before pairing: a weight (0-5) per criterion.
    pub criteria: BTreeMap<String, u64>,
    /// Group id to pair.
    pub pairs: BTreeMap<String, PairDoc>,
}

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct PairDoc {
    pub group_doc: String,
    pub mentor: String,
    pub mentee: String,
    pub formed_on: String,
    pub dissolved_on: Option<String>,
}

impl DocSchema for RosterDoc {
    const KIND: DocKind = DocKind::Roster;
}

/// The preselection criteria a coordinator can weigh.
pub const CRITERIA: [&str; 3] = ["same_track", "shared_interests", "self_check"];

impl RosterDoc {
    pub fn new(programme_id: &str, programme_doc: &str) -> RosterDoc {
        RosterDoc {
            kind: DocKind::Roster.as_str().to_owned(),
            schema: SCHEMA,
            programme_id: programme_id.to_owned(),
            programme_doc: programme_doc.to_owned(),
            criteria: [
                ("same_track", 3),
                ("shared_interests", 2),
                ("self_check", 1),
            ]
            .into_iter()
            .map(|(k, w)| (k.to_owned(), w))
            .collect(),
            pairs: BTreeMap::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Profile: a participant's own description, self-check, capacity and preferences.
// Audience: she and the coordinator.

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct ProfileDoc {
    pub kind: String,
    pub schema: u64,
    pub owner: String,
    pub programme_id: String,
    pub role: Role,
    pub name: String,
    /// Her study programme or direction ("HBO-ICT, software engineering").
    pub track: String,
    pub year: u64,
    pub interests: Vec<String>,
    pub about: String,
    /// Mentor self-check: item to ticked.
    pub self_check: BTreeMap<String, bool>,
    /// Mentors: how many mentees she can take.
    pub capacity: u64,
    /// Matching programmes: persons of the other role, most preferred first.
    pub preferences: Vec<String>,
}

impl DocSchema for ProfileDoc {
    const KIND: DocKind = DocKind::Profile;
}

/// The toolbox's mentor checklist, for preselection and as the mentor's self-check.
pub const MENTOR_CHECKLIST: [&str; 9] = [
    "experience",
    "social",
    "feedback",
    "communication",
    "approachable",
    "direction",
    "advocate",
    "sounding_board",
    "growth",
];

impl ProfileDoc {
    pub fn new(owner: &str, programme_id: &str, role: Role, name: &str) -> ProfileDoc {
        ProfileDoc {
            kind: DocKind::Profile.as_str().to_owned(),
            schema: SCHEMA,
            owner: owner.to_owned(),
            programme_id: programme_id.to_owned(),
            role,
            name: name.to_owned(),
            track: String::new(),
            year: 0,
            interests: Vec::new(),
            about: String::new(),
            self_check: BTreeMap::new(),
            capacity: if role == Role::Mentor { 1 } else { 0 },
            preferences: Vec::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation: a participant's answers to the toolbox's closing questions.
// Audience: she and the coordinator.

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct EvaluationDoc {
    pub kind: String,
    pub schema: u64,
    pub owner: String,
    pub programme_id: String,
    pub role: Role,
    /// How she experienced the mentoring.
    pub experience: String,
    pub good: String,
    pub less_good: String,
    pub useful_topics: String,
    pub less_useful_topics: String,
    /// Topic id to a rating of 1 to 5.
    pub ratings: BTreeMap<String, u64>,
    pub submitted_on: Option<String>,
}

impl DocSchema for EvaluationDoc {
    const KIND: DocKind = DocKind::Evaluation;
}

impl EvaluationDoc {
    pub fn new(owner: &str, programme_id: &str, role: Role) -> EvaluationDoc {
        EvaluationDoc {
            kind: DocKind::Evaluation.as_str().to_owned(),
            schema: SCHEMA,
            owner: owner.to_owned(),
            programme_id: programme_id.to_owned(),
            role,
            experience: String::new(),
            good: String::new(),
            less_good: String::new(),
            useful_topics: String::new(),
            less_useful_topics: String::new(),
            ratings: BTreeMap::new(),
            submitted_on: None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Contact: a participant's line to the programme's contact person (the coordinator).
// Audience: she and the coordinator. Each of her devices may start one (offline); her messages
// are those of all of hers.

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct ContactDoc {
    pub kind: String,
    pub schema: u64,
    pub owner: String,
    pub programme_id: String,
    /// Message id to message.
    pub messages: BTreeMap<String, MessageDoc>,
}

/// One message: hers or the coordinator's answer.
#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct MessageDoc {
    /// Person id of who wrote it.
    pub from: String,
    /// RFC 3339.
    pub sent_at: String,
    /// What it is about: `question`, `pair` (a concern about her pair) or `answer`.
    pub about: String,
    pub text: String,
}

impl DocSchema for ContactDoc {
    const KIND: DocKind = DocKind::Contact;
}

impl ContactDoc {
    pub fn new(owner: &str, programme_id: &str) -> ContactDoc {
        ContactDoc {
            kind: DocKind::Contact.as_str().to_owned(),
            schema: SCHEMA,
            owner: owner.to_owned(),
            programme_id: programme_id.to_owned(),
            messages: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quarters() -> [(String, String); 4] {
        [
            ("2026-09-01", "2026-11-08"),
            ("2026-11-09", "2027-01-31"),
            ("2027-02-01", "2027-04-18"),
            ("2027-04-19", "2027-07-10"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    }

    fn fork(doc: &Automerge) -> Automerge {
        doc.fork().with_actor(automerge::ActorId::random())
    }

    #[test]
    fn a_programme_round_trips_with_the_default_guide() {
        let programme = ProgrammeDoc::new(
            "ICT",
            "Windesheim",
            "2026-2027",
            Settings::default(),
            &quarters(),
        );
        let doc = create(&programme).unwrap();
        let back: ProgrammeDoc = read(&doc).unwrap();
        assert_eq!(back, programme);
        assert_eq!(back.guide.len(), 5);
        assert_eq!(kind_of(&doc), Some(DocKind::Programme));
    }

    #[test]
    fn reading_a_document_as_the_wrong_kind_is_a_clear_error() {
        let doc = create(&NotesDoc::new("g")).unwrap();
        let err = read::<GroupDoc>(&doc).unwrap_err();
        assert!(
            matches!(
                err,
                DocError::WrongKind {
                    expected: "group",
                    ..
                }
            ),
            "{err}"
        );
        let empty = Automerge::new();
        assert!(read::<NotesDoc>(&empty).is_err());
    }

    #[test]
    fn concurrent_edits_to_different_fields_of_a_meeting_both_survive() {
        let mut group = GroupDoc::new_pair("p", "n", "a", "b");
        group
            .meetings
            .insert("m1".into(), MeetingDoc::planned(Some("topic-1".into())));
        let mut mentor = create(&group).unwrap();
        let mut mentee = fork(&mentor);
        change::<GroupDoc, _>(&mut mentor, |g| {
            g.meeting_mut("m1")?.place = "Bibliotheek".into();
            Ok(())
        })
        .unwrap();
        change::<GroupDoc, _>(&mut mentee, |g| {
            g.meeting_mut("m1")?.time = Some("14:30".into());
            Ok(())
        })
        .unwrap();
        mentor.merge(&mut mentee).unwrap();
        let merged: GroupDoc = read(&mentor).unwrap();
        assert_eq!(merged.meetings["m1"].place, "Bibliotheek");
        assert_eq!(merged.meetings["m1"].time.as_deref(), Some("14:30"));
    }

    #[test]
    fn a_field_changed_on_two_devices_shows_one_value_and_offers_the_other_back() {
        let mut group = GroupDoc::new_pair("p", "n", "a", "b");
        group
            .meetings
            .insert("m1".into(), MeetingDoc::planned(None));
        let mut a = create(&group).unwrap();
        let mut b = fork(&a);
        set_meeting_field(&mut a, "m1", "place", "Bibliotheek").unwrap();
        set_meeting_field(&mut b, "m1", "place", "Kantine").unwrap();
        set_meeting_field(&mut b, "m1", "time", "15:00").unwrap();
        a.merge(&mut b).unwrap();
        let conflicts = meeting_conflicts(&a, "m1").unwrap();
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        let c = &conflicts[0];
        assert_eq!(c.field, "place");
        let shown: GroupDoc = read(&a).unwrap();
        assert_eq!(shown.meetings["m1"].place, c.shown);
        let mut all = vec![c.shown.clone(), c.others[0].clone()];
        all.sort();
        assert_eq!(all, vec!["Bibliotheek", "Kantine"]);
        // Restoring the other value settles it.
        let other = c.others[0].clone();
        set_meeting_field(&mut a, "m1", "place", &other).unwrap();
        assert!(meeting_conflicts(&a, "m1").unwrap().is_empty());
        assert_eq!(read::<GroupDoc>(&a).unwrap().meetings["m1"].place, other);
        assert!(set_meeting_field(&mut a, "m1", "status", "x").is_err());
        assert!(set_meeting_field(&mut a, "nope", "place", "x").is_err());
    }

    fn note(doc: &Automerge) -> String {
        read_text(doc, &shared_note_path("m1")).unwrap().0
    }

    fn write(doc: &mut Automerge, text: &str) {
        write_text(doc, &shared_note_path("m1"), &[], text).unwrap();
    }

    #[test]
    fn typing_on_while_a_save_is_under_way_continues_from_the_saved_text() {
        let mut doc = create(&NotesDoc::new("g")).unwrap();
        write(&mut doc, "a");
        let (_, base) = read_text(&doc, &shared_note_path("m1")).unwrap();
        // The other device adds text; this device saves "ab" from base, then (not having seen
        // the merge yet) types on to "abc" and saves from the base the first save returned.
        let mut other = fork(&doc);
        write(&mut other, "a!");
        doc.merge(&mut other).unwrap();
        let own = write_text(&mut doc, &shared_note_path("m1"), &base, "ab").unwrap();
        write_text(&mut doc, &shared_note_path("m1"), &own, "abc").unwrap();
        let text = note(&doc);
        assert!(text == "abc!" || text == "a!bc", "{text}");
    }

    #[test]
    fn concurrent_typing_in_one_note_keeps_both_texts() {
        let mut a = create(&NotesDoc::new("g")).unwrap();
        write(&mut a, "Eerste weken: druk.");
        let mut b = fork(&a);
        write(&mut a, "Mentor: Eerste weken: druk.");
        write(&mut b, "Eerste weken: druk. Mentee: herkenbaar!");
        a.merge(&mut b).unwrap();
        assert_eq!(note(&a), "Mentor: Eerste weken: druk. Mentee: herkenbaar!");
    }

    #[test]
    fn an_edit_made_on_a_stale_screen_does_not_erase_what_arrived_meanwhile() {
        let mut doc = create(&NotesDoc::new("g")).unwrap();
        write(&mut doc, "Eerste weken.");
        let (seen, base) = read_text(&doc, &shared_note_path("m1")).unwrap();
        // Text arrives from the other device while this screen still shows `seen`.
        let mut other = fork(&doc);
        write(&mut other, "Eerste weken. Mentee: herkenbaar!");
        doc.merge(&mut other).unwrap();
        write_text(
            &mut doc,
            &shared_note_path("m1"),
            &base,
            &format!("Mentor: {seen}"),
        )
        .unwrap();
        assert_eq!(note(&doc), "Mentor: Eerste weken. Mentee: herkenbaar!");
        // A base this document never had means: edit the current text.
        let unknown = heads_from_string("00ff");
        write_text(&mut doc, &shared_note_path("m1"), &unknown, "schoon").unwrap();
        assert_eq!(note(&doc), "schoon");
    }

    #[test]
    fn notes_created_twice_while_apart_are_both_kept_and_then_joined() {
        let base = create(&NotesDoc::new("g")).unwrap();
        let mut a = fork(&base);
        let mut b = fork(&base);
        write(&mut a, "from a");
        write(&mut b, "from b");
        a.merge(&mut b).unwrap();
        let both = note(&a);
        assert!(both.contains("from a") && both.contains("from b"), "{both}");
        write(&mut a, &both);
        assert_eq!(text_objects(&a, &shared_note_path("m1")).unwrap().len(), 1);
        assert_eq!(note(&a), both);
        let notes: NotesDoc = read(&a).unwrap();
        assert_eq!(notes.meetings["m1"].shared.as_str(), both);
    }

    /// Found by the convergence harness: joining two versions replaced what arrived between her
    /// reading them and her edit (a phone's typing, lost on the laptop's save).
    #[test]
    fn joining_versions_keeps_what_arrived_after_she_read_them() {
        let base = create(&NotesDoc::new("g")).unwrap();
        let mut laptop = fork(&base);
        let mut phone = fork(&base);
        write(&mut laptop, "laptop");
        write(&mut phone, "phone");
        laptop.merge(&mut phone.clone()).unwrap();
        let (seen, heads) = read_text(&laptop, &shared_note_path("m1")).unwrap();
        // The phone types on in its version; that arrives before the laptop saves.
        phone.merge(&mut laptop.clone()).unwrap();
        let mut only_phone = fork(&phone);
        let phones = text_objects(&only_phone, &shared_note_path("m1")).unwrap();
        let mine = phones
            .iter()
            .find(|o| only_phone.text(*o).unwrap() == "phone")
            .unwrap()
            .clone();
        let mut tx = only_phone.transaction();
        tx.splice_text(&mine, 5, 0, " typt door").unwrap();
        tx.commit();
        laptop.merge(&mut only_phone).unwrap();
        let saved = format!("{seen} en meer");
        let edit_base = write_text(&mut laptop, &shared_note_path("m1"), &heads, &saved).unwrap();
        let now = note(&laptop);
        assert!(now.contains("typt door"), "{now}");
        assert!(now.contains("en meer"), "{now}");
        assert_eq!(
            text_objects(&laptop, &shared_note_path("m1"))
                .unwrap()
                .len(),
            1
        );
        // Her next edit continues from exactly what she saved.
        let past = laptop.fork_at(&edit_base).unwrap();
        assert_eq!(note(&past), saved);
    }

    #[test]
    fn only_the_teachers_first_device_makes_a_missing_session_text() {
        let pair = GroupDoc::new_pair("p", "n", "mentor", "mentee");
        let mut circle = pair.clone();
        circle.circle = Some(CircleDoc {
            name: "Circle".into(),
            organisation: "VHTO".into(),
            teacher: "teacher".into(),
            details: BTreeMap::new(),
        });
        assert!(circle.starts_missing_notes("teacher", true));
        assert!(
            !circle.starts_missing_notes("teacher", false),
            "her other devices wait"
        );
        assert!(!circle.starts_missing_notes("student", true));
        assert!(
            !pair.starts_missing_notes("mentor", true),
            "a pair's planner made it"
        );
    }
}
