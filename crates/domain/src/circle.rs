//! The rules of a Mentoring Circle, as plain functions over plain values: how many students and
//! professionals a circle has, how often and how long it meets and where, who leads each session,
//! who may plan sessions and take attendance, and when a student gets her certificate.
//!
//! From the toolbox: a fixed group of 5 to 10 students and 2 or 3 professionals meets 3 times per
//! school year, at most 2 hours each, preferably at one professional's company, otherwise at
//! school. The external organisation leads the first session with a female teacher present; the
//! teacher leads the second and third.

use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::guide::academic_year_of;
use crate::i18n::tf;
use crate::model::{Language, Role};

pub const STUDENTS: RangeInclusive<usize> = 5..=10;
pub const PROFESSIONALS: RangeInclusive<usize> = 2..=3;
pub const SESSIONS_PER_YEAR: usize = 3;
pub const MAX_SESSION_MINUTES: u32 = 120;
/// Longer than a working day is a typing mistake, override or not.
pub const LONGEST_SESSION_MINUTES: u32 = 480;
/// Sessions a student attended to receive a certificate of participation: most of the three.
pub const CERTIFICATE_MIN_SESSIONS: usize = 2;

/// The leaflet's sections (heading key, text key), also shown in the app.
pub const LEAFLET_SECTIONS: [(&str, &str); 6] = [
    ("leaflet.what.h", "leaflet.what"),
    ("leaflet.who.h", "leaflet.who"),
    ("leaflet.when.h", "leaflet.when"),
    ("leaflet.talk.h", "leaflet.talk"),
    ("leaflet.give.h", "leaflet.give"),
    ("leaflet.join.h", "leaflet.join"),
];

/// Something about a circle's make-up that the toolbox advises against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CompositionWarning {
    TooFewStudents { count: usize },
    TooManyStudents { count: usize },
    TooFewProfessionals { count: usize },
    TooManyProfessionals { count: usize },
}

/// What the toolbox advises against in a circle of this size; empty when it is as advised.
pub fn composition_warnings(students: usize, professionals: usize) -> Vec<CompositionWarning> {
    let mut warnings = Vec::new();
    if students < *STUDENTS.start() {
        warnings.push(CompositionWarning::TooFewStudents { count: students });
    } else if students > *STUDENTS.end() {
        warnings.push(CompositionWarning::TooManyStudents { count: students });
    }
    if professionals < *PROFESSIONALS.start() {
        warnings.push(CompositionWarning::TooFewProfessionals {
            count: professionals,
        });
    } else if professionals > *PROFESSIONALS.end() {
        warnings.push(CompositionWarning::TooManyProfessionals {
            count: professionals,
        });
    }
    warnings
}

/// A warning in plain words.
pub fn warning_text(warning: CompositionWarning, language: Language) -> String {
    let (key, count) = match warning {
        CompositionWarning::TooFewStudents { count } => ("circle.warn.few_students", count),
        CompositionWarning::TooManyStudents { count } => ("circle.warn.many_students", count),
        CompositionWarning::TooFewProfessionals { count } => {
            ("circle.warn.few_professionals", count)
        }
        CompositionWarning::TooManyProfessionals { count } => {
            ("circle.warn.many_professionals", count)
        }
    };
    tf(language, key, &[("count", &count.to_string())])
}

/// Who leads a session.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    autosurgeon::Hydrate,
    autosurgeon::Reconcile,
)]
#[serde(rename_all = "snake_case")]
pub enum Facilitator {
    /// The external organisation (VHTO in the toolbox), with the school's teacher present.
    Organisation,
    /// The school's female teacher or study-career counsellor.
    Teacher,
}

/// The toolbox's facilitator for the session at `index` (0 is the first of the school year).
pub fn default_facilitator(index: usize) -> Facilitator {
    if index == 0 {
        Facilitator::Organisation
    } else {
        Facilitator::Teacher
    }
}

