//! The screens' content, computed from the documents: plain functions from hydrated documents, the
//! reader, today and a language to the view values in [`pm_domain::api`]. Here live the rules the
//! screens show: which meeting is next, what is due or overdue, which guide text applies.

use chrono::{NaiveDate, NaiveTime};

use crate::docs::{Conflict, GroupDoc, MeetingDoc, NotesDoc, ProgrammeDoc, TopicDoc};
use pm_domain::api::{
    Attention, FieldConflict, GoalItem, GroupHome, MeetingCard, MeetingPage, PastNotes,
    SessionCard, TextValue, TopicStatus,
};
use pm_domain::circle::Facilitator;
use pm_domain::guide::{self, Due, Timing, TopicProgress};
use pm_domain::i18n::{format_date, t, tf};
use pm_domain::model::{Formality, Language, MeetingStatus, Quarter, Role, Structure};

/// Who is called what: the names the server's directory gave (names are kept there, never in a
/// document, so erasing a person erases her name), and on this device her own and the demo's.
/// Someone it does not know has left the programme, and is shown so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    known: std::collections::BTreeMap<String, String>,
    left: String,
}

impl Names {
    pub fn new(known: impl IntoIterator<Item = (String, String)>, language: Language) -> Names {
        Names {
            known: known.into_iter().collect(),
            left: t(language, "person.left"),
        }
    }

    /// Her name, or "left the programme".
    pub fn of(&self, person: &str) -> String {
        self.known
            .get(person)
            .cloned()
            .unwrap_or_else(|| self.left.clone())
    }

    /// Every person known, by id.
    pub fn known(&self) -> &std::collections::BTreeMap<String, String> {
        &self.known
    }
}

/// The programme's quarters; if its dates are unreadable, the default calendar of the academic
/// year `today` is in.
pub fn quarters(programme: &ProgrammeDoc, today: NaiveDate) -> [Quarter; 4] {
    let parsed: Option<Vec<Quarter>> = (1..=4)
        .map(|n| {
            let q = programme.quarters.get(&n.to_string())?;
            Some(Quarter {
                start: q.start.parse().ok()?,
                end: q.end.parse().ok()?,
            })
        })
        .collect();
    match parsed.and_then(|v| <[Quarter; 4]>::try_from(v).ok()) {
        Some(q) => q,
        None => guide::default_quarters(guide::academic_year_of(today)),
    }
}

/// A topic's text in `language`: the programme's own wording where it has one, else the guide's.
pub struct TopicText {
    pub title: String,
    pub tells: Vec<String>,
    pub ask: Vec<String>,
    pub also: Vec<String>,
}

pub fn topic_text(topic: &TopicDoc, language: Language) -> TopicText {
    let default = guide::default_topic(&topic.default_key).map(|d| d.text(language));
    let pick = |own: &Vec<String>, default: Option<&[&str]>| {
        if own.is_empty() {
            default
                .unwrap_or_default()
                .iter()
                .map(|s| (*s).to_owned())
                .collect()
        } else {
            own.clone()
        }
    };
    TopicText {
        title: if topic.title.is_empty() {
            default
                .map(|d| d.title.to_owned())
                .unwrap_or_else(|| t(language, "topic.untitled"))
        } else {
            topic.title.clone()
        },
        tells: pick(&topic.mentor_tells, default.map(|d| d.mentor_tells)),
        ask: pick(&topic.ask_mentee, default.map(|d| d.ask_mentee)),
        also: pick(&topic.also, default.map(|d| d.also)),
    }
}

fn timing(topic: &TopicDoc) -> Timing {
    let small = |n: u64| u8::try_from(n).unwrap_or(u8::MAX);
    Timing {
        first_quarter: small(topic.first_quarter),
        last_quarter: small(topic.last_quarter),
        preferred_weeks: topic.preferred_weeks.map(|w| (small(w.from), small(w.to))),
    }
}

