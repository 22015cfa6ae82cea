//! The meeting guide: the toolbox's default five meetings of the mentee's first year, in Dutch and
//! English. A programme stores which default topic each of its topics is based on plus any text the
//! coordinator (or, when decentral, a mentor) changed; unchanged text is read from here in the
//! reader's language.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::{Language, MeetingStatus, Quarter};

/// When a topic is meant to be discussed: a range of quarters, and optionally the preferred weeks
/// of the first of them (week 1 is the quarter's first week).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    pub first_quarter: u8,
    pub last_quarter: u8,
    pub preferred_weeks: Option<(u8, u8)>,
}

/// One default topic of the guide, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicText {
    pub title: &'static str,
    /// What the mentor tells from her own experience.
    pub mentor_tells: &'static [&'static str],
    /// What the mentor then always asks the mentee about her own experience.
    pub ask_mentee: &'static [&'static str],
    /// Anything else the mentor does in this meeting.
    pub also: &'static [&'static str],
}

/// A default topic: a stable key, its number in the year, its timing, and its text per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultTopic {
    pub key: &'static str,
    pub number: u8,
    pub timing: Timing,
    pub nl: TopicText,
    pub en: TopicText,
}

impl DefaultTopic {
    pub fn text(&self, language: Language) -> &TopicText {
        match language {
            Language::Nl => &self.nl,
            Language::En => &self.en,
        }
    }
}

/// The toolbox's five meetings (seeds/000: "Voorbeeld opbouw peermentoring programma").
pub const DEFAULT_TOPICS: [DefaultTopic; 5] = [
    DefaultTopic {
        key: "culture",
        number: 1,
        timing: Timing {
            first_quarter: 1,
            last_quarter: 1,
            preferred_weeks: Some((3, 4)),
        },
        nl: TopicText {
            title: "Cultuur van de opleiding",
            mentor_tells: &[
                "De eerste weken op de opleiding: hoe de mentor ze zelf heeft ervaren.",
                "Wat kenmerkend is voor de cultuur van de ICT-opleiding.",
            ],
            ask_mentee: &["Hoe ervaar jij de eerste weken op de opleiding?"],
            also: &[],
        },
        en: TopicText {
            title: "Culture of the programme",
            mentor_tells: &[
                "The first weeks in the programme: how the mentor experienced them herself.",
                "What is typical of the culture of the ICT programme.",
            ],
            ask_mentee: &["How are you experiencing your first weeks in the programme?"],
            also: &[],
        },
    },
    DefaultTopic {
        key: "teachers_students",
        number: 2,
        timing: Timing {
            first_quarter: 1,
            last_quarter: 1,
            preferred_weeks: None,
        },
        nl: TopicText {
            title: "Docenten en medestudenten",
            mentor_tells: &[
                "Hoe de relatie is tussen docenten en studenten: hoe ga je met elkaar om?",
                "Hoe studenten met elkaar omgaan, binnen en buiten de opleiding.",
            ],
            ask_mentee: &["Wat zijn jouw ervaringen met docenten en medestudenten?"],
            also: &[],
        },
        en: TopicText {
            title: "Teachers and fellow students",
            mentor_tells: &[
                "How teachers and students relate: how do you treat each other?",
                "How students get along, inside and outside the programme.",
            ],
            ask_mentee: &["What are your experiences with teachers and fellow students?"],
            also: &[],
        },
    },
    DefaultTopic {
        key: "study",
        number: 3,
        timing: Timing {
            first_quarter: 2,
            last_quarter: 2,
            preferred_weeks: Some((1, 2)),
        },
        nl: TopicText {
            title: "Studie-ervaringen",
            mentor_tells: &[
                "Hoe de mentor in haar eerste jaar omging met verslagen en tentamens: planning, samenwerkingsopdrachten, onduidelijkheden.",
                "Welke vakken nuttig zijn als voorbereiding op een richting op de arbeidsmarkt.",
            ],
            ask_mentee: &["Hoe gaat het jou af met verslagen, tentamens en planning?"],
            also: &[
                "Bied aan om in het tweede kwartiel nog een keer af te spreken over de studie.",
            ],
        },
        en: TopicText {
            title: "Study experiences",
            mentor_tells: &[
                "How the mentor handled reports and exams in her first year: planning, group work, unclear assignments.",
                "Which courses prepare for which career direction.",
            ],
            ask_mentee: &["How are reports, exams and planning going for you?"],
            also: &["Offer one more meeting about studying in the second quarter."],
        },
    },
    DefaultTopic {
        key: "qualities",
        number: 4,
        timing: Timing {
            first_quarter: 3,
            last_quarter: 4,
            preferred_weeks: None,
        },
        nl: TopicText {
            title: "Persoonlijke eigenschappen",
            mentor_tells: &[
                "Welke vaardigheden de mentor vorig jaar in de studie heeft ontwikkeld.",
                "Hoe medestudenten dat merkten en hoe zij erop reageerden.",
            ],
            ask_mentee: &[
                "Wat zijn jouw sterke eigenschappen en ontwikkelpunten?",
                "Waarom zijn ze waardevol, en wie of wat kan je helpen ze verder te ontwikkelen?",
            ],
            also: &[],
        },
        en: TopicText {
            title: "Personal qualities",
            mentor_tells: &[
                "Which skills the mentor developed in her studies last year.",
                "How fellow students noticed and how they reacted.",
            ],
            ask_mentee: &[
                "What are your strengths and your points to develop?",
                "Why do they matter, and who or what could help you develop them further?",
            ],
            also: &[],
        },
    },
    DefaultTopic {
        key: "experiences",
        number: 5,
        timing: Timing {
            first_quarter: 3,
            last_quarter: 4,
            preferred_weeks: None,
        },
        nl: TopicText {
            title: "Ervaringen met medestudenten en docenten",
            mentor_tells: &[],
            ask_mentee: &[
                "Hoe is het contact tussen studenten, mannen en vrouwen?",
                "Hoe is jouw contact met docenten?",
            ],
            also: &[
                "Denk mee over de problemen waar de mentee tegenaan loopt.",
                "Sluit af: hoe heeft de mentee de mentoring ervaren, wat was fijn en minder fijn, welke onderwerpen waren (minder) nuttig?",
            ],
        },
        en: TopicText {
            title: "Experiences with students and teachers",
            mentor_tells: &[],
            ask_mentee: &[
                "How is the contact between students, men and women?",
                "How is your contact with teachers?",
            ],
            also: &[
                "Think along about the problems the mentee runs into.",
                "Close: how did the mentee experience the mentoring, what was good or less good, which topics were (less) useful?",
            ],
        },
    },
];

