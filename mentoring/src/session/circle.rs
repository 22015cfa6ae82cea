//! Mentoring Circles: the coordinator (the school's contact person) forms a circle of students,
//! professionals and a teacher; the teacher (or the coordinator) plans its sessions within the
//! toolbox's limits; the teacher takes attendance, offline if need be; members keep circle notes
//! and their own reflections; a student downloads her certificate after the last session.
//! The rules are in [`crate::circle`]; this module reads and writes the documents.

use chrono::NaiveDate;

use super::{ActionError, MAX_PLACE, Session, check_name, parse_date, parse_time, shared_path};
use crate::api::{
    AttendanceRow, CertificateState, CircleCandidate, CircleForm, CircleHome, CircleMember,
    CircleRow, CircleSessionPage, CircleSetup, PersonRef, SessionForm,
};
use crate::circle::{self, CertificateDecision, Location, SessionPlan};
use crate::docs::{self, CircleDoc, GroupDoc, MeetingDoc, ProfileDoc, ProgrammeDoc, SessionDoc};
use crate::i18n::t;
use crate::model::{DocKind, GroupKind, Language, MeetingStatus, Role};
use crate::wire::Directory;
use crate::{pdf, views};

/// What a circle shows of a person: a student's programme and year, a professional's field.
fn detail(profile: Option<&ProfileDoc>, language: Language) -> String {
    let Some(p) = profile.filter(|p| !p.track.trim().is_empty()) else {
        return t(language, "circle.no_detail");
    };
    match (p.role, p.year) {
        (Role::Student, year) if year > 0 => match language {
            Language::Nl => format!("{}, leerjaar {year}", p.track.trim()),
            Language::En => format!("{}, year {year}", p.track.trim()),
        },
        _ => p.track.trim().to_owned(),
    }
}

impl Session {
    // -- The coordinator: forming circles -------------------------------------------------------

    /// Who can be placed in a circle, with what the coordinator needs to judge the match, and
    /// the circles so far with their progress.
    pub async fn circle_setup(&self, programme_doc: &str) -> Result<CircleSetup, ActionError> {
        let p = self.programme(programme_doc).await?;
        let language = self.language()?;
        let profiles = self.profiles(&p).await?;
        let mut circles = Vec::new();
        let mut placed = std::collections::BTreeMap::new();
        let names = self.names()?;
        for (group_doc, group) in self.circles_of(&p.programme).await? {
            let circle = group.circle.clone().unwrap_or_else(empty_circle);
            for person in group.members.keys() {
                placed.insert(person.clone(), circle.name.clone());
            }
            let sessions = views::session_cards(&group, "", &names, language);
            circles.push(CircleRow {
                group: group_doc,
                name: circle.name.clone(),
                students: views::circle_members_of(&group, Role::Student).len(),
                professionals: views::circle_members_of(&group, Role::Professional).len(),
                teacher: if group.members.contains_key(&circle.teacher) {
                    names.of(&circle.teacher)
                } else {
                    String::new()
                },
                warnings: views::circle_warnings(&group, language),
                held: sessions
                    .iter()
                    .filter(|s| s.status == MeetingStatus::Held)
                    .count(),
                sessions,
            });
        }
        let candidates = |role: Role| -> Result<Vec<CircleCandidate>, ActionError> {
            Ok(self
                .participants(&p, role)?
                .into_iter()
                .map(|m| CircleCandidate {
                    detail: detail(profiles.get(&m.person), language),
                    circle: placed.get(&m.person).cloned(),
                    person: m.person,
                    name: m.name,
                })
                .collect())
        };
        Ok(CircleSetup {
            students: candidates(Role::Student)?,
            professionals: candidates(Role::Professional)?,
            teachers: candidates(Role::Facilitator)?,
            circles,
        })
    }

