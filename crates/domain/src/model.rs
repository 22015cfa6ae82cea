//! Plain domain types, shared by devices, the sync server and the webview.
//!
//! Nothing here touches Automerge, SQLite or the network: these are the words of the programme
//! (role, programme settings, meeting, quarter) as Rust values.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use autosurgeon::{Hydrate, Reconcile};

/// The part a person plays in a programme.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Hydrate,
    Reconcile,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Coordinator,
    Mentor,
    Mentee,
    /// A girl in an mbo technology/ICT programme who is a member of a Mentoring Circle.
    Student,
    /// A woman working in a technical job, guest mentor in a circle ("vakvrouw").
    Professional,
    Facilitator,
}

/// Formal: meetings are part of the curriculum and the coordinator plans them.
/// Informal: the pair decides how often they meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum Formality {
    Formal,
    Informal,
}

/// Structured: goals or themes are recorded before a meeting and evaluated after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum Structure {
    Structured,
    Unstructured,
}

/// Central: the coordinator owns the meeting guide. Decentral: mentors may adapt it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum Steering {
    Central,
    Decentral,
}

/// Preselection: the coordinator pairs people by criteria written down in advance.
/// Matching: people meet at an introduction event and form pairs themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum Pairing {
    Preselection,
    Matching,
}

/// One choice on each of the toolbox's four axes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Settings {
    pub formality: Formality,
    pub structure: Structure,
    pub steering: Steering,
    pub pairing: Pairing,
}

impl Default for Settings {
    /// The toolbox's own example: formal, structured, central, preselection.
    fn default() -> Self {
        Settings {
            formality: Formality::Formal,
            structure: Structure::Structured,
            steering: Steering::Central,
            pairing: Pairing::Preselection,
        }
    }
}

/// A quarter ("kwartiel") of the academic year, first and last day inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarter {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// Whether a mentoring group is a mentor-mentee pair or a Mentoring Circle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    Pair,
    Circle,
}

/// Where a meeting stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Planned,
    Held,
    Cancelled,
}

/// A goal to reach, or a question to learn the answer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum GoalKind {
    Goal,
    Question,
}

/// The language a person reads the app in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Nl,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        match code {
            "nl" => Some(Language::Nl),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// The kinds of Automerge document the app keeps. Each kind has one audience; see
/// ARCHITECTURE.md ("Document boundaries") and [`crate::access`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// Settings, quarters, meeting guide, checklist: every member of the programme.
    Programme,
    /// A pair's or circle's members and meetings (progress, no content): the group and the coordinator.
    Group,
    /// Shared meeting notes and goals: the group only.
    Notes,
    /// One person's private notes and reflections: only her own devices.
    Private,
    /// The mentors' shared preparation per guide topic: the programme's mentors and coordinator.
    Preparation,
    /// The programme's people, invitations and matching criteria: the coordinator only.
    Roster,
    /// A participant's profile, self-check, capacity and preferences: she and the coordinator.
    Profile,
    /// A participant's answers to the closing evaluation: she and the coordinator.
    Evaluation,
    /// A participant's messages with the programme's contact person (the coordinator): a
    /// question, or a concern about her pair. She and the coordinator, nobody else.
    Contact,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Programme => "programme",
            DocKind::Group => "group",
            DocKind::Notes => "notes",
            DocKind::Private => "private",
            DocKind::Preparation => "preparation",
            DocKind::Roster => "roster",
            DocKind::Profile => "profile",
            DocKind::Evaluation => "evaluation",
            DocKind::Contact => "contact",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        [
            DocKind::Programme,
            DocKind::Group,
            DocKind::Notes,
            DocKind::Private,
            DocKind::Preparation,
            DocKind::Roster,
            DocKind::Profile,
            DocKind::Evaluation,
            DocKind::Contact,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}