/// The default topic with this key, if any.
pub fn default_topic(key: &str) -> Option<&'static DefaultTopic> {
    DEFAULT_TOPICS.iter().find(|t| t.key == key)
}

/// The first and last day a topic is meant for: from the first day of its first quarter to the
/// last day of its last quarter. `None` if the timing names a quarter outside 1..=4.
pub fn window(timing: Timing, quarters: &[Quarter; 4]) -> Option<(NaiveDate, NaiveDate)> {
    let first = quarters.get(usize::from(timing.first_quarter).checked_sub(1)?)?;
    let last = quarters.get(usize::from(timing.last_quarter).checked_sub(1)?)?;
    Some((first.start, last.end))
}

/// The preferred weeks of a topic as dates (week 1 starts on the first day of its first quarter),
/// cut off at the end of that quarter.
pub fn ideal_window(timing: Timing, quarters: &[Quarter; 4]) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = timing.preferred_weeks?;
    let quarter = quarters.get(usize::from(timing.first_quarter).checked_sub(1)?)?;
    let start = quarter
        .start
        .checked_add_days(Days::new(7 * u64::from(from.max(1) - 1)))?;
    let end = quarter
        .start
        .checked_add_days(Days::new(7 * u64::from(to.max(from)) - 1))?
        .min(quarter.end);
    (start <= quarter.end).then_some((start, end))
}

/// Which quarter (1..=4) a day falls in, if any.
pub fn quarter_of(day: NaiveDate, quarters: &[Quarter; 4]) -> Option<u8> {
    quarters
        .iter()
        .position(|q| q.start <= day && day <= q.end)
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// What a pair has done about one topic of the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TopicProgress {
    /// The day a meeting on this topic was held.
    pub held_on: Option<NaiveDate>,
    /// A meeting on this topic is planned (with its date, if one is set).
    pub planned: Option<Option<NaiveDate>>,
}

/// Where a topic of the guide stands for a pair on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Due {
    /// A meeting on it was held.
    Done { on: Option<NaiveDate> },
    /// A meeting on it is planned; `late` if that is after the topic's window.
    Planned { on: Option<NaiveDate>, late: bool },
    /// Its window has not opened yet.
    NotYet { opens: NaiveDate },
    /// Its window is open and nothing is planned: this is due now.
    Open { closes: NaiveDate, ideal_now: bool },
    /// Its window has closed and no meeting on it was held or planned.
    Overdue { closed: NaiveDate },
}