/// "Kwartiel 1, liefst week 3-4" / "Kwartielen 3 en 4".
pub fn timing_label(topic: &TopicDoc, language: Language) -> String {
    let timing = timing(topic);
    let quarters = if timing.first_quarter == timing.last_quarter {
        tf(
            language,
            "timing.quarter",
            &[("q", &timing.first_quarter.to_string())],
        )
    } else {
        tf(
            language,
            "timing.quarters",
            &[
                ("a", &timing.first_quarter.to_string()),
                ("b", &timing.last_quarter.to_string()),
            ],
        )
    };
    match timing.preferred_weeks {
        Some((a, b)) => tf(
            language,
            "timing.weeks",
            &[
                ("quarters", &quarters),
                ("a", &a.to_string()),
                ("b", &b.to_string()),
            ],
        ),
        None => quarters,
    }
}

/// The programme's guide topics in meeting order.
pub fn ordered_topics(programme: &ProgrammeDoc) -> Vec<(&String, &TopicDoc)> {
    let mut topics: Vec<_> = programme.guide.iter().collect();
    topics.sort_by_key(|(id, t)| (t.number, (*id).clone()));
    topics
}

fn parse_date(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(|d| d.parse().ok())
}

fn parse_time(s: &Option<String>) -> Option<NaiveTime> {
    s.as_deref()
        .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
}

/// A meeting, ready to show.
pub fn meeting_card(
    programme: &ProgrammeDoc,
    id: &str,
    meeting: &MeetingDoc,
    quarters: &[Quarter; 4],
    language: Language,
) -> MeetingCard {
    let topic = meeting.topic.as_ref().and_then(|t| programme.guide.get(t));
    let text = topic.map(|t| topic_text(t, language));
    let date = parse_date(&meeting.date);
    let when = match (date, &meeting.time) {
        (Some(d), Some(time)) => format!("{}, {time}", format_date(language, d)),
        (Some(d), None) => format_date(language, d),
        (None, _) => meeting.date.clone().unwrap_or_default(),
    };
    MeetingCard {
        id: id.to_owned(),
        number: topic.and_then(|t| u8::try_from(t.number).ok()),
        topic: meeting.topic.clone(),
        title: text
            .as_ref()
            .map(|t| t.title.clone())
            .unwrap_or_else(|| t(language, "meeting.extra")),
        date: meeting.date.clone(),
        time: meeting.time.clone(),
        when,
        place: meeting.place.clone(),
        status: meeting.status,
        held_on: meeting.held_on.clone(),
        quarter: date.and_then(|d| guide::quarter_of(d, quarters)),
        mentor_tells: text.map(|t| t.tells).unwrap_or_default(),
    }
}

/// Meetings in the order they happen: dated ones by date and time, then undated by topic number.
pub fn meetings_in_order(group: &GroupDoc) -> Vec<(&String, &MeetingDoc)> {
    let mut meetings: Vec<_> = group.meetings.iter().collect();
    meetings.sort_by_key(|(id, m)| {
        (
            parse_date(&m.date).is_none(),
            parse_date(&m.date),
            parse_time(&m.time),
            m.topic.clone(),
            (*id).clone(),
        )
    });
    meetings
}

/// The next meeting: the first planned one that is not in the past.
pub fn next_meeting(group: &GroupDoc, today: NaiveDate) -> Option<(&String, &MeetingDoc)> {
    meetings_in_order(group).into_iter().find(|(_, m)| {
        m.status == MeetingStatus::Planned && parse_date(&m.date).is_none_or(|d| d >= today)
    })
}

/// The first guide topic with no meeting held or planned on it.
pub fn next_topic(programme: &ProgrammeDoc, group: &GroupDoc) -> Option<String> {
    ordered_topics(programme)
        .into_iter()
        .find(|(id, _)| {
            !group
                .meetings
                .values()
                .any(|m| m.topic.as_ref() == Some(*id) && m.status != MeetingStatus::Cancelled)
        })
        .map(|(id, _)| id.clone())
}