/// Where a session takes place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Location {
    /// At the company of one of the circle's professionals (her person id): preferred.
    Company { host: String },
    /// At school, with the reason it cannot be at a company (e.g. travel time).
    School { reason: String },
}

/// A session as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPlan {
    pub date: NaiveDate,
    pub minutes: u32,
    pub location: Location,
    /// Why the toolbox's limits are exceeded, if they are; empty otherwise.
    pub override_reason: String,
}

/// Why a session cannot be planned as asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PlanProblem {
    /// The circle already has its sessions this school year; a reason is needed to add one.
    ExtraSession { planned: usize },
    /// Longer than two hours; a reason is needed.
    TooLong { minutes: u32 },
    /// No duration, or more than a working day.
    BadDuration { minutes: u32 },
    /// At school, but without a reason why not at a company.
    SchoolWithoutReason,
    /// The host is not one of the circle's professionals.
    HostNotProfessional,
}

impl PlanProblem {
    /// True when an override reason would allow the plan.
    pub fn can_be_overridden(&self) -> bool {
        matches!(
            self,
            PlanProblem::ExtraSession { .. } | PlanProblem::TooLong { .. }
        )
    }
}

/// Checks a session against the toolbox. `others` are the dates of the circle's other sessions
/// that are not cancelled; `professionals` the circle's professionals. A fourth session in a
/// school year, or one longer than two hours, needs an override reason.
pub fn check_session(
    plan: &SessionPlan,
    others: &[NaiveDate],
    professionals: &[String],
) -> Result<(), PlanProblem> {
    if plan.minutes == 0 || plan.minutes > LONGEST_SESSION_MINUTES {
        return Err(PlanProblem::BadDuration {
            minutes: plan.minutes,
        });
    }
    match &plan.location {
        Location::School { reason } if reason.trim().is_empty() => {
            return Err(PlanProblem::SchoolWithoutReason);
        }
        Location::Company { host } if !professionals.contains(host) => {
            return Err(PlanProblem::HostNotProfessional);
        }
        _ => {}
    }
    let overridden = !plan.override_reason.trim().is_empty();
    let year = academic_year_of(plan.date);
    let same_year = others
        .iter()
        .filter(|d| academic_year_of(**d) == year)
        .count();
    if same_year >= SESSIONS_PER_YEAR && !overridden {
        return Err(PlanProblem::ExtraSession { planned: same_year });
    }
    if plan.minutes > MAX_SESSION_MINUTES && !overridden {
        return Err(PlanProblem::TooLong {
            minutes: plan.minutes,
        });
    }
    Ok(())
}

/// Who may plan and change a circle's sessions: the school's contact person and the teacher.
pub fn may_plan_sessions(role: Role) -> bool {
    matches!(role, Role::Coordinator | Role::Facilitator)
}

/// Who takes attendance: the facilitator present with the app, the school's teacher.
pub fn may_take_attendance(role: Role) -> bool {
    role == Role::Facilitator
}

/// One of the circle's sessions, from one student's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attended {
    pub date: NaiveDate,
    pub held: bool,
    pub present: bool,
}

/// Whether a student gets a certificate of participation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CertificateDecision {
    /// She gets one, listing the dates she attended.
    Granted { dates: Vec<NaiveDate> },
    /// The circle has not had its last session yet.
    NotYet { sessions_to_go: usize },
    /// She attended too few sessions.
    TooFew { attended: usize, held: usize },
}

/// The certificate rule: after the circle's last session (all planned sessions held, and at
/// least [`SESSIONS_PER_YEAR`]), a student who attended at least [`CERTIFICATE_MIN_SESSIONS`]
/// gets a certificate with the dates she attended. `sessions` are the circle's sessions that
/// were not cancelled.
pub fn certificate_decision(sessions: &[Attended]) -> CertificateDecision {
    let held = sessions.iter().filter(|s| s.held).count();
    let open = sessions.len() - held;
    let to_go = open.max(SESSIONS_PER_YEAR.saturating_sub(held));
    if to_go > 0 {
        return CertificateDecision::NotYet {
            sessions_to_go: to_go,
        };
    }
    let mut dates: Vec<NaiveDate> = sessions
        .iter()
        .filter(|s| s.held && s.present)
        .map(|s| s.date)
        .collect();
    dates.sort();
    if dates.len() < CERTIFICATE_MIN_SESSIONS {
        return CertificateDecision::TooFew {
            attended: dates.len(),
            held,
        };
    }
    CertificateDecision::Granted { dates }
}