    /// The circles of a programme on this device: (group document, group).
    async fn circles_of(
        &self,
        programme: &ProgrammeDoc,
    ) -> Result<Vec<(String, GroupDoc)>, ActionError> {
        let mut circles = Vec::new();
        for entry in self.device.documents()? {
            if entry.kind != crate::model::DocKind::Group.as_str() {
                continue;
            }
            if let Ok(group) = self.device.read::<GroupDoc>(&entry.doc_id).await
                && group.group_kind == GroupKind::Circle
                && self
                    .device
                    .read::<ProgrammeDoc>(&group.programme_doc)
                    .await
                    .is_ok_and(|p| p.programme_id == programme.programme_id)
            {
                circles.push((entry.doc_id, group));
            }
        }
        circles.sort_by(|a, b| {
            a.1.circle
                .as_ref()
                .map(|c| &c.name)
                .cmp(&b.1.circle.as_ref().map(|c| &c.name))
        });
        Ok(circles)
    }

    /// Forms a circle of accepted students and professionals with their teacher. A circle
    /// outside the toolbox's numbers is formed too: the warnings are shown with it. The server
    /// makes the circle's notes, for its members alone.
    pub async fn create_circle(
        &self,
        programme_doc: &str,
        form: CircleForm,
    ) -> Result<String, ActionError> {
        let p = self.programme(programme_doc).await?;
        let language = self.language()?;
        let name = check_name(&form.name)?;
        let organisation = match form.organisation.trim() {
            "" => "VHTO".to_owned(),
            other => other.to_owned(),
        };
        if form.teacher.trim().is_empty() {
            return Err(ActionError::TeacherRequired);
        }
        let profiles = self.profiles(&p).await?;
        let mut members = Vec::new();
        let mut details = std::collections::BTreeMap::new();
        let chosen = form
            .students
            .iter()
            .map(|s| (s, Role::Student))
            .chain(form.professionals.iter().map(|s| (s, Role::Professional)))
            .chain(std::iter::once((&form.teacher, Role::Facilitator)));
        for (person, role) in chosen {
            if members.iter().any(|(p, _)| p == person) {
                continue;
            }
            let accepted = self
                .participants(&p, role)?
                .into_iter()
                .find(|m| &m.person == person);
            if accepted.is_none() {
                let other_role = [Role::Student, Role::Professional, Role::Facilitator]
                    .into_iter()
                    .any(|r| {
                        self.participants(&p, r)
                            .is_ok_and(|list| list.iter().any(|m| &m.person == person))
                    });
                return Err(if other_role {
                    ActionError::WrongRole
                } else {
                    ActionError::NotAccepted
                });
            }
            if role != Role::Facilitator {
                details.insert(person.clone(), detail(profiles.get(person), language));
            }
            members.push((person.clone(), role));
        }
        let circle = CircleDoc {
            name: name.clone(),
            organisation,
            teacher: form.teacher.clone(),
            details,
        };
        let group = GroupDoc::new_circle(programme_doc, circle, &members);
        let members = members.into_iter().map(|(id, _)| id).collect();
        let group_doc = self.form_group(&p, group, &name, members).await?;
        Ok(group_doc)
    }

    // -- Members: the circle and its sessions ---------------------------------------------------

    /// The reader's part in a circle: her role in it, or coordinator if she runs its programme.
    async fn role_in_circle(&self, group: &GroupDoc) -> Result<Option<Role>, ActionError> {
        let me = self.profile()?.person_id;
        if let Some(member) = group.members.get(&me) {
            return Ok(Some(member.role));
        }
        let programme: ProgrammeDoc = self.device.read(&group.programme_doc).await?;
        Ok(self
            .directory()?
            .unwrap_or_default()
            .memberships
            .into_iter()
            .find(|m| m.programme == programme.programme_id && m.active)
            .map(|m| m.role)
            .filter(|r| *r == Role::Coordinator))
    }

    async fn circle_group(&self, group: &str) -> Result<GroupDoc, ActionError> {
        let doc: GroupDoc = self.device.read(group).await.map_err(|e| match e {
            crate::device::DeviceError::NotFound(id) => ActionError::UnknownGroup(id),
            other => other.into(),
        })?;
        if doc.group_kind != GroupKind::Circle {
            return Err(ActionError::UnknownGroup(group.to_owned()));
        }
        Ok(doc)
    }

