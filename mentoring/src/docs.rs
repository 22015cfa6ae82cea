//! The Automerge documents: their schema and the edits the app makes to them.
//!
//! Every function here is plain: it takes an `Automerge` (or returns a new one) and knows nothing of
//! storage or the network. Each document has a `kind` and a `schema` at its root so a device can tell
//! what it holds before trusting it. Which kind may reach whom is decided in [`crate::access`].

use std::collections::BTreeMap;

use automerge::{
    AutoCommit, Automerge, ObjType, ROOT, ReadDoc, ScalarValue, Value, transaction::Transactable,
};
use autosurgeon::{Hydrate, Reconcile, hydrate, reconcile};

use crate::guide::DEFAULT_TOPICS;
use crate::model::{DocKind, GroupKind, MeetingStatus, Role, Settings};

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
pub fn new_id() -> String {
    let bits: u128 = rand::random();
    format!("{bits:032x}")
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
    /// Person id to member.
    pub members: BTreeMap<String, MemberDoc>,
    /// Document id of the group's notes (shared notes and goals).
    pub notes_doc: String,
    /// Meeting id to meeting.
    pub meetings: BTreeMap<String, MeetingDoc>,
}

#[derive(Debug, Clone, PartialEq, Hydrate, Reconcile)]
pub struct MemberDoc {
    pub name: String,
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
}

impl DocSchema for GroupDoc {
    const KIND: DocKind = DocKind::Group;
}

impl GroupDoc {
    pub fn new_pair(
        programme_doc: &str,
        notes_doc: &str,
        mentor: (&str, &str),
        mentee: (&str, &str),
    ) -> GroupDoc {
        let mut members = BTreeMap::new();
        members.insert(
            mentor.0.to_owned(),
            MemberDoc {
                name: mentor.1.to_owned(),
                role: Role::Mentor,
            },
        );
        members.insert(
            mentee.0.to_owned(),
            MemberDoc {
                name: mentee.1.to_owned(),
                role: Role::Mentee,
            },
        );
        GroupDoc {
            kind: DocKind::Group.as_str().to_owned(),
            schema: SCHEMA,
            group_id: new_id(),
            programme_doc: programme_doc.to_owned(),
            group_kind: GroupKind::Pair,
            members,
            notes_doc: notes_doc.to_owned(),
            meetings: BTreeMap::new(),
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
        }
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

/// Makes sure a meeting has its shared-notes text, so devices that later type into it all type
/// into the same text object.
pub fn ensure_meeting_notes(doc: &mut Automerge, meeting_id: &str) -> Result<(), DocError> {
    change::<NotesDoc, _>(doc, |notes| {
        notes
            .meetings
            .entry(meeting_id.to_owned())
            .or_insert_with(|| MeetingNotesDoc {
                shared: autosurgeon::Text::with_value(""),
            });
        Ok(())
    })
}

/// The shared notes of a meeting. If two devices each created the notes of the same meeting while
/// apart, both texts are kept: they are shown one after the other, never silently dropped.
pub fn shared_note(doc: &Automerge, meeting_id: &str) -> Result<String, DocError> {
    let texts = meeting_note_objects(doc, meeting_id)?
        .into_iter()
        .map(|obj| doc.text(&obj))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(texts.join("\n\n"))
}

/// Replaces the shared notes of a meeting with `text`, as the smallest set of character edits,
/// so that what others typed elsewhere in the text at the same time survives the merge.
pub fn set_shared_note(doc: &mut Automerge, meeting_id: &str, text: &str) -> Result<(), DocError> {
    ensure_meeting_notes(doc, meeting_id)?;
    let objects = meeting_note_objects(doc, meeting_id)?;
    let mut tx = doc.transaction();
    let meetings = match tx.get(ROOT, "meetings")? {
        Some((Value::Object(ObjType::Map), id)) => id,
        _ => return Err(DocError::Unreadable("notes without meetings".into())),
    };
    let obj = if objects.len() > 1 {
        // Resolve a creation conflict: one new text holding everything, written over all of them.
        let meeting = tx.put_object(&meetings, meeting_id, ObjType::Map)?;
        tx.put_object(&meeting, "shared", ObjType::Text)?
    } else {
        let meeting = match tx.get(&meetings, meeting_id)? {
            Some((Value::Object(ObjType::Map), id)) => id,
            _ => return Err(DocError::NoSuchMeeting(meeting_id.to_owned())),
        };
        match tx.get(&meeting, "shared")? {
            Some((Value::Object(ObjType::Text), id)) => id,
            _ => tx.put_object(&meeting, "shared", ObjType::Text)?,
        }
    };
    tx.update_text(&obj, text)?;
    tx.commit();
    Ok(())
}

fn meeting_note_objects(
    doc: &Automerge,
    meeting_id: &str,
) -> Result<Vec<automerge::ObjId>, DocError> {
    let Some((Value::Object(ObjType::Map), meetings)) = doc.get(ROOT, "meetings")? else {
        return Ok(Vec::new());
    };
    let mut texts = Vec::new();
    for (value, meeting) in doc.get_all(&meetings, meeting_id)? {
        if let Value::Object(ObjType::Map) = value {
            for (v, text) in doc.get_all(&meeting, "shared")? {
                if let Value::Object(ObjType::Text) = v {
                    texts.push(text);
                }
            }
        }
    }
    Ok(texts)
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
}

impl DocSchema for PrivateDoc {
    const KIND: DocKind = DocKind::Private;
}

impl PrivateDoc {
    pub fn new(owner: &str) -> PrivateDoc {
        PrivateDoc {
            kind: DocKind::Private.as_str().to_owned(),
            schema: SCHEMA,
            owner: owner.to_owned(),
            notes: BTreeMap::new(),
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
        let mut group = GroupDoc::new_pair("p", "n", ("a", "Anna"), ("b", "Bo"));
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
    fn concurrent_typing_in_one_note_keeps_both_texts() {
        let mut a = create(&NotesDoc::new("g")).unwrap();
        set_shared_note(&mut a, "m1", "Eerste weken: druk.").unwrap();
        let mut b = fork(&a);
        set_shared_note(&mut a, "m1", "Mentor: Eerste weken: druk.").unwrap();
        set_shared_note(&mut b, "m1", "Eerste weken: druk. Mentee: herkenbaar!").unwrap();
        a.merge(&mut b).unwrap();
        assert_eq!(
            shared_note(&a, "m1").unwrap(),
            "Mentor: Eerste weken: druk. Mentee: herkenbaar!"
        );
    }

    #[test]
    fn notes_created_twice_while_apart_are_both_kept_and_then_joined() {
        let base = create(&NotesDoc::new("g")).unwrap();
        let mut a = fork(&base);
        let mut b = fork(&base);
        set_shared_note(&mut a, "m1", "from a").unwrap();
        set_shared_note(&mut b, "m1", "from b").unwrap();
        a.merge(&mut b).unwrap();
        let both = shared_note(&a, "m1").unwrap();
        assert!(both.contains("from a") && both.contains("from b"), "{both}");
        set_shared_note(&mut a, "m1", &both).unwrap();
        assert_eq!(meeting_note_objects(&a, "m1").unwrap().len(), 1);
        assert_eq!(shared_note(&a, "m1").unwrap(), both);
    }
}
