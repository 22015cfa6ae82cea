//! What a person does in the app, as operations on her device: set up her profile, open the demo,
//! set up or join a pair, plan and hold meetings, write notes and goals, export calendars and
//! e-mails. Each operation reads and changes documents through the [`Device`] and builds its answer
//! with [`crate::views`]; the app shell only translates requests into these calls.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::api::{Email, GoalItem, Home, MeetingPage, PreparationPage, Profile, TextValue};
use crate::device::{Device, DeviceError};
use crate::docs::{
    self, DocError, GoalDoc, GroupDoc, MeetingDoc, NotesDoc, PreparationDoc, PrivateDoc,
    ProgrammeDoc,
};
use crate::i18n::format_date;
use crate::model::{GoalKind, Language, MeetingStatus, Role, Settings};
use crate::{demo, guide, ics, mail, views};

/// Longest name accepted, in characters.
const MAX_NAME: usize = 80;
/// Longest place accepted, in characters.
const MAX_PLACE: usize = 200;

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
    #[error("this is not a pair code")]
    BadPairCode,
    #[error("no pair with this code could be found (it needs a connection to the server)")]
    PairNotFound,
    #[error("this pair code was already used by someone else")]
    PairTaken,
    #[error("the meeting has no date yet")]
    NoDate,
    #[error("no such pair on this device: {0}")]
    UnknownGroup(String),
    #[error("no such meeting: {0}")]
    UnknownMeeting(String),
    #[error("not a field that can be changed: {0}")]
    BadField(String),
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