/// The explanation a student reads when she does not get a certificate (yet).
pub fn certificate_explanation(decision: &CertificateDecision, language: Language) -> String {
    match decision {
        CertificateDecision::Granted { .. } => String::new(),
        CertificateDecision::NotYet { sessions_to_go } => tf(
            language,
            "certificate.not_yet",
            &[("count", &sessions_to_go.to_string())],
        ),
        CertificateDecision::TooFew { attended, held } => tf(
            language,
            "certificate.too_few",
            &[
                ("attended", &attended.to_string()),
                ("held", &held.to_string()),
                ("needed", &CERTIFICATE_MIN_SESSIONS.to_string()),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn plan(date: &str, minutes: u32, location: Location, reason: &str) -> SessionPlan {
        SessionPlan {
            date: day(date),
            minutes,
            location,
            override_reason: reason.into(),
        }
    }

    fn at_company() -> Location {
        Location::Company { host: "pro".into() }
    }

    #[test]
    fn five_to_ten_students_and_two_or_three_professionals_need_no_warning() {
        for students in 5..=10 {
            for professionals in 2..=3 {
                assert!(composition_warnings(students, professionals).is_empty());
            }
        }
    }

    #[test]
    fn a_circle_outside_the_numbers_is_warned_about_in_plain_words() {
        assert_eq!(
            composition_warnings(4, 1),
            vec![
                CompositionWarning::TooFewStudents { count: 4 },
                CompositionWarning::TooFewProfessionals { count: 1 }
            ]
        );
        assert_eq!(
            composition_warnings(11, 4),
            vec![
                CompositionWarning::TooManyStudents { count: 11 },
                CompositionWarning::TooManyProfessionals { count: 4 }
            ]
        );
        let text = warning_text(
            CompositionWarning::TooFewStudents { count: 4 },
            Language::Nl,
        );
        assert!(text.contains('4') && text.contains("minstens 5"), "{text}");
        let text = warning_text(
            CompositionWarning::TooManyProfessionals { count: 4 },
            Language::En,
        );
        assert!(text.contains("at most 3"), "{text}");
    }

    #[test]
    fn three_sessions_a_school_year_and_a_fourth_only_with_a_reason() {
        let pros = ["pro".to_string()];
        let three = [day("2026-09-15"), day("2027-01-12"), day("2027-05-11")];
        let fourth = plan("2027-06-08", 120, at_company(), "");
        assert_eq!(
            check_session(&fourth, &three, &pros),
            Err(PlanProblem::ExtraSession { planned: 3 })
        );
        assert!(
            check_session(&fourth, &three, &pros)
                .unwrap_err()
                .can_be_overridden()
        );
        let with_reason = plan("2027-06-08", 120, at_company(), "afsluiting met ouders");
        assert_eq!(check_session(&with_reason, &three, &pros), Ok(()));
        // The next school year starts afresh on 1 August.
        let next_year = plan("2027-09-14", 120, at_company(), "");
        assert_eq!(check_session(&next_year, &three, &pros), Ok(()));
        // A blank reason is no reason.
        let blank = plan("2027-06-08", 90, at_company(), "   ");
        assert!(check_session(&blank, &three, &pros).is_err());
    }

    #[test]
    fn at_most_two_hours_unless_overridden_and_never_a_nonsense_duration() {
        let pros = ["pro".to_string()];
        assert_eq!(
            check_session(&plan("2026-09-15", 120, at_company(), ""), &[], &pros),
            Ok(())
        );
        assert_eq!(
            check_session(&plan("2026-09-15", 150, at_company(), ""), &[], &pros),
            Err(PlanProblem::TooLong { minutes: 150 })
        );
        assert_eq!(
            check_session(
                &plan(
                    "2026-09-15",
                    150,
                    at_company(),
                    "rondleiding door de fabriek"
                ),
                &[],
                &pros
            ),
            Ok(())
        );
        for minutes in [0, 481] {
            let problem = check_session(
                &plan("2026-09-15", minutes, at_company(), "reden"),
                &[],
                &pros,
            )
            .unwrap_err();
            assert_eq!(problem, PlanProblem::BadDuration { minutes });
            assert!(!problem.can_be_overridden());
        }
    }

    #[test]
    fn at_school_needs_a_reason_and_a_company_must_be_one_of_the_professionals() {
        let pros = ["pro".to_string()];
        let school = |reason: &str| Location::School {
            reason: reason.into(),
        };
        assert_eq!(
            check_session(&plan("2026-09-15", 90, school(""), ""), &[], &pros),
            Err(PlanProblem::SchoolWithoutReason)
        );
        assert_eq!(
            check_session(&plan("2026-09-15", 90, school("reistijd"), ""), &[], &pros),
            Ok(())
        );
        let elsewhere = Location::Company {
            host: "someone".into(),
        };
        assert_eq!(
            check_session(&plan("2026-09-15", 90, elsewhere, ""), &[], &pros),
            Err(PlanProblem::HostNotProfessional)
        );
    }

    #[test]
    fn the_organisation_leads_the_first_session_and_the_teacher_the_others() {
        assert_eq!(default_facilitator(0), Facilitator::Organisation);
        assert_eq!(default_facilitator(1), Facilitator::Teacher);
        assert_eq!(default_facilitator(2), Facilitator::Teacher);
        assert!(may_take_attendance(Role::Facilitator));
        assert!(!may_take_attendance(Role::Student));
        assert!(!may_take_attendance(Role::Professional));
        assert!(may_plan_sessions(Role::Coordinator) && may_plan_sessions(Role::Facilitator));
        assert!(!may_plan_sessions(Role::Student));
    }

    #[test]
    fn a_certificate_after_the_last_session_for_whoever_attended_most_of_them() {
        let s = |date: &str, held: bool, present: bool| Attended {
            date: day(date),
            held,
            present,
        };
        let all = [
            s("2027-05-11", true, true),
            s("2026-09-15", true, true),
            s("2027-01-12", true, true),
        ];
        assert_eq!(
            certificate_decision(&all),
            CertificateDecision::Granted {
                dates: vec![day("2026-09-15"), day("2027-01-12"), day("2027-05-11")]
            }
        );
        let missed_one = [
            s("2026-09-15", true, true),
            s("2027-01-12", true, false),
            s("2027-05-11", true, true),
        ];
        assert_eq!(
            certificate_decision(&missed_one),
            CertificateDecision::Granted {
                dates: vec![day("2026-09-15"), day("2027-05-11")]
            }
        );
        let once = [
            s("2026-09-15", true, true),
            s("2027-01-12", true, false),
            s("2027-05-11", true, false),
        ];
        let decision = certificate_decision(&once);
        assert_eq!(
            decision,
            CertificateDecision::TooFew {
                attended: 1,
                held: 3
            }
        );
        let text = certificate_explanation(&decision, Language::Nl);
        assert!(
            text.contains("1 van de 3") && text.contains("minstens 2"),
            "{text}"
        );
        let early = [s("2026-09-15", true, true), s("2027-01-12", false, false)];
        assert_eq!(
            certificate_decision(&early),
            CertificateDecision::NotYet { sessions_to_go: 2 }
        );
        assert_eq!(
            certificate_decision(&[]),
            CertificateDecision::NotYet { sessions_to_go: 3 }
        );
    }
}