/// Where the pair stands on each guide topic, with a label and how much it asks for attention.
pub fn topic_statuses(
    programme: &ProgrammeDoc,
    group: &GroupDoc,
    today: NaiveDate,
    language: Language,
) -> Vec<TopicStatus> {
    let quarters = quarters(programme, today);
    let formal = programme.settings.formality == Formality::Formal;
    ordered_topics(programme)
        .into_iter()
        .map(|(id, topic)| {
            let on_topic = || {
                group
                    .meetings
                    .values()
                    .filter(|m| m.topic.as_ref() == Some(id))
            };
            let progress = TopicProgress {
                held_on: on_topic()
                    .filter(|m| m.status == MeetingStatus::Held)
                    .map(|m| parse_date(&m.held_on).or(parse_date(&m.date)))
                    .next()
                    .map(|d| d.unwrap_or(today)),
                planned: on_topic()
                    .find(|m| m.status == MeetingStatus::Planned)
                    .map(|m| parse_date(&m.date)),
            };
            let date = |d: NaiveDate| format_date(language, d);
            let (state, attention) = match guide::due(timing(topic), &quarters, today, progress) {
                Some(Due::Done { on }) => (
                    tf(
                        language,
                        "due.done",
                        &[("date", &on.map(date).unwrap_or_default())],
                    ),
                    Attention::None,
                ),
                Some(Due::Planned { on: Some(on), late }) => (
                    tf(
                        language,
                        if late {
                            "due.planned_late"
                        } else {
                            "due.planned"
                        },
                        &[("date", &date(on))],
                    ),
                    if late {
                        Attention::Late
                    } else {
                        Attention::Planned
                    },
                ),
                Some(Due::Planned { on: None, late }) => (
                    t(language, "due.planned_undated"),
                    if late {
                        Attention::Late
                    } else {
                        Attention::Planned
                    },
                ),
                Some(Due::NotYet { opens }) => (
                    tf(language, "due.not_yet", &[("date", &date(opens))]),
                    Attention::None,
                ),
                Some(Due::Open { closes, ideal_now }) => (
                    tf(
                        language,
                        if ideal_now {
                            "due.open_ideal"
                        } else {
                            "due.open"
                        },
                        &[("date", &date(closes))],
                    ),
                    Attention::Due,
                ),
                Some(Due::Overdue { closed }) if formal => (
                    tf(language, "due.overdue", &[("date", &date(closed))]),
                    Attention::Overdue,
                ),
                Some(Due::Overdue { closed }) => (
                    tf(
                        language,
                        "due.suggestion_passed",
                        &[("date", &date(closed))],
                    ),
                    Attention::Late,
                ),
                None => (t(language, "due.bad_timing"), Attention::None),
            };
            TopicStatus {
                topic: id.clone(),
                number: u8::try_from(topic.number).unwrap_or(u8::MAX),
                title: topic_text(topic, language).title,
                timing: timing_label(topic, language),
                first_quarter: timing(topic).first_quarter,
                last_quarter: timing(topic).last_quarter,
                state,
                attention,
            }
        })
        .collect()
}

/// The name(s) of the other member(s) of a group, seen from `me`.
pub fn partner_names(group: &GroupDoc, me: &str, names: &Names) -> String {
    let partners: Vec<String> = group
        .members
        .keys()
        .filter(|id| id.as_str() != me)
        .map(|id| names.of(id))
        .collect();
    partners.join(", ")
}

/// The goals of a pair, as the reader sees them: by the day they were set, then by their text
/// (not by their random ids, so the order is one a person can follow).
pub fn goal_items(group: &GroupDoc, notes: &NotesDoc, me: &str, names: &Names) -> Vec<GoalItem> {
    let mut goals: Vec<_> = notes.goals.iter().collect();
    goals.sort_by_key(|(id, g)| {
        (
            g.created_on.clone(),
            g.text.as_str().to_owned(),
            (*id).clone(),
        )
    });
    goals
        .into_iter()
        .map(|(id, goal)| GoalItem {
            id: id.clone(),
            kind: goal.kind,
            owner: if group.members.contains_key(&goal.owner) {
                names.of(&goal.owner)
            } else {
                String::new()
            },
            mine: goal.owner == me,
            text: goal.text.as_str().to_owned(),
            meeting: goal.meeting.clone(),
            achieved: goal.achieved,
            evaluation: goal.evaluation.as_str().to_owned(),
        })
        .collect()
}

