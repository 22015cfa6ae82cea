//! What the coordinator sees: each pair's progress and the evaluation results, as plain
//! functions of the documents she may have (progress, profiles, evaluations), never notes.

use chrono::NaiveDate;

use crate::docs::{EvaluationDoc, GroupDoc, ProgrammeDoc};
use crate::views::{self, Names};
use pm_domain::api::{EvaluationAnswer, EvaluationSummary, PairRow, TopicRating};
use pm_domain::i18n::{format_date, t};
use pm_domain::model::{Language, MeetingStatus, Role};

/// A pair as the coordinator's roster and the server know it.
pub struct PairSeen<'a> {
    pub group_id: &'a str,
    pub group: &'a GroupDoc,
    pub formed_on: &'a str,
    /// When one of its members' devices last talked to the server.
    pub last_sync: Option<String>,
}

/// One pair's row on the dashboard.
pub fn pair_row(
    programme: &ProgrammeDoc,
    pair: PairSeen<'_>,
    names: &Names,
    today: NaiveDate,
    language: Language,
) -> PairRow {
    let PairSeen {
        group_id,
        group,
        formed_on,
        last_sync,
    } = pair;
    let name_of = |role: Role| {
        group
            .members
            .iter()
            .filter(|(_, m)| m.role == role)
            .map(|(person, _)| names.of(person))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let quarters = views::quarters(programme, today);
    let cards: Vec<_> = views::meetings_in_order(group)
        .into_iter()
        .map(|(id, m)| views::meeting_card(programme, id, m, &quarters, language))
        .collect();
    let held = cards
        .iter()
        .filter(|c| c.status == MeetingStatus::Held)
        .map(|c| {
            let on = c
                .held_on
                .as_deref()
                .and_then(|d| d.parse().ok())
                .map(|d| format_date(language, d))
                .unwrap_or_default();
            match c.number {
                Some(n) => format!("{n}. {} ({on})", c.title),
                None => format!("{} ({on})", c.title),
            }
        })
        .collect();
    let next = views::next_meeting(group, today)
        .map(|(id, m)| views::meeting_card(programme, id, m, &quarters, language))
        .map(|c| format!("{} · {}", c.title, c.when));
    let quarter_now = pm_domain::guide::quarter_of(today, &quarters);
    let attention = views::topic_statuses(programme, group, today, language)
        .into_iter()
        .filter(|s| {
            matches!(
                s.attention,
                pm_domain::api::Attention::Due
                    | pm_domain::api::Attention::Late
                    | pm_domain::api::Attention::Overdue
            ) && quarter_now.is_none_or(|q| s.first_quarter <= q)
        })
        .collect();
    PairRow {
        group: group_id.to_owned(),
        mentor: name_of(Role::Mentor),
        mentee: name_of(Role::Mentee),
        formed_on: formed_on.to_owned(),
        held,
        next,
        attention,
        no_meeting_yet: group.meetings.is_empty(),
        last_sync,
    }
}

/// The evaluation results: counts, the average rating per topic and in total, and the answers.
/// Only submitted evaluations count.
pub fn evaluation_summary(
    programme: &ProgrammeDoc,
    evaluations: &[EvaluationDoc],
    language: Language,
) -> EvaluationSummary {
    let submitted: Vec<&EvaluationDoc> = evaluations
        .iter()
        .filter(|e| e.submitted_on.is_some())
        .collect();
    let topics: Vec<TopicRating> = views::ordered_topics(programme)
        .into_iter()
        .map(|(id, topic)| {
            let mut histogram = [0usize; 5];
            for rating in submitted.iter().filter_map(|e| e.ratings.get(id)) {
                if (1..=5).contains(rating) {
                    histogram[(*rating - 1) as usize] += 1;
                }
            }
            let count: usize = histogram.iter().sum();
            let total: usize = histogram.iter().enumerate().map(|(i, n)| (i + 1) * n).sum();
            TopicRating {
                topic: id.clone(),
                number: u8::try_from(topic.number).unwrap_or(0),
                title: views::topic_text(topic, language).title,
                count,
                average: (count > 0).then(|| total as f32 / count as f32),
                histogram,
            }
        })
        .collect();
    let (count, total) = topics.iter().fold((0, 0.0), |(n, sum), t| {
        (n + t.count, sum + t.average.unwrap_or(0.0) * t.count as f32)
    });
    EvaluationSummary {
        responses: submitted.len(),
        mentors: submitted.iter().filter(|e| e.role == Role::Mentor).count(),
        mentees: submitted.iter().filter(|e| e.role == Role::Mentee).count(),
        overall: (count > 0).then(|| total / count as f32),
        topics,
        answers: submitted
            .iter()
            .map(|e| EvaluationAnswer {
                role: e.role,
                experience: e.experience.clone(),
                good: e.good.clone(),
                less_good: e.less_good.clone(),
                useful_topics: e.useful_topics.clone(),
                less_useful_topics: e.less_useful_topics.clone(),
            })
            .collect(),
    }
}

/// The evaluation results as CSV (RFC 4180, `;`-free, UTF-8): one row per response with the
/// answers and a column per topic, then a row with the averages. Names are left out.
pub fn evaluation_csv(
    programme: &ProgrammeDoc,
    evaluations: &[EvaluationDoc],
    language: Language,
) -> String {
    let topics = views::ordered_topics(programme);
    let mut header = vec![
        t(language, "csv.role"),
        t(language, "csv.submitted"),
        t(language, "eval.experience"),
        t(language, "eval.good"),
        t(language, "eval.less_good"),
        t(language, "eval.useful"),
        t(language, "eval.less_useful"),
    ];
    header.extend(topics.iter().map(|(_, topic)| {
        format!(
            "{}. {}",
            topic.number,
            views::topic_text(topic, language).title
        )
    }));
    let mut rows = vec![header];
    for e in evaluations.iter().filter(|e| e.submitted_on.is_some()) {
        let mut row = vec![
            t(
                language,
                if e.role == Role::Mentor {
                    "role.mentor"
                } else {
                    "role.mentee"
                },
            ),
            e.submitted_on.clone().unwrap_or_default(),
            e.experience.clone(),
            e.good.clone(),
            e.less_good.clone(),
            e.useful_topics.clone(),
            e.less_useful_topics.clone(),
        ];
        row.extend(topics.iter().map(|(id, _)| {
            e.ratings
                .get(*id)
                .map(|r| r.to_string())
                .unwrap_or_default()
        }));
        rows.push(row);
    }
    let summary = evaluation_summary(programme, evaluations, language);
    let mut averages = vec![t(language, "csv.average"), String::new()];
    averages.extend(std::iter::repeat_n(String::new(), 5));
    averages.extend(
        summary
            .topics
            .iter()
            .map(|t| t.average.map(|a| format!("{a:.2}")).unwrap_or_default()),
    );
    rows.push(averages);
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in &rows {
        // Writing into memory cannot fail.
        let _ = writer.write_record(row.iter().map(|cell| defused(cell)));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The pairs' progress as CSV (for the programme export): who, since when, which guide
/// meetings were held, what is next and what needs attention, when they last synced. Progress
/// only: no note content exists in a pair row.
pub fn progress_csv(rows: &[PairRow], language: Language) -> String {
    let header = [
        "role.mentor",
        "role.mentee",
        "csv.formed_on",
        "csv.held",
        "csv.next",
        "csv.attention",
        "csv.last_sync",
    ]
    .map(|key| t(language, key));
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing into memory cannot fail.
    let _ = writer.write_record(&header);
    for row in rows {
        let attention: Vec<String> = row
            .attention
            .iter()
            .map(|a| format!("{}. {}", a.number, a.title))
            .collect();
        let cells = [
            row.mentor.clone(),
            row.mentee.clone(),
            row.formed_on.clone(),
            row.held.join("; "),
            row.next.clone().unwrap_or_default(),
            attention.join("; "),
            row.last_sync.clone().unwrap_or_default(),
        ];
        let _ = writer.write_record(cells.iter().map(|cell| defused(cell)));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A cell a spreadsheet will not run as a formula: a leading =, +, - or @ gets a quote mark.
fn defused(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::MeetingDoc;
    use pm_domain::model::Settings;

    fn programme() -> ProgrammeDoc {
        let q = pm_domain::guide::default_quarters(2026)
            .map(|q| (q.start.to_string(), q.end.to_string()));
        ProgrammeDoc::new("ICT", "School", "2026-2027", Settings::default(), &q)
    }

    fn evaluation(role: Role, ratings: &[(&str, u64)], submitted: bool) -> EvaluationDoc {
        let mut e = EvaluationDoc::new("p", "prog", role);
        e.ratings = ratings.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        e.good = "De eerste afspraak, \"echt\" fijn".into();
        e.submitted_on = submitted.then(|| "2027-06-01".into());
        e
    }

    #[test]
    fn ratings_are_averaged_per_topic_and_in_total_from_submitted_answers_only() {
        let evaluations = [
            evaluation(Role::Mentee, &[("topic-1", 5), ("topic-3", 4)], true),
            evaluation(Role::Mentor, &[("topic-1", 3)], true),
            evaluation(Role::Mentee, &[("topic-1", 1)], false),
        ];
        let summary = evaluation_summary(&programme(), &evaluations, Language::Nl);
        assert_eq!(
            (summary.responses, summary.mentees, summary.mentors),
            (2, 1, 1)
        );
        assert_eq!(summary.topics[0].average, Some(4.0));
        assert_eq!(summary.topics[0].histogram, [0, 0, 1, 0, 1]);
        assert_eq!(summary.topics[1].average, None);
        assert_eq!(summary.overall, Some(4.0));
    }

    #[test]
    fn the_csv_quotes_what_needs_quoting_and_defuses_formulas() {
        let mut e = evaluation(Role::Mentee, &[("topic-1", 5)], true);
        e.experience = "=HYPERLINK(\"x\")".into();
        let csv = evaluation_csv(&programme(), &[e], Language::Nl);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(lines[0].starts_with("Rol,Ingeleverd op,"), "{}", lines[0]);
        assert!(
            lines[1].contains("\"'=HYPERLINK(\"\"x\"\")\""),
            "{}",
            lines[1]
        );
        assert!(
            lines[1].contains("\"De eerste afspraak, \"\"echt\"\" fijn\""),
            "{}",
            lines[1]
        );
        assert!(lines[2].starts_with("Gemiddelde,"), "{}", lines[2]);
        assert!(lines[2].contains("5.00"));
    }

    fn seen(group: &GroupDoc) -> PairSeen<'_> {
        PairSeen {
            group_id: "g",
            group,
            formed_on: "2026-09-20",
            last_sync: None,
        }
    }

    fn names() -> Names {
        Names::new(
            [("m".into(), "Sanne".into()), ("e".into(), "Aylin".into())],
            Language::Nl,
        )
    }

    #[test]
    fn a_new_pair_shows_no_meeting_yet_and_a_held_meeting_with_its_date() {
        let p = programme();
        let mut group = GroupDoc::new_pair("p", "n", "m", "e");
        let today: NaiveDate = "2026-10-01".parse().unwrap();
        let row = pair_row(&p, seen(&group), &names(), today, Language::Nl);
        assert!(row.no_meeting_yet);
        assert_eq!(
            (row.mentor.as_str(), row.mentee.as_str()),
            ("Sanne", "Aylin")
        );
        assert_eq!(
            row.attention.len(),
            2,
            "meetings 1 and 2 are due in quarter 1"
        );
        group.meetings.insert(
            "m1".into(),
            MeetingDoc {
                date: Some("2026-09-22".into()),
                status: MeetingStatus::Held,
                held_on: Some("2026-09-22".into()),
                ..MeetingDoc::planned(Some("topic-1".into()))
            },
        );
        let row = pair_row(&p, seen(&group), &names(), today, Language::Nl);
        assert!(!row.no_meeting_yet);
        assert_eq!(
            row.held,
            vec!["1. Cultuur van de opleiding (di 22 september 2026)"]
        );
    }
}
