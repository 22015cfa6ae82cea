//! The demo programme: an example pair with a year of meetings around today, so a new user sees a
//! living app before any server or coordinator exists. Built here as plain documents; the session
//! stores them on the device only, never synced.

use chrono::{Days, NaiveDate};

use crate::docs::{GoalDoc, GroupDoc, MeetingDoc, NotesDoc, ProgrammeDoc, new_id};
use pm_domain::guide::{self, DEFAULT_TOPICS};
use pm_domain::i18n::t;
use pm_domain::model::{GoalKind, Language, MeetingStatus, Role, Settings};

/// The demo's documents, before they are stored.
pub struct Demo {
    pub programme: ProgrammeDoc,
    /// `programme_doc` and `notes_doc` are filled in when the documents are stored.
    pub group: GroupDoc,
    pub notes: NotesDoc,
    /// Shared notes per held meeting.
    pub shared_notes: Vec<(String, String)>,
    /// The example partner: person id and name (names are not kept in documents; the session
    /// keeps this one on the device).
    pub partner: (String, String),
}

/// A demo pair of `me` (in `role`) and an example partner, with meetings around `today`.
pub fn demo(today: NaiveDate, me: &str, role: Role, language: Language) -> Demo {
    let year = guide::academic_year_of(today);
    let quarters = guide::default_quarters(year);
    let quarter_dates = quarters.map(|q| (q.start.to_string(), q.end.to_string()));
    let mut programme = ProgrammeDoc::new(
        &t(language, "demo.programme"),
        &t(language, "demo.school"),
        &format!("{year}-{}", year + 1),
        Settings::default(),
        &quarter_dates,
    );
    programme.demo = true;
    let partner_id = new_id();
    let (mentor, mentee, partner_name) = match role {
        Role::Mentor => (me, partner_id.as_str(), t(language, "demo.mentee")),
        _ => (partner_id.as_str(), me, t(language, "demo.mentor")),
    };
    let mut group = GroupDoc::new_pair("", "", mentor, mentee);
    let mut notes = NotesDoc::new(&group.group_id);
    let mut shared_notes = Vec::new();
    for topic in &DEFAULT_TOPICS {
        let timing = topic.timing;
        let (opens, closes) = guide::window(timing, &quarters).unwrap_or((today, today));
        let day = guide::ideal_window(timing, &quarters)
            .map(|(from, _)| from)
            .unwrap_or_else(|| opens + Days::new((closes - opens).num_days().max(0) as u64 / 2));
        // Meet on a Tuesday afternoon.
        let day = next_tuesday(day);
        let held = day < today;
        let id = new_id();
        group.meetings.insert(
            id.clone(),
            MeetingDoc {
                topic: Some(format!("topic-{}", topic.number)),
                date: Some(day.to_string()),
                time: Some("15:00".into()),
                duration_minutes: 60,
                place: t(language, "demo.place"),
                status: if held {
                    MeetingStatus::Held
                } else {
                    MeetingStatus::Planned
                },
                held_on: held.then(|| day.to_string()),
                asked_mentee: held,
                session: None,
            },
        );
        if held {
            let text = t(language, &format!("demo.notes.{}", topic.number));
            shared_notes.push((id.clone(), text));
        }
        if topic.number == 3 {
            notes.goals.insert(
                new_id(),
                GoalDoc {
                    owner: mentee.to_owned(),
                    kind: GoalKind::Goal,
                    text: autosurgeon::Text::with_value(t(language, "demo.goal")),
                    meeting: Some(id.clone()),
                    achieved: held,
                    evaluation: autosurgeon::Text::with_value(if held {
                        t(language, "demo.goal.evaluation")
                    } else {
                        String::new()
                    }),
                    created_on: opens.to_string(),
                },
            );
            notes.goals.insert(
                new_id(),
                GoalDoc {
                    owner: mentee.to_owned(),
                    kind: GoalKind::Question,
                    text: autosurgeon::Text::with_value(t(language, "demo.question")),
                    meeting: None,
                    achieved: false,
                    evaluation: autosurgeon::Text::with_value(""),
                    created_on: opens.to_string(),
                },
            );
        }
    }
    Demo {
        programme,
        group,
        notes,
        shared_notes,
        partner: (partner_id, partner_name),
    }
}

fn next_tuesday(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let ahead = (7 + 1 - day.weekday().num_days_from_monday()) % 7;
    day + Days::new(u64::from(ahead))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_has_five_meetings_held_before_today_and_planned_after() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let demo = demo(today, "me", Role::Mentee, Language::Nl);
        assert!(demo.programme.demo);
        assert_eq!(demo.group.meetings.len(), 5);
        for meeting in demo.group.meetings.values() {
            let day: NaiveDate = meeting.date.as_deref().unwrap().parse().unwrap();
            assert_eq!(meeting.status == MeetingStatus::Held, day < today);
        }
        let held = demo
            .group
            .meetings
            .values()
            .filter(|m| m.status == MeetingStatus::Held)
            .count();
        assert_eq!(demo.shared_notes.len(), held);
        assert!(held >= 2, "by late November the first meetings were held");
        assert_eq!(demo.group.members["me"].role, Role::Mentee);
        assert_eq!(demo.notes.goals.len(), 2);
    }
}