    /// A circle on its member's home screen.
    pub(super) async fn circle_home(
        &self,
        group_doc: &str,
        group: &GroupDoc,
    ) -> Result<CircleHome, ActionError> {
        let profile = self.profile()?;
        let language = profile.language;
        let me = profile.person_id;
        let programme: ProgrammeDoc = self.device.read(&group.programme_doc).await?;
        let circle = group.circle.clone().unwrap_or_else(empty_circle);
        let my_role = group.members.get(&me).map_or(Role::Student, |m| m.role);
        let names = self.names()?;
        let mut members: Vec<CircleMember> = group
            .members
            .iter()
            .map(|(person, m)| CircleMember {
                person: person.clone(),
                name: names.of(person),
                role: m.role,
                detail: circle.details.get(person).cloned().unwrap_or_default(),
            })
            .collect();
        members.sort_by_key(|m| (role_order(m.role), m.name.clone()));
        let certificate = (my_role == Role::Student).then(|| {
            let decision = circle::certificate_decision(&views::attended(group, &me));
            CertificateState {
                available: matches!(decision, CertificateDecision::Granted { .. }),
                explanation: circle::certificate_explanation(&decision, language),
            }
        });
        Ok(CircleHome {
            group: group_doc.to_owned(),
            name: circle.name,
            programme: programme.name,
            school: programme.school,
            my_role,
            sessions: views::session_cards(group, &me, &names, language),
            warnings: views::circle_warnings(group, language),
            can_plan: circle::may_plan_sessions(my_role),
            hosts: views::circle_members_of(group, Role::Professional)
                .into_iter()
                .map(|p| PersonRef {
                    person: p.clone(),
                    name: names.of(p),
                })
                .collect(),
            members,
            certificate,
        })
    }

    /// Plans a session. A fourth one in a school year, or one longer than two hours, needs a
    /// reason; at school needs a reason too. The first session of the year is led by the
    /// external organisation, the others by the teacher.
    pub async fn plan_session(
        &self,
        group: &str,
        form: SessionForm,
    ) -> Result<String, ActionError> {
        let doc = self.circle_group(group).await?;
        let role = self.role_in_circle(&doc).await?;
        if !role.is_some_and(circle::may_plan_sessions) {
            return Err(ActionError::NotFacilitator);
        }
        let date = parse_date(&form.date)?;
        let time = match form.time.trim() {
            "" => None,
            t => Some(parse_time(t)?.format("%H:%M").to_string()),
        };
        let place = form.place.trim().to_owned();
        if place.chars().count() > MAX_PLACE {
            return Err(ActionError::PlaceTooLong);
        }
        let location = match form.host.trim() {
            "" => Location::School {
                reason: form.school_reason.trim().to_owned(),
            },
            host => Location::Company {
                host: host.to_owned(),
            },
        };
        let sessions = views::circle_sessions(&doc);
        let others: Vec<NaiveDate> = sessions
            .iter()
            .filter_map(|(_, m)| m.date.as_deref()?.parse().ok())
            .collect();
        let professionals: Vec<String> = views::circle_members_of(&doc, Role::Professional)
            .into_iter()
            .cloned()
            .collect();
        let plan = SessionPlan {
            date,
            minutes: form.minutes,
            location: location.clone(),
            override_reason: form.override_reason.trim().to_owned(),
        };
        circle::check_session(&plan, &others, &professionals).map_err(ActionError::Plan)?;
        let earlier = others
            .iter()
            .filter(|d| {
                crate::guide::academic_year_of(**d) == crate::guide::academic_year_of(date)
                    && **d <= date
            })
            .count();
        let (host, school_reason) = match location {
            Location::Company { host } => (Some(host), String::new()),
            Location::School { reason } => (None, reason),
        };
        let meeting = MeetingDoc {
            date: Some(date.to_string()),
            time,
            duration_minutes: u64::from(form.minutes),
            place,
            session: Some(SessionDoc {
                facilitator: circle::default_facilitator(earlier),
                host,
                school_reason,
                override_reason: plan.override_reason,
                attendance: Default::default(),
            }),
            ..MeetingDoc::planned(None)
        };
        let id = docs::new_id();
        // The teacher's first device makes the notes text first, so everyone types into that one
        // text; planned elsewhere, that device makes it at its next refresh.
        let me = self.profile()?.person_id;
        if doc.starts_missing_notes(&me, self.first_device()?) && self.device.has(&doc.notes_doc) {
            self.start_notes(&doc.notes_doc, &id).await?;
        }
        let new_id = id.clone();
        self.device
            .change::<GroupDoc, _>(group, move |g| {
                g.meetings.insert(new_id, meeting);
                Ok(())
            })
            .await?;
        Ok(id)
    }

