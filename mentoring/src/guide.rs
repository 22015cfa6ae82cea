//! The meeting guide: the toolbox's default five meetings of the mentee's first year, in Dutch and
//! English. A programme stores which default topic each of its topics is based on plus any text the
//! coordinator (or, when decentral, a mentor) changed; unchanged text is read from here in the
//! reader's language.

use serde::{Deserialize, Serialize};

use crate::model::Language;

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
                "Hoe jij de eerste weken op de opleiding hebt ervaren.",
                "Wat jij kenmerkend vindt voor de cultuur van de ICT-opleiding.",
            ],
            ask_mentee: &["Hoe ervaar jij de eerste weken op de opleiding?"],
            also: &[],
        },
        en: TopicText {
            title: "Culture of the programme",
            mentor_tells: &[
                "How you experienced your own first weeks in the programme.",
                "What you find typical of the culture of the ICT programme.",
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
                "Hoe jij in het eerste jaar omging met verslagen en tentamens: planning, samenwerkingsopdrachten, onduidelijkheden.",
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
                "How you handled reports and exams in your first year: planning, group work, unclear assignments.",
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
                "Welke vaardigheden jij vorig jaar in de studie hebt ontwikkeld.",
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
                "Which skills you developed in your studies last year.",
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

#[cfg(test)]
mod tests {
    use super::*;

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