/// What the home screen shows about one pair.
pub struct GroupHomeInput<'a> {
    pub group_id: &'a str,
    pub programme: &'a ProgrammeDoc,
    pub group: &'a GroupDoc,
    pub notes: &'a NotesDoc,
    pub me: &'a str,
    pub names: &'a Names,
    pub reflections: TextValue,
    /// Shared notes per held meeting id.
    pub shared_notes: Vec<(String, String)>,
}

pub fn group_home(input: GroupHomeInput<'_>, today: NaiveDate, language: Language) -> GroupHome {
    let GroupHomeInput {
        group_id,
        programme,
        group,
        notes,
        me,
        names,
        reflections,
        shared_notes,
    } = input;
    let quarters = quarters(programme, today);
    let card = |id: &str, m: &MeetingDoc| meeting_card(programme, id, m, &quarters, language);
    let topics = topic_statuses(programme, group, today, language);
    let quarter_now = guide::quarter_of(today, &quarters);
    let mut past_notes: Vec<PastNotes> = meetings_in_order(group)
        .into_iter()
        .filter(|(_, m)| m.status == MeetingStatus::Held)
        .map(|(id, m)| PastNotes {
            meeting: card(id, m),
            text: shared_notes
                .iter()
                .find(|(mid, _)| mid == id)
                .map(|(_, text)| text.clone())
                .unwrap_or_default(),
        })
        .collect();
    past_notes.reverse();
    GroupHome {
        group: group_id.to_owned(),
        programme: programme.name.clone(),
        school: programme.school.clone(),
        demo: programme.demo,
        my_role: group
            .members
            .get(me)
            .map(|m| m.role)
            .unwrap_or(Role::Mentee),
        partner: partner_names(group, me, names),
        structured: programme.settings.structure == Structure::Structured,
        formal: programme.settings.formality == Formality::Formal,
        next_meeting: next_meeting(group, today).map(|(id, m)| card(id, m)),
        meetings: meetings_in_order(group)
            .into_iter()
            .map(|(id, m)| card(id, m))
            .collect(),
        attention: topics
            .iter()
            .filter(|t| {
                matches!(
                    t.attention,
                    Attention::Due | Attention::Late | Attention::Overdue
                ) || quarter_now.is_some_and(|q| t.first_quarter <= q && q <= t.last_quarter)
            })
            .cloned()
            .collect(),
        topics,
        goals: goal_items(group, notes, me, names),
        reflections,
        past_notes,
        quarter_now,
    }
}

/// What the meeting screen shows.
pub struct MeetingPageInput<'a> {
    pub group_id: &'a str,
    pub programme: &'a ProgrammeDoc,
    pub group: &'a GroupDoc,
    pub notes: &'a NotesDoc,
    pub me: &'a str,
    pub names: &'a Names,
    pub meeting_id: &'a str,
    pub shared_notes: TextValue,
    pub private_notes: TextValue,
    pub conflicts: Vec<Conflict>,
}