    /// The first of the teacher's devices makes the notes text of each session that has none
    /// (planned by the coordinator, who cannot write the notes document, or on another device of
    /// hers), so the members type into that one text.
    pub(super) async fn start_missing_session_notes(
        &self,
        directory: &Directory,
    ) -> Result<(), ActionError> {
        let me = self.profile()?.person_id;
        let mut first_device = None;
        for listed in &directory.documents {
            if listed.entry.kind != DocKind::Group || !self.device.has(&listed.id) {
                continue;
            }
            let Ok(group) = self.device.read::<GroupDoc>(&listed.id).await else {
                continue;
            };
            if !group.starts_missing_notes(&me, true) {
                continue;
            }
            let first = match first_device {
                Some(first) => first,
                None => *first_device.insert(self.refresh_first_device().await?),
            };
            if !first {
                continue;
            }
            let notes = self.notes_of(&listed.id, &group).await?;
            if !self.device.has(&notes) {
                continue;
            }
            for meeting in group.meetings.keys() {
                self.start_notes(&notes, meeting).await?;
            }
        }
        Ok(())
    }

    /// A circle session's screen: agenda, circle notes, her reflection, attendance.
    pub async fn circle_session(
        &self,
        group: &str,
        meeting: &str,
    ) -> Result<CircleSessionPage, ActionError> {
        let doc = self.circle_group(group).await?;
        let profile = self.profile()?;
        let language = profile.language;
        let names = self.names()?;
        let card = views::session_cards(&doc, &profile.person_id, &names, language)
            .into_iter()
            .find(|c| c.meeting == meeting)
            .ok_or_else(|| ActionError::UnknownMeeting(meeting.to_owned()))?;
        let role = self.role_in_circle(&doc).await?;
        let session = doc.meetings.get(meeting).and_then(|m| m.session.clone());
        let mut attendance: Vec<AttendanceRow> = doc
            .members
            .iter()
            .filter(|(_, m)| matches!(m.role, Role::Student | Role::Professional))
            .map(|(person, m)| AttendanceRow {
                person: person.clone(),
                name: names.of(person),
                role: m.role,
                present: session
                    .as_ref()
                    .and_then(|s| s.attendance.get(person))
                    .copied(),
            })
            .collect();
        attendance.sort_by_key(|a| (role_order(a.role), a.name.clone()));
        let reflection = self
            .private_text(group, vec!["notes".into(), meeting.to_owned()])
            .await?;
        Ok(CircleSessionPage {
            group: group.to_owned(),
            circle: doc.circle.map(|c| c.name).unwrap_or_default(),
            card,
            agenda: views::circle_agenda(language),
            shared_notes: self.text(&doc.notes_doc, shared_path(meeting)).await?,
            reflection,
            attendance,
            can_take_attendance: role.is_some_and(circle::may_take_attendance),
        })
    }

