//! What a mentor and a mentee do with their pair: the home and meeting screens, notes,
//! reflections and goals, planning and holding meetings, calendar files, the first-contact e-mail
//! and the mentors' preparation.

use chrono::{DateTime, NaiveDate, Utc};

use super::settings::Setting;
use super::{ActionError, MAX_PLACE, Session, parse_date, parse_time, shared_path};
use crate::api::{Email, GoalItem, Home, MeetingPage, PreparationPage, Reminder, TextValue};
use crate::docs::{self, GoalDoc, GroupDoc, MeetingDoc, NotesDoc};
use crate::guide;
use crate::i18n::{format_date, tf};
use crate::model::{GoalKind, GroupKind, MeetingStatus};
use crate::{ics, mail, views};

impl Session {
    // -- Screens ------------------------------------------------------------------------------

    /// Tomorrow's meetings of her pairs that she was not yet reminded of (of that date: a meeting
    /// moved is reminded of again), worded in her language. The device marks them as given with
    /// [`Session::mark_reminded`] once it showed them.
    pub async fn due_reminders(&self, today: NaiveDate) -> Result<Vec<Reminder>, ActionError> {
        let language = self.language()?;
        let mut due = Vec::new();
        for group in self.home(today).await?.groups {
            for meeting in &group.meetings {
                let Some(date) = meeting.date.as_deref().and_then(|d| parse_date(d).ok()) else {
                    continue;
                };
                let reminded = self.setting(&Setting::Reminded(meeting.id.clone()))?;
                if !guide::reminder_due(date, meeting.status, today)
                    || reminded.as_deref() == Some(date.to_string().as_str())
                {
                    continue;
                }
                due.push(Reminder {
                    meeting: meeting.id.clone(),
                    date: date.to_string(),
                    title: tf(language, "reminder.title", &[("title", &meeting.title)]),
                    body: tf(
                        language,
                        "reminder.body",
                        &[
                            ("partner", &group.partner),
                            ("when", &meeting.when),
                            ("place", &meeting.place),
                        ],
                    )
                    .trim_end()
                    .to_owned(),
                });
            }
        }
        Ok(due)
    }

    /// Remembers reminders as given (for the date each reminded of).
    pub fn mark_reminded(&self, reminders: &[Reminder]) -> Result<(), ActionError> {
        for reminder in reminders {
            self.set_setting(&Setting::Reminded(reminder.meeting.clone()), &reminder.date)?;
        }
        Ok(())
    }

    /// The home screen.
    pub async fn home(&self, today: NaiveDate) -> Result<Home, ActionError> {
        let profile = self.profile()?;
        let names = self.names()?;
        let mut groups = Vec::new();
        let mut circles = Vec::new();
        for group_id in self.my_groups().await? {
            if let Ok(group) = self.device.read::<GroupDoc>(&group_id).await
                && group.group_kind == GroupKind::Circle
            {
                circles.push(self.circle_home(&group_id, &group).await?);
                continue;
            }
            let Ok(pair) = self.pair_docs(&group_id).await else {
                // A pair whose documents have not all arrived yet is shown once they have.
                continue;
            };
            let reflections = self
                .private_text(&group_id, vec!["reflections".into()])
                .await?;
            let mut shared_notes = Vec::new();
            for (id, meeting) in &pair.group.meetings {
                if meeting.status == MeetingStatus::Held {
                    let text = self.text(&pair.notes_id, shared_path(id)).await?.text;
                    shared_notes.push((id.clone(), text));
                }
            }
            groups.push(views::group_home(
                views::GroupHomeInput {
                    group_id: &group_id,
                    programme: &pair.programme,
                    group: &pair.group,
                    notes: &pair.notes,
                    me: &profile.person_id,
                    names: &names,
                    reflections,
                    shared_notes,
                },
                today,
                profile.language,
            ));
        }
        // Real programmes first, the demo last.
        groups.sort_by_key(|g| g.demo);
        let (programmes, memberships) = self.programme_cards().await?;
        Ok(Home {
            profile,
            groups,
            circles,
            programmes,
            memberships,
            server: self.known_server()?,
            kept: self.kept_programmes()?,
        })
    }

    /// The meeting screen.
    pub async fn meeting_page(
        &self,
        group_id: &str,
        meeting: &str,
        today: NaiveDate,
    ) -> Result<MeetingPage, ActionError> {
        let profile = self.profile()?;
        let pair = self.pair_docs(group_id).await?;
        let shared_notes = self.text(&pair.notes_id, shared_path(meeting)).await?;
        let private_notes = self
            .private_text(group_id, vec!["notes".into(), meeting.to_owned()])
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
                names: &self.names()?,
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
        let pair = self.pair_docs(group).await?;
        if !pair.group.meetings.contains_key(meeting) {
            return Err(ActionError::UnknownMeeting(meeting.to_owned()));
        }
        let path = shared_path(meeting);
        // A local-only pair (the demo) has no other device to wait for.
        let starts = self.local_only(&pair.notes_id)?
            || pair
                .group
                .starts_missing_notes(&self.profile()?.person_id, self.first_device()?);
        if !starts && !self.text_arrives(&pair.notes_id, &path).await? {
            return Err(ActionError::NotesNotArrived);
        }
        self.write(&pair.notes_id, path, base, text).await
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
        let pair = self.pair_docs(group).await?;
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
        let pair = self.pair_docs(group).await?;
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
        let pair = self.pair_docs(group).await?;
        Ok(views::goal_items(
            &pair.group,
            &pair.notes,
            &self.profile()?.person_id,
            &self.names()?,
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
        let pair = self.pair_docs(group).await?;
        let topic = views::next_topic(&pair.programme, &pair.group);
        let id = docs::new_id();
        let meeting = MeetingDoc {
            date: Some(date.to_string()),
            time: time.map(|t| t.format("%H:%M").to_string()),
            place,
            ..MeetingDoc::planned(topic)
        };
        // The notes text is made before the meeting, so that every device that sees the meeting
        // types into this one text (see `GroupDoc::starts_missing_notes`).
        self.start_notes(&pair.notes_id, &id).await?;
        let new_id = id.clone();
        self.device
            .change::<GroupDoc, _>(group, move |g| {
                g.meetings.insert(new_id, meeting);
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
        let pair = self.pair_docs(group).await?;
        let language = self.language()?;
        let me = self.profile()?.person_id;
        let partner = views::partner_names(&pair.group, &me, &self.names()?);
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
        let pair = self.pair_docs(group).await?;
        let (subject, body) = match template {
            Some((subject, body)) => {
                self.set_setting(&Setting::FirstContactSubject, &subject)?;
                self.set_setting(&Setting::FirstContactBody, &body)?;
                (subject, body)
            }
            None => match (
                self.setting(&Setting::FirstContactSubject)?,
                self.setting(&Setting::FirstContactBody)?,
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
            mentee: &views::partner_names(&pair.group, &profile.person_id, &self.names()?),
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
                self.setting(&Setting::FirstContactSubject)?,
                self.setting(&Setting::FirstContactBody)?,
            ) {
                (Some(subject), Some(body)) => (subject, body),
                _ => mail::first_contact_template(self.language()?),
            },
        )
    }

    // -- Mentors' preparation -----------------------------------------------------------------

    pub async fn preparation(&self, group: &str) -> Result<Vec<PreparationPage>, ActionError> {
        let pair = self.pair_docs(group).await?;
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
        let pair = self.pair_docs(group).await?;
        self.write(
            &pair.programme.preparation_doc,
            vec!["topics".into(), topic.to_owned()],
            base,
            text,
        )
        .await
    }
}