/// The guide's rule for one topic: `today` against the topic's window and what the pair did.
/// Returns `None` when the programme's timing for the topic is not valid (a quarter outside 1..=4).
pub fn due(
    timing: Timing,
    quarters: &[Quarter; 4],
    today: NaiveDate,
    progress: TopicProgress,
) -> Option<Due> {
    let (opens, closes) = window(timing, quarters)?;
    if progress.held_on.is_some() {
        return Some(Due::Done {
            on: progress.held_on,
        });
    }
    if let Some(on) = progress.planned {
        let late = match on {
            Some(day) => day > closes,
            None => today > closes,
        };
        return Some(Due::Planned { on, late });
    }
    Some(if today < opens {
        Due::NotYet { opens }
    } else if today <= closes {
        let ideal_now =
            ideal_window(timing, quarters).is_some_and(|(a, b)| a <= today && today <= b);
        Due::Open { closes, ideal_now }
    } else {
        Due::Overdue { closed: closes }
    })
}

/// Whether a meeting on `date` with `status` gets its reminder on `today`: the day before it, while
/// it is still planned (a reminder is given once; the session remembers which were).
pub fn reminder_due(date: NaiveDate, status: MeetingStatus, today: NaiveDate) -> bool {
    status == MeetingStatus::Planned && today.checked_add_days(Days::new(1)) == Some(date)
}

/// The academic year a day belongs to, named by the calendar year it starts in (on 1 August).
pub fn academic_year_of(day: NaiveDate) -> i32 {
    if day.month() >= 8 {
        day.year()
    } else {
        day.year() - 1
    }
}