    /// Records whether someone was at a session (the teacher, offline if need be).
    pub async fn set_attendance(
        &self,
        group: &str,
        meeting: &str,
        person: &str,
        present: bool,
    ) -> Result<(), ActionError> {
        let doc = self.circle_group(group).await?;
        if !self
            .role_in_circle(&doc)
            .await?
            .is_some_and(circle::may_take_attendance)
        {
            return Err(ActionError::NotFacilitator);
        }
        if !doc.members.contains_key(person) {
            return Err(ActionError::NotAccepted);
        }
        let (m, who) = (meeting.to_owned(), person.to_owned());
        self.device
            .change::<GroupDoc, _>(group, move |g| {
                let meeting = g.meeting_mut(&m)?;
                meeting
                    .session
                    .get_or_insert_with(|| SessionDoc {
                        facilitator: circle::Facilitator::Teacher,
                        host: None,
                        school_reason: String::new(),
                        override_reason: String::new(),
                        attendance: Default::default(),
                    })
                    .attendance
                    .insert(who, present);
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Closes a session as held (the teacher, or the coordinator).
    pub async fn mark_session_held(
        &self,
        group: &str,
        meeting: &str,
        today: NaiveDate,
    ) -> Result<(), ActionError> {
        let doc = self.circle_group(group).await?;
        let role = self.role_in_circle(&doc).await?;
        if !role.is_some_and(|r| circle::may_take_attendance(r) || circle::may_plan_sessions(r)) {
            return Err(ActionError::NotFacilitator);
        }
        let m = meeting.to_owned();
        self.device
            .change::<GroupDoc, _>(group, move |g| {
                let meeting = g.meeting_mut(&m)?;
                meeting.status = MeetingStatus::Held;
                meeting.held_on = Some(today.to_string());
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// The reader's certificate of participation as a PDF, made here, offline: (file name, bytes).
    /// Without one she gets the explanation why not (yet).
    pub async fn certificate(
        &self,
        group: &str,
        today: NaiveDate,
    ) -> Result<(String, Vec<u8>), ActionError> {
        let doc = self.circle_group(group).await?;
        let profile = self.profile()?;
        let me = profile.person_id.clone();
        doc.members
            .get(&me)
            .filter(|m| m.role == Role::Student)
            .ok_or(ActionError::WrongRole)?;
        let names = self.names()?;
        // Her full name as she entered it, printed exactly.
        let student = names.of(&me);
        let decision = circle::certificate_decision(&views::attended(&doc, &me));
        let CertificateDecision::Granted { dates } = &decision else {
            return Err(ActionError::NoCertificate(circle::certificate_explanation(
                &decision,
                profile.language,
            )));
        };
        let programme: ProgrammeDoc = self.device.read(&doc.programme_doc).await?;
        let circle = doc.circle.clone().unwrap_or_else(empty_circle);
        let bytes = pdf::certificate(&pdf::Certificate {
            language: profile.language,
            student: student.clone(),
            circle: circle.name.clone(),
            school: programme.school.clone(),
            organisation: circle.organisation.clone(),
            teacher: names.of(&circle.teacher),
            dates: dates.clone(),
            issued: today,
        });
        let file = format!(
            "{}-{}.pdf",
            t(profile.language, "certificate.file"),
            file_safe(&student)
        );
        Ok((file, bytes))
    }

    /// The circle leaflet for students, as a PDF in the reader's language.
    pub fn leaflet(&self) -> Result<(String, Vec<u8>), ActionError> {
        let language = self.language()?;
        Ok((
            format!("{}.pdf", t(language, "leaflet.file")),
            pdf::leaflet(language),
        ))
    }
}

fn empty_circle() -> CircleDoc {
    CircleDoc {
        name: String::new(),
        organisation: String::new(),
        teacher: String::new(),
        details: Default::default(),
    }
}

fn role_order(role: Role) -> u8 {
    match role {
        Role::Facilitator => 0,
        Role::Professional => 1,
        _ => 2,
    }
}

/// A name as part of a file name: letters, digits and dashes.
pub(super) fn file_safe(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    cleaned.trim_matches('-').to_lowercase()
}