/// The meeting screen, or `None` if the meeting is not in the group.
pub fn meeting_page(
    input: MeetingPageInput<'_>,
    today: NaiveDate,
    language: Language,
) -> Option<MeetingPage> {
    let MeetingPageInput {
        group_id,
        programme,
        group,
        notes,
        me,
        names,
        meeting_id,
        shared_notes,
        private_notes,
        conflicts,
    } = input;
    let meeting = group.meetings.get(meeting_id)?;
    let quarters = quarters(programme, today);
    let text = meeting
        .topic
        .as_ref()
        .and_then(|t| programme.guide.get(t))
        .map(|t| topic_text(t, language));
    let position = meetings_in_order(group)
        .iter()
        .position(|(id, _)| id.as_str() == meeting_id)?;
    let next = meetings_in_order(group)
        .into_iter()
        .skip(position + 1)
        .find(|(_, m)| m.status == MeetingStatus::Planned)
        .map(|(id, m)| meeting_card(programme, id, m, &quarters, language));
    let goals = goal_items(group, notes, me, names)
        .into_iter()
        .filter(|g| g.meeting.as_deref() == Some(meeting_id) || !g.achieved)
        .collect();
    let next_topic = next_topic(programme, group)
        .and_then(|id| programme.guide.get(&id))
        .map(|t| topic_text(t, language).title);
    Some(MeetingPage {
        group: group_id.to_owned(),
        demo: programme.demo,
        my_role: group
            .members
            .get(me)
            .map(|m| m.role)
            .unwrap_or(Role::Mentee),
        partner: partner_names(group, me, names),
        structured: programme.settings.structure == Structure::Structured,
        meeting: meeting_card(programme, meeting_id, meeting, &quarters, language),
        tells: text.as_ref().map(|t| t.tells.clone()).unwrap_or_default(),
        ask: text
            .as_ref()
            .map(|t| t.ask.clone())
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| vec![t(language, "meeting.ask_default")]),
        also: text.map(|t| t.also).unwrap_or_default(),
        asked_mentee: meeting.asked_mentee,
        shared_notes,
        private_notes,
        goals,
        conflicts: conflicts
            .into_iter()
            .map(|c| FieldConflict {
                field: c.field.to_owned(),
                shown: c.shown,
                others: c.others,
            })
            .collect(),
        next,
        next_topic,
    })
}

// -- Mentoring Circles ------------------------------------------------------------------------

/// A circle's sessions, not cancelled, in the order they happen.
pub fn circle_sessions(group: &GroupDoc) -> Vec<(&String, &MeetingDoc)> {
    meetings_in_order(group)
        .into_iter()
        .filter(|(_, m)| m.status != MeetingStatus::Cancelled)
        .collect()
}

/// A circle's members of one role.
pub fn circle_members_of(group: &GroupDoc, role: Role) -> Vec<&String> {
    group
        .members
        .iter()
        .filter(|(_, m)| m.role == role)
        .map(|(id, _)| id)
        .collect()
}