/// A common Dutch academic calendar for the year starting in `year`, used until the coordinator
/// sets the programme's own quarter dates: ten-week quarters from the first Monday of September,
/// with the Christmas break inside quarter 2 and the last quarter ending in early July.
pub fn default_quarters(year: i32) -> [Quarter; 4] {
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
    let first_monday = |y: i32, m: u32| {
        let first = day(y, m, 1);
        let offset = (7 - first.weekday().num_days_from_monday()) % 7;
        first + Days::new(u64::from(offset))
    };
    let q1 = first_monday(year, 9);
    let q2 = q1 + Days::new(70);
    let q3 = first_monday(year + 1, 2);
    let q4 = q3 + Days::new(70);
    [
        Quarter {
            start: q1,
            end: q2 - Days::new(1),
        },
        Quarter {
            start: q2,
            end: q3 - Days::new(1),
        },
        Quarter {
            start: q3,
            end: q4 - Days::new(1),
        },
        Quarter {
            start: q4,
            end: day(year + 1, 7, 10),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reminder_is_due_the_day_before_a_planned_meeting_only() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert!(reminder_due(day(12), MeetingStatus::Planned, day(11)));
        assert!(!reminder_due(day(12), MeetingStatus::Planned, day(12)));
        assert!(!reminder_due(day(13), MeetingStatus::Planned, day(11)));
        assert!(!reminder_due(day(12), MeetingStatus::Cancelled, day(11)));
        assert!(!reminder_due(day(12), MeetingStatus::Held, day(11)));
        let new_year = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert!(reminder_due(
            new_year,
            MeetingStatus::Planned,
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        ));
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Quarter dates that differ from the default calendar, as a school could set them.
    fn quarters() -> [Quarter; 4] {
        [
            ("2026-08-31", "2026-11-08"),
            ("2026-11-09", "2027-01-31"),
            ("2027-02-01", "2027-04-18"),
            ("2027-04-19", "2027-07-10"),
        ]
        .map(|(a, b)| Quarter {
            start: d(a),
            end: d(b),
        })
    }

    fn timing(number: u8) -> Timing {
        DEFAULT_TOPICS[usize::from(number) - 1].timing
    }

    fn due_on(number: u8, today: &str, progress: TopicProgress) -> Due {
        due(timing(number), &quarters(), d(today), progress).unwrap()
    }

    const NOTHING: TopicProgress = TopicProgress {
        held_on: None,
        planned: None,
    };

    #[test]
    fn meeting_one_opens_on_the_first_day_of_quarter_one_and_is_overdue_the_day_after_it_ends() {
        assert_eq!(
            due_on(1, "2026-08-30", NOTHING),
            Due::NotYet {
                opens: d("2026-08-31")
            }
        );
        assert_eq!(
            due_on(1, "2026-08-31", NOTHING),
            Due::Open {
                closes: d("2026-11-08"),
                ideal_now: false
            }
        );
        assert_eq!(
            due_on(1, "2026-11-08", NOTHING),
            Due::Open {
                closes: d("2026-11-08"),
                ideal_now: false
            }
        );
        assert_eq!(
            due_on(1, "2026-11-09", NOTHING),
            Due::Overdue {
                closed: d("2026-11-08")
            }
        );
    }

    #[test]
    fn meeting_one_is_ideally_in_weeks_three_and_four_of_quarter_one() {
        assert_eq!(
            ideal_window(timing(1), &quarters()),
            Some((d("2026-09-14"), d("2026-09-27")))
        );
        assert_eq!(
            due_on(1, "2026-09-13", NOTHING),
            Due::Open {
                closes: d("2026-11-08"),
                ideal_now: false
            }
        );
        assert_eq!(
            due_on(1, "2026-09-14", NOTHING),
            Due::Open {
                closes: d("2026-11-08"),
                ideal_now: true
            }
        );
        assert_eq!(
            due_on(1, "2026-09-27", NOTHING),
            Due::Open {
                closes: d("2026-11-08"),
                ideal_now: true
            }
        );
        assert_eq!(
            due_on(1, "2026-09-28", NOTHING),
            Due::Open {
                closes: d("2026-11-08"),
                ideal_now: false
            }
        );
    }

    #[test]
    fn meetings_four_and_five_span_quarters_three_and_four() {
        assert_eq!(
            due_on(4, "2027-01-31", NOTHING),
            Due::NotYet {
                opens: d("2027-02-01")
            }
        );
        assert!(matches!(due_on(5, "2027-04-18", NOTHING), Due::Open { .. }));
        assert!(matches!(due_on(5, "2027-04-19", NOTHING), Due::Open { .. }));
        assert_eq!(
            due_on(5, "2027-07-11", NOTHING),
            Due::Overdue {
                closed: d("2027-07-10")
            }
        );
    }

    #[test]
    fn moving_the_quarter_dates_moves_the_deadlines() {
        let mut q = quarters();
        q[1].end = d("2027-02-07");
        q[2].start = d("2027-02-08");
        let today = d("2027-02-03");
        assert!(matches!(
            due(timing(3), &q, today, NOTHING),
            Some(Due::Open { .. })
        ));
        assert!(matches!(
            due(timing(3), &quarters(), today, NOTHING),
            Some(Due::Overdue { .. })
        ));
    }

    #[test]
    fn held_and_planned_meetings_are_never_overdue_but_late_plans_are_marked() {
        let held = TopicProgress {
            held_on: Some(d("2026-12-01")),
            planned: None,
        };
        assert_eq!(
            due_on(1, "2027-03-01", held),
            Due::Done {
                on: Some(d("2026-12-01"))
            }
        );
        let in_time = TopicProgress {
            held_on: None,
            planned: Some(Some(d("2026-11-08"))),
        };
        assert_eq!(
            due_on(1, "2026-10-01", in_time),
            Due::Planned {
                on: Some(d("2026-11-08")),
                late: false
            }
        );
        let late = TopicProgress {
            held_on: None,
            planned: Some(Some(d("2026-11-09"))),
        };
        assert_eq!(
            due_on(1, "2026-10-01", late),
            Due::Planned {
                on: Some(d("2026-11-09")),
                late: true
            }
        );
        let no_date = TopicProgress {
            held_on: None,
            planned: Some(None),
        };
        assert_eq!(
            due_on(1, "2026-11-09", no_date),
            Due::Planned {
                on: None,
                late: true
            }
        );
    }

    #[test]
    fn a_timing_outside_the_four_quarters_is_not_a_panic() {
        let bad = Timing {
            first_quarter: 0,
            last_quarter: 5,
            preferred_weeks: Some((9, 3)),
        };
        assert_eq!(due(bad, &quarters(), d("2026-10-01"), NOTHING), None);
        assert_eq!(ideal_window(bad, &quarters()), None);
    }

    #[test]
    fn the_default_calendar_has_four_consecutive_quarters() {
        let q = default_quarters(2026);
        assert_eq!(q[0].start, d("2026-09-07"));
        for pair in q.windows(2) {
            assert_eq!(pair[0].end.succ_opt(), Some(pair[1].start));
        }
        assert_eq!(quarter_of(d("2026-11-23"), &q), Some(2));
        assert_eq!(quarter_of(d("2026-08-01"), &q), None);
        assert_eq!(academic_year_of(d("2026-11-23")), 2026);
        assert_eq!(academic_year_of(d("2027-03-01")), 2026);
    }

    #[test]
    fn the_default_guide_has_five_numbered_meetings_in_year_order() {
        let numbers: Vec<u8> = DEFAULT_TOPICS.iter().map(|t| t.number).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4, 5]);
        for pair in DEFAULT_TOPICS.windows(2) {
            assert!(pair[0].timing.first_quarter <= pair[1].timing.first_quarter);
        }
    }

    #[test]
    fn every_default_topic_asks_the_mentee_about_her_own_experience() {
        for topic in &DEFAULT_TOPICS {
            assert!(!topic.nl.ask_mentee.is_empty(), "{}", topic.key);
            assert_eq!(topic.nl.ask_mentee.len(), topic.en.ask_mentee.len());
            assert_eq!(topic.nl.mentor_tells.len(), topic.en.mentor_tells.len());
            assert_eq!(topic.nl.also.len(), topic.en.also.len());
        }
    }
}