impl ActionError {
    /// The stable code the window translates.
    pub fn code(&self) -> &'static str {
        match self {
            ActionError::NameRequired => "name_required",
            ActionError::NameTooLong => "name_too_long",
            ActionError::RoleRequired => "role_required",
            ActionError::BadDate(_) => "bad_date",
            ActionError::BadTime(_) => "bad_time",
            ActionError::PlaceTooLong => "place_too_long",
            ActionError::TextRequired => "text_required",
            ActionError::AskFirst => "ask_first",
            ActionError::BadPairCode => "bad_pair_code",
            ActionError::PairNotFound => "pair_not_found",
            ActionError::PairTaken => "pair_taken",
            ActionError::NoDate => "no_date",
            ActionError::UnknownGroup(_) => "unknown_group",
            ActionError::UnknownMeeting(_) => "unknown_meeting",
            ActionError::BadField(_) => "bad_field",
            ActionError::Device(DeviceError::Store(_)) => "storage_failed",
            ActionError::Device(_) => "device_failed",
        }
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

/// The code a partner types to join a pair set up by hand: `PM1:<group document>:<her member id>`.
pub fn pair_code(group_doc: &str, member: &str) -> String {
    format!("PM1:{group_doc}:{member}")
}

fn read_pair_code(code: &str) -> Result<(String, String), ActionError> {
    let mut parts = code.trim().split(':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("PM1"), Some(doc), Some(member), None)
            if doc.parse::<crate::sync::DocumentId>().is_ok()
                && !member.is_empty()
                && member.chars().all(|c| c.is_ascii_hexdigit()) =>
        {
            Ok((doc.to_owned(), member.to_owned()))
        }
        _ => Err(ActionError::BadPairCode),
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
    pub fn new(device: Arc<Device>) -> Session {
        Session { device }
    }

    pub fn device(&self) -> &Arc<Device> {
        &self.device
    }

    fn setting(&self, key: &str) -> Result<Option<String>, ActionError> {
        Ok(self
            .device
            .store()
            .setting(key)
            .map_err(DeviceError::from)?)
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<(), ActionError> {
        Ok(self
            .device
            .store()
            .set_setting(key, value)
            .map_err(DeviceError::from)?)
    }

    // -- Profile ------------------------------------------------------------------------------

    /// The person on this device (a person id is made on first use).
    pub fn profile(&self) -> Result<Profile, ActionError> {
        let person_id = match self.setting("person_id")? {
            Some(id) => id,
            None => {
                let id = docs::new_id();
                self.set_setting("person_id", &id)?;
                id
            }
        };
        let role = match self.setting("role")?.as_deref() {
            Some("mentor") => Some(Role::Mentor),
            Some("mentee") => Some(Role::Mentee),
            _ => None,
        };
        Ok(Profile {
            person_id,
            name: self.setting("name")?.unwrap_or_default(),
            role,
            language: self.language()?,
            onboarded: self.setting("onboarded")?.is_some(),
        })
    }

    pub fn language(&self) -> Result<Language, ActionError> {
        Ok(self
            .setting("language")?
            .and_then(|l| Language::from_code(&l))
            .unwrap_or_default())
    }

    pub fn set_language(&self, language: Language) -> Result<Profile, ActionError> {
        self.set_setting("language", language.code())?;
        self.profile()
    }

    /// Saves name and role; the name also changes in every pair she is in.
    pub async fn save_profile(&self, name: &str, role: Role) -> Result<Profile, ActionError> {
        let name = check_name(name)?;
        let role_code = match role {
            Role::Mentor => "mentor",
            Role::Mentee => "mentee",
            _ => return Err(ActionError::RoleRequired),
        };
        self.set_setting("name", &name)?;
        self.set_setting("role", role_code)?;
        self.set_setting("onboarded", "yes")?;
        let me = self.profile()?.person_id;
        for group in self.group_ids()? {
            let (me, name) = (me.clone(), name.clone());
            self.device
                .change::<GroupDoc, _>(&group, move |g| {
                    if let Some(member) = g.members.get_mut(&me) {
                        member.name = name;
                    }
                    Ok(())
                })
                .await?;
        }
        self.profile()
    }

    // -- Setting up a pair --------------------------------------------------------------------

    fn group_ids(&self) -> Result<Vec<String>, ActionError> {
        Ok(self
            .device
            .documents()?
            .into_iter()
            .filter(|e| e.kind == "group")
            .map(|e| e.doc_id)
            .collect())
    }

    /// Opens the demo programme (made on first use, kept on this device only).
    pub async fn open_demo(&self, today: NaiveDate) -> Result<String, ActionError> {
        if let Some(existing) = self.setting("demo_group")?
            && self
                .device
                .documents()?
                .iter()
                .any(|e| e.doc_id == existing)
        {
            return Ok(existing);
        }
        let profile = self.profile()?;
        let role = profile.role.unwrap_or(Role::Mentee);
        let demo = demo::demo(
            today,
            &profile.person_id,
            &profile.name,
            role,
            profile.language,
        );
        let ids = self
            .store_pair(demo.programme, demo.group, demo.notes, true)
            .await?;
        for (meeting, text) in demo.shared_notes {
            self.write(&ids.notes, shared_path(&meeting), "", &text)
                .await?;
        }
        self.set_setting("demo_group", &ids.group)?;
        if !profile.onboarded {
            self.set_setting("onboarded", "yes")?;
        }
        Ok(ids.group)
    }

    /// Sets up a pair by hand: this person and a partner who joins later with the pair code.
    pub async fn create_pair(
        &self,
        programme_name: &str,
        partner_name: &str,
        today: NaiveDate,
    ) -> Result<String, ActionError> {
        let profile = self.profile()?;
        let partner_name = check_name(partner_name)?;
        let programme_name = check_name(programme_name)?;
        let my_name = check_name(&profile.name)?;
        let partner = docs::new_id();
        let (mentor, mentee) = match profile.role {
            Some(Role::Mentor) => (
                (profile.person_id.as_str(), my_name.as_str()),
                (partner.as_str(), partner_name.as_str()),
            ),
            Some(Role::Mentee) => (
                (partner.as_str(), partner_name.as_str()),
                (profile.person_id.as_str(), my_name.as_str()),
            ),
            _ => return Err(ActionError::RoleRequired),
        };
        let year = guide::academic_year_of(today);
        let quarters =
            guide::default_quarters(year).map(|q| (q.start.to_string(), q.end.to_string()));
        let programme = ProgrammeDoc::new(
            &programme_name,
            "",
            &format!("{year}-{}", year + 1),
            Settings::default(),
            &quarters,
        );
        let group = GroupDoc::new_pair("", "", mentor, mentee);
        let notes = NotesDoc::new(&group.group_id);
        let ids = self.store_pair(programme, group, notes, false).await?;
        self.set_setting(
            &format!("pair_code:{}", ids.group),
            &pair_code(&ids.group, &partner),
        )?;
        Ok(ids.group)
    }

    /// Joins a pair set up by hand on another device, with its pair code. Needs the server.
    pub async fn join_pair(&self, code: &str) -> Result<String, ActionError> {
        let (group_id, member) = read_pair_code(code)?;
        let profile = self.profile()?;
        let my_name = check_name(&profile.name)?;
        if !self.device.fetch(&group_id, "pair").await? {
            return Err(ActionError::PairNotFound);
        }
        let group: GroupDoc = self.device.read(&group_id).await?;
        if group.members.contains_key(&profile.person_id) {
            return Ok(group_id);
        }
        if !group.members.contains_key(&member) {
            return Err(ActionError::PairTaken);
        }
        let programme_ok = self.device.fetch(&group.programme_doc, "programme").await?;
        let notes_ok = self.device.fetch(&group.notes_doc, "notes").await?;
        if !(programme_ok && notes_ok) {
            return Err(ActionError::PairNotFound);
        }
        let programme: ProgrammeDoc = self.device.read(&group.programme_doc).await?;
        let slot_role = group.members.get(&member).map(|m| m.role);
        if slot_role == Some(Role::Mentor) && !programme.preparation_doc.is_empty() {
            // The mentors' preparation is for mentors only.
            self.device
                .fetch(&programme.preparation_doc, "preparation")
                .await?;
        }
        let me = profile.person_id.clone();
        self.device
            .change::<GroupDoc, _>(&group_id, move |g| {
                if let Some(mut slot) = g.members.remove(&member) {
                    slot.name = my_name;
                    g.members.insert(me, slot);
                }
                Ok(())
            })
            .await?;
        Ok(group_id)
    }

    async fn store_pair(
        &self,
        mut programme: ProgrammeDoc,
        mut group: GroupDoc,
        notes: NotesDoc,
        local_only: bool,
    ) -> Result<PairIds, ActionError> {
        let title = programme.name.clone();
        let preparation = self
            .device
            .create(&PreparationDoc::new(), &title, local_only)
            .await?;
        programme.preparation_doc = preparation;
        let programme_id = self.device.create(&programme, &title, local_only).await?;
        let notes_id = self.device.create(&notes, &title, local_only).await?;
        group.programme_doc = programme_id;
        group.notes_doc = notes_id.clone();
        let group_id = self.device.create(&group, &title, local_only).await?;
        let me = self.profile()?.person_id;
        let private = self
            .device
            .create(&PrivateDoc::new(&me), &title, local_only)
            .await?;
        self.set_setting(&format!("private:{group_id}"), &private)?;
        Ok(PairIds {
            group: group_id,
            notes: notes_id,
        })
    }

    /// This person's private document for a pair (made on first use).
    async fn private_doc(&self, group: &str) -> Result<String, ActionError> {
        let key = format!("private:{group}");
        if let Some(id) = self.setting(&key)?
            && self.device.documents()?.iter().any(|e| e.doc_id == id)
        {
            return Ok(id);
        }
        let me = self.profile()?.person_id;
        let local_only = self.pair(group).await?.programme.demo;
        let id = self
            .device
            .create(&PrivateDoc::new(&me), "private", local_only)
            .await?;
        self.set_setting(&key, &id)?;
        Ok(id)
    }

    async fn pair(&self, group_id: &str) -> Result<PairDocs, ActionError> {
        let group: GroupDoc = self.device.read(group_id).await.map_err(|e| match e {
            DeviceError::NotFound(id) => ActionError::UnknownGroup(id),
            other => other.into(),
        })?;
        let programme: ProgrammeDoc = self.device.read(&group.programme_doc).await?;
        let notes: NotesDoc = self.device.read(&group.notes_doc).await?;
        Ok(PairDocs {
            notes_id: group.notes_doc.clone(),
            programme,
            group,
            notes,
        })
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

    async fn write(
        &self,
        doc: &str,
        path: Vec<String>,
        base: &str,
        text: &str,
    ) -> Result<TextValue, ActionError> {
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

    // -- Screens ------------------------------------------------------------------------------

    /// The home screen.
    pub async fn home(&self, today: NaiveDate) -> Result<Home, ActionError> {
        let profile = self.profile()?;
        let mut groups = Vec::new();
        for group_id in self.group_ids()? {
            let Ok(pair) = self.pair(&group_id).await else {
                // A pair whose documents have not all arrived yet is shown once they have.
                continue;
            };
            let private = self.private_doc(&group_id).await?;
            let reflections = self.text(&private, vec!["reflections".into()]).await?;
            let mut shared_notes = Vec::new();
            for (id, meeting) in &pair.group.meetings {
                if meeting.status == MeetingStatus::Held {
                    let text = self.text(&pair.notes_id, shared_path(id)).await?.text;
                    shared_notes.push((id.clone(), text));
                }
            }
            let pair_code = match self.setting(&format!("pair_code:{group_id}"))? {
                Some(code) => match read_pair_code(&code) {
                    Ok((_, member)) if pair.group.members.contains_key(&member) => Some(code),
                    _ => None,
                },
                None => None,
            };
            groups.push(views::group_home(
                views::GroupHomeInput {
                    group_id: &group_id,
                    programme: &pair.programme,
                    group: &pair.group,
                    notes: &pair.notes,
                    me: &profile.person_id,
                    pair_code,
                    reflections,
                    shared_notes,
                },
                today,
                profile.language,
            ));
        }
        // Real programmes first, the demo last.
        groups.sort_by_key(|g| g.demo);
        Ok(Home { profile, groups })
    }

    /// The meeting screen.
    pub async fn meeting_page(
        &self,
        group_id: &str,
        meeting: &str,
        today: NaiveDate,
    ) -> Result<MeetingPage, ActionError> {
        let profile = self.profile()?;
        let pair = self.pair(group_id).await?;
        let shared_notes = self.text(&pair.notes_id, shared_path(meeting)).await?;
        let private = self.private_doc(group_id).await?;
        let private_notes = self
            .text(&private, vec!["notes".into(), meeting.to_owned()])
            .await?;
        let m = meeting.to_owned();
        let conflicts = self
            .device
            .with_doc(group_id, move |d| docs::meeting_conflicts(d, &m))
            .await?;
        views::meeting_page(
            views::MeetingPageInput {
                group_id,
                programme: &pair.programme,
                group: &pair.group,
                notes: &pair.notes,
                me: &profile.person_id,
                meeting_id: meeting,
                shared_notes,
                private_notes,
                conflicts,
            },
            today,
            profile.language,
        )
        .ok_or_else(|| ActionError::UnknownMeeting(meeting.to_owned()))
    }

    // -- Notes, reflections, goals ------------------------------------------------------------

    pub async fn write_shared_note(
        &self,
        group: &str,
        meeting: &str,
        base: &str,
        text: &str,
    ) -> Result<TextValue, ActionError> {
        let pair = self.pair(group).await?;
        if !pair.group.meetings.contains_key(meeting) {
            return Err(ActionError::UnknownMeeting(meeting.to_owned()));
        }
        self.write(&pair.notes_id, shared_path(meeting), base, text)
            .await
    }

    pub async fn write_private_note(
        &self,
        group: &str,
        meeting: &str,
        base: &str,
        text: &str,
    ) -> Result<TextValue, ActionError> {
        let private = self.private_doc(group).await?;
        self.write(
            &private,
            vec!["notes".into(), meeting.to_owned()],
            base,
            text,
        )
        .await
    }

    pub async fn write_reflections(
        &self,
        group: &str,
        base: &str,
        text: &str,
    ) -> Result<TextValue, ActionError> {
        let private = self.private_doc(group).await?;
        self.write(&private, vec!["reflections".into()], base, text)
            .await
    }

    pub async fn add_goal(
        &self,
        group: &str,
        kind: GoalKind,
        text: &str,
        meeting: Option<String>,
        today: NaiveDate,
    ) -> Result<Vec<GoalItem>, ActionError> {
        let text = text.trim().to_owned();
        if text.is_empty() {
            return Err(ActionError::TextRequired);
        }
        let pair = self.pair(group).await?;
        let me = self.profile()?.person_id;
        let goal = GoalDoc {
            owner: me.clone(),
            kind,
            text: autosurgeon::Text::with_value(text),
            meeting,
            achieved: false,
            evaluation: autosurgeon::Text::with_value(""),
            created_on: today.to_string(),
        };
        self.device
            .change::<NotesDoc, _>(&pair.notes_id, move |n| {
                n.goals.insert(docs::new_id(), goal);
                Ok(())
            })
            .await?;
        self.goals(group).await
    }

    pub async fn set_goal(
        &self,
        group: &str,
        goal: &str,
        achieved: bool,
        evaluation: &str,
    ) -> Result<Vec<GoalItem>, ActionError> {
        let pair = self.pair(group).await?;
        let (id, evaluation) = (goal.to_owned(), evaluation.to_owned());
        self.device
            .change::<NotesDoc, _>(&pair.notes_id, move |n| {
                if let Some(goal) = n.goals.get_mut(&id) {
                    goal.achieved = achieved;
                    goal.evaluation.update(evaluation);
                }
                Ok(())
            })
            .await?;
        self.goals(group).await
    }

    async fn goals(&self, group: &str) -> Result<Vec<GoalItem>, ActionError> {
        let pair = self.pair(group).await?;
        Ok(views::goal_items(
            &pair.group,
            &pair.notes,
            &self.profile()?.person_id,
        ))
    }

    // -- Meetings -----------------------------------------------------------------------------

    /// Records that the mentor asked the mentee about her own experience (or takes it back).
    pub async fn set_asked(
        &self,
        group: &str,
        meeting: &str,
        asked: bool,
    ) -> Result<(), ActionError> {
        let m = meeting.to_owned();
        self.device
            .change::<GroupDoc, _>(group, move |g| {
                g.meeting_mut(&m)?.asked_mentee = asked;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Marks a meeting as held, which the guide allows once the mentee was asked about her own
    /// experience.
    pub async fn mark_held(
        &self,
        group: &str,
        meeting: &str,
        today: NaiveDate,
    ) -> Result<(), ActionError> {
        let m = meeting.to_owned();
        self.device
            .change::<GroupDoc, _>(group, move |g| {
                let meeting = g.meeting_mut(&m)?;
                if !meeting.asked_mentee {
                    return Ok(Err(ActionError::AskFirst));
                }
                meeting.status = MeetingStatus::Held;
                meeting.held_on = Some(today.to_string());
                Ok(Ok(()))
            })
            .await?
    }

    /// Plans a meeting on the next topic of the guide.
    pub async fn plan_meeting(
        &self,
        group: &str,
        date: &str,
        time: &str,
        place: &str,
    ) -> Result<String, ActionError> {
        let date = parse_date(date)?;
        let time = if time.trim().is_empty() {
            None
        } else {
            Some(parse_time(time)?)
        };
        let place = place.trim().to_owned();
        if place.chars().count() > MAX_PLACE {
            return Err(ActionError::PlaceTooLong);
        }
        let pair = self.pair(group).await?;
        let topic = views::next_topic(&pair.programme, &pair.group);
        let id = docs::new_id();
        let meeting = MeetingDoc {
            date: Some(date.to_string()),
            time: time.map(|t| t.format("%H:%M").to_string()),
            place,
            ..MeetingDoc::planned(topic)
        };
        let new_id = id.clone();
        self.device
            .change::<GroupDoc, _>(group, move |g| {
                g.meetings.insert(new_id, meeting);
                Ok(())
            })
            .await?;
        // The notes text exists from the start, so both devices type into the same one.
        let path = shared_path(&id);
        self.device
            .with_doc(&pair.notes_id, move |d| {
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                if docs::read_text(d, &path)?.0.is_empty() {
                    docs::write_text(d, &path, &[], "")?;
                }
                Ok(())
            })
            .await?;
        Ok(id)
    }

    /// Changes a meeting's date, time or place; this also settles a conflict on that field.
    pub async fn set_meeting_field(
        &self,
        group: &str,
        meeting: &str,
        field: &str,
        value: &str,
    ) -> Result<(), ActionError> {
        let value = match field {
            "date" if !value.trim().is_empty() => parse_date(value)?.to_string(),
            "time" if !value.trim().is_empty() => parse_time(value)?.format("%H:%M").to_string(),
            "place" if value.trim().chars().count() > MAX_PLACE => {
                return Err(ActionError::PlaceTooLong);
            }
            "date" | "time" | "place" => value.trim().to_owned(),
            other => return Err(ActionError::BadField(other.to_owned())),
        };
        let (m, f) = (meeting.to_owned(), field.to_owned());
        self.device
            .with_doc(group, move |d| docs::set_meeting_field(d, &m, &f, &value))
            .await?;
        Ok(())
    }

    // -- Calendar and e-mail ------------------------------------------------------------------

    /// A calendar file with one meeting (`Some`) or every dated meeting of the pair (`None`).
    pub async fn calendar(
        &self,
        group: &str,
        meeting: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<String, ActionError> {
        let pair = self.pair(group).await?;
        let language = self.language()?;
        let me = self.profile()?.person_id;
        let partner = views::partner_names(&pair.group, &me);
        let quarters = views::quarters(&pair.programme, now.date_naive());
        let mut events = Vec::new();
        for (id, m) in views::meetings_in_order(&pair.group) {
            if meeting.is_some_and(|wanted| wanted != id) || m.status == MeetingStatus::Cancelled {
                continue;
            }
            let Some(date) = m.date.as_deref().and_then(|d| d.parse().ok()) else {
                if meeting.is_some() {
                    return Err(ActionError::NoDate);
                }
                continue;
            };
            let card = views::meeting_card(&pair.programme, id, m, &quarters, language);
            events.push(ics::Event {
                uid: format!("{id}@peer-mentoring"),
                date,
                time: m.time.as_deref().and_then(|t| parse_time(t).ok()),
                duration_minutes: u32::try_from(m.duration_minutes).unwrap_or(60),
                summary: format!("Mentoring: {} ({partner})", card.title),
                location: m.place.clone(),
                description: card.mentor_tells.join("\n"),
            });
        }
        if meeting.is_some() && events.is_empty() {
            return Err(ActionError::UnknownMeeting(
                meeting.unwrap_or_default().to_owned(),
            ));
        }
        Ok(ics::calendar(&events, now))
    }

    /// The mentor's first e-mail to her mentee, from her own template (or the default one) with
    /// the proposed times filled in. A template passed in is remembered for next time.
    pub async fn first_contact_email(
        &self,
        group: &str,
        to: &str,
        template: Option<(String, String)>,
        proposals: &[(String, String)],
    ) -> Result<Email, ActionError> {
        let language = self.language()?;
        let profile = self.profile()?;
        let pair = self.pair(group).await?;
        let (subject, body) = match template {
            Some((subject, body)) => {
                self.set_setting("mail.first.subject", &subject)?;
                self.set_setting("mail.first.body", &body)?;
                (subject, body)
            }
            None => match (
                self.setting("mail.first.subject")?,
                self.setting("mail.first.body")?,
            ) {
                (Some(subject), Some(body)) => (subject, body),
                _ => mail::first_contact_template(language),
            },
        };
        let mut times = Vec::new();
        for (date, time) in proposals.iter().filter(|(d, _)| !d.trim().is_empty()) {
            let day = format_date(language, parse_date(date)?);
            times.push(match time.trim() {
                "" => day,
                t => format!("{day}, {}", parse_time(t)?.format("%H:%M")),
            });
        }
        let fill = mail::Fill {
            mentee: &views::partner_names(&pair.group, &profile.person_id),
            mentor: &profile.name,
            programme: &pair.programme.name,
            proposed_times: &times,
        };
        let subject = mail::fill(&subject, &fill);
        let body = mail::fill(&body, &fill);
        Ok(Email {
            to: to.trim().to_owned(),
            mailto: mail::mailto(to, &subject, &body),
            subject,
            body,
        })
    }

    /// The editable first-contact template: the person's own, or the default in her language.
    pub fn first_contact_template(&self) -> Result<(String, String), ActionError> {
        Ok(
            match (
                self.setting("mail.first.subject")?,
                self.setting("mail.first.body")?,
            ) {
                (Some(subject), Some(body)) => (subject, body),
                _ => mail::first_contact_template(self.language()?),
            },
        )
    }

    // -- Mentors' preparation -----------------------------------------------------------------

    pub async fn preparation(&self, group: &str) -> Result<Vec<PreparationPage>, ActionError> {
        let pair = self.pair(group).await?;
        let language = self.language()?;
        let prep = pair.programme.preparation_doc.clone();
        let mut pages = Vec::new();
        for (id, topic) in views::ordered_topics(&pair.programme) {
            let text = views::topic_text(topic, language);
            pages.push(PreparationPage {
                topic: id.clone(),
                number: u8::try_from(topic.number).unwrap_or(u8::MAX),
                title: text.title,
                tells: text.tells,
                ask: text.ask,
                text: self.text(&prep, vec!["topics".into(), id.clone()]).await?,
            });
        }
        Ok(pages)
    }

    pub async fn write_preparation(
        &self,
        group: &str,
        topic: &str,
        base: &str,
        text: &str,
    ) -> Result<TextValue, ActionError> {
        let pair = self.pair(group).await?;
        self.write(
            &pair.programme.preparation_doc,
            vec!["topics".into(), topic.to_owned()],
            base,
            text,
        )
        .await
    }
}

struct PairIds {
    group: String,
    notes: String,
}

fn shared_path(meeting: &str) -> Vec<String> {
    docs::shared_note_path(meeting).map(str::to_owned).to_vec()
}