/// The circle's sessions as cards, for `reader` (her own attendance is shown to students).
pub fn session_cards(
    group: &GroupDoc,
    reader: &str,
    names: &Names,
    language: Language,
) -> Vec<SessionCard> {
    let Some(circle) = &group.circle else {
        return Vec::new();
    };
    let students = circle_members_of(group, Role::Student);
    let teacher = names.of(&circle.teacher);
    circle_sessions(group)
        .into_iter()
        .enumerate()
        .map(|(index, (id, m))| {
            let session = m.session.as_ref();
            let facilitator = session.map_or(pm_domain::circle::default_facilitator(index), |s| {
                s.facilitator
            });
            let leads = match facilitator {
                Facilitator::Organisation => tf(
                    language,
                    "facilitator.organisation",
                    &[("organisation", &circle.organisation)],
                ),
                Facilitator::Teacher => {
                    tf(language, "facilitator.teacher", &[("teacher", &teacher)])
                }
            };
            let mut place = match session.and_then(|s| s.host.as_ref()) {
                Some(host) => tf(language, "circle.at_company", &[("name", &names.of(host))]),
                None => tf(
                    language,
                    "circle.at_school",
                    &[("reason", session.map_or("", |s| s.school_reason.as_str()))],
                ),
            };
            if !m.place.is_empty() {
                place = format!("{place}, {}", m.place);
            }
            let attendance = session.map(|s| &s.attendance);
            let taken = attendance.is_some_and(|a| !a.is_empty());
            let present = students
                .iter()
                .filter(|p| attendance.and_then(|a| a.get(**p)) == Some(&true))
                .count();
            let is_student = students.iter().any(|p| p.as_str() == reader);
            SessionCard {
                meeting: id.clone(),
                number: index + 1,
                date: m.date.clone().unwrap_or_default(),
                date_label: parse_date(&m.date)
                    .map(|d| format_date(language, d))
                    .unwrap_or_default(),
                time: m.time.clone().unwrap_or_default(),
                minutes: m.duration_minutes,
                place,
                leads,
                present: teacher.clone(),
                status: m.status,
                attendance: if taken {
                    tf(
                        language,
                        "circle.attendance_count",
                        &[
                            ("present", &present.to_string()),
                            ("total", &students.len().to_string()),
                        ],
                    )
                } else {
                    String::new()
                },
                i_attended: (is_student && taken)
                    .then(|| attendance.and_then(|a| a.get(reader)) == Some(&true)),
                exception: session
                    .map(|s| s.override_reason.trim())
                    .filter(|r| !r.is_empty())
                    .map(|r| tf(language, "circle.override", &[("reason", r)]))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// One student's record of the circle's sessions, for the certificate rule.
pub fn attended(group: &GroupDoc, student: &str) -> Vec<pm_domain::circle::Attended> {
    circle_sessions(group)
        .into_iter()
        .filter_map(|(_, m)| {
            Some(pm_domain::circle::Attended {
                date: parse_date(&m.date)?,
                held: m.status == MeetingStatus::Held,
                present: m
                    .session
                    .as_ref()
                    .and_then(|s| s.attendance.get(student))
                    .copied()
                    .unwrap_or(false),
            })
        })
        .collect()
}

/// The circle's size warnings, in words.
pub fn circle_warnings(group: &GroupDoc, language: Language) -> Vec<String> {
    pm_domain::circle::composition_warnings(
        circle_members_of(group, Role::Student).len(),
        circle_members_of(group, Role::Professional).len(),
    )
    .into_iter()
    .map(|w| pm_domain::circle::warning_text(w, language))
    .collect()
}

/// The agenda every circle session follows: the toolbox's four themes, each with a question.
pub fn circle_agenda(language: Language) -> Vec<(String, String)> {
    ["challenges", "obstacles", "ambitions", "jobs"]
        .into_iter()
        .map(|theme| {
            (
                t(language, &format!("circle.theme.{theme}")),
                t(language, &format!("circle.theme.{theme}.ask")),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{GroupDoc, MeetingDoc, ProgrammeDoc};
    use pm_domain::model::Settings;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn programme(formality: Formality) -> ProgrammeDoc {
        let q = guide::default_quarters(2026).map(|q| (q.start.to_string(), q.end.to_string()));
        let settings = Settings {
            formality,
            ..Settings::default()
        };
        ProgrammeDoc::new("ICT", "School", "2026-2027", settings, &q)
    }

    fn pair() -> GroupDoc {
        GroupDoc::new_pair("p", "n", "me", "you")
    }

    fn names() -> Names {
        Names::new(
            [
                ("me".into(), "Sanne".into()),
                ("you".into(), "Aylin".into()),
            ],
            Language::Nl,
        )
    }

    fn meeting(topic: &str, date: &str, status: MeetingStatus) -> MeetingDoc {
        MeetingDoc {
            date: Some(date.into()),
            time: Some("14:30".into()),
            status,
            held_on: (status == MeetingStatus::Held).then(|| date.into()),
            ..MeetingDoc::planned(Some(topic.into()))
        }
    }

    #[test]
    fn topics_due_overdue_and_planned_are_marked_for_the_mentor() {
        let programme = programme(Formality::Formal);
        let mut group = pair();
        group.meetings.insert(
            "a".into(),
            meeting("topic-1", "2026-09-22", MeetingStatus::Held),
        );
        group.meetings.insert(
            "b".into(),
            meeting("topic-3", "2027-03-01", MeetingStatus::Planned),
        );
        // 23 November 2026: quarter 2 of the default calendar.
        let statuses = topic_statuses(&programme, &group, d("2026-11-23"), Language::Nl);
        let attention: Vec<(u8, Attention)> =
            statuses.iter().map(|s| (s.number, s.attention)).collect();
        assert_eq!(
            attention,
            vec![
                (1, Attention::None),
                (2, Attention::Overdue),
                (3, Attention::Late),
                (4, Attention::None),
                (5, Attention::None),
            ]
        );
        assert_eq!(statuses[0].timing, "Kwartiel 1, liefst week 3-4");
        assert!(
            statuses[1].state.starts_with("Te laat"),
            "{}",
            statuses[1].state
        );
    }

    #[test]
    fn the_mentor_sees_this_quarters_topics_and_everything_overdue() {
        let programme = programme(Formality::Formal);
        let mut group = pair();
        group.meetings.insert(
            "a".into(),
            meeting("topic-1", "2026-09-22", MeetingStatus::Held),
        );
        group.meetings.insert(
            "b".into(),
            meeting("topic-3", "2026-11-17", MeetingStatus::Held),
        );
        let notes = NotesDoc::new("g");
        let home = group_home(
            GroupHomeInput {
                group_id: "g",
                programme: &programme,
                group: &group,
                notes: &notes,
                me: "me",
                names: &names(),
                reflections: TextValue::default(),
                shared_notes: vec![("b".into(), "notes of b".into())],
            },
            d("2026-11-23"),
            Language::Nl,
        );
        let numbers: Vec<u8> = home.attention.iter().map(|t| t.number).collect();
        assert_eq!(numbers, vec![2, 3], "2 is overdue, 3 belongs to quarter 2");
        assert_eq!(home.quarter_now, Some(2));
        assert_eq!(home.my_role, Role::Mentor);
        assert_eq!(home.partner, "Aylin");
        let after_erasure = Names::new([("me".into(), "Sanne".into())], Language::En);
        let erased = group_home(
            GroupHomeInput {
                group_id: "g",
                programme: &programme,
                group: &group,
                notes: &notes,
                me: "me",
                names: &after_erasure,
                reflections: TextValue::default(),
                shared_notes: Vec::new(),
            },
            d("2026-11-23"),
            Language::En,
        );
        assert_eq!(
            erased.partner, "Left the programme",
            "a name the directory no longer has"
        );
        assert_eq!(home.past_notes[0].text, "notes of b", "newest first");
        assert!(home.next_meeting.is_none());
    }

    #[test]
    fn informal_programmes_suggest_rather_than_call_overdue() {
        let statuses = topic_statuses(
            &programme(Formality::Informal),
            &pair(),
            d("2026-11-23"),
            Language::En,
        );
        assert_eq!(statuses[1].attention, Attention::Late);
        assert!(
            !statuses[1].state.contains("Overdue"),
            "{}",
            statuses[1].state
        );
    }

    #[test]
    fn the_next_meeting_is_the_first_planned_one_from_today_and_the_next_topic_follows_the_guide() {
        let programme = programme(Formality::Formal);
        let mut group = pair();
        group.meetings.insert(
            "old".into(),
            meeting("topic-1", "2026-09-22", MeetingStatus::Held),
        );
        group.meetings.insert(
            "later".into(),
            meeting("topic-3", "2026-12-10", MeetingStatus::Planned),
        );
        group.meetings.insert(
            "soon".into(),
            meeting("topic-2", "2026-11-30", MeetingStatus::Planned),
        );
        let (id, _) = next_meeting(&group, d("2026-11-23")).unwrap();
        assert_eq!(id, "soon");
        assert_eq!(next_topic(&programme, &group).as_deref(), Some("topic-4"));
        let card = meeting_card(
            &programme,
            "soon",
            &group.meetings["soon"],
            &quarters(&programme, d("2026-11-23")),
            Language::Nl,
        );
        assert_eq!(card.when, "ma 30 november 2026, 14:30");
        assert_eq!(card.quarter, Some(2));
        assert_eq!(card.title, "Docenten en medestudenten");
    }

    #[test]
    fn unreadable_quarter_dates_fall_back_to_the_default_calendar() {
        let mut p = programme(Formality::Formal);
        p.quarters.get_mut("2").unwrap().start = "twee".into();
        assert_eq!(quarters(&p, d("2026-11-23")), guide::default_quarters(2026));
    }
}
