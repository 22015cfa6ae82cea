//! Pairing mentors and mentees. Preselection: the coordinator pairs, helped by suggestions ranked
//! by her own criteria, each with its reasons. Matching: after the introduction event everyone
//! ranks the other side, and the app proposes a stable set of pairs from mutual preferences. In
//! both, a mentor never gets more mentees than her capacity.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

/// A mentor as matching sees her.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentor {
    pub person: String,
    pub name: String,
    pub track: String,
    pub interests: Vec<String>,
    /// Items of the toolbox's mentor checklist she ticked, and how many there are.
    pub self_check: (usize, usize),
    pub capacity: u32,
    /// Mentees she has now.
    pub paired: u32,
}

impl Mentor {
    pub fn free(&self) -> u32 {
        self.capacity.saturating_sub(self.paired)
    }
}

/// A mentee as matching sees her.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentee {
    pub person: String,
    pub name: String,
    pub track: String,
    pub interests: Vec<String>,
}

/// The coordinator's criteria: a weight per criterion (0 switches it off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Criteria {
    pub same_track: u32,
    pub shared_interests: u32,
    pub self_check: u32,
}

/// Why a suggestion scores what it scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    SameTrack {
        track: String,
        points: u32,
    },
    SharedInterests {
        interests: Vec<String>,
        points: u32,
    },
    SelfCheck {
        ticked: usize,
        of: usize,
        points: u32,
    },
    Capacity {
        free: u32,
    },
}

/// A mentor suggested for a mentee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub mentor: String,
    pub name: String,
    pub score: u32,
    pub reasons: Vec<Reason>,
    /// She has no room left: shown, but cannot be chosen.
    pub full: bool,
}

fn normalize(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Mentors for `mentee`, best first: by the criteria's score, mentors without room last.
pub fn suggest(mentee: &Mentee, mentors: &[Mentor], criteria: Criteria) -> Vec<Suggestion> {
    let wanted: BTreeSet<String> = mentee.interests.iter().map(|i| normalize(i)).collect();
    let mut suggestions: Vec<Suggestion> = mentors
        .iter()
        .map(|mentor| {
            let mut reasons = Vec::new();
            let mut score = 0;
            if criteria.same_track > 0
                && !mentee.track.trim().is_empty()
                && normalize(&mentee.track) == normalize(&mentor.track)
            {
                score += 3 * criteria.same_track;
                reasons.push(Reason::SameTrack {
                    track: mentor.track.trim().to_owned(),
                    points: 3 * criteria.same_track,
                });
            }
            let shared: Vec<String> = mentor
                .interests
                .iter()
                .filter(|i| wanted.contains(&normalize(i)))
                .map(|i| i.trim().to_owned())
                .collect();
            if criteria.shared_interests > 0 && !shared.is_empty() {
                let points = criteria.shared_interests * shared.len() as u32;
                score += points;
                reasons.push(Reason::SharedInterests {
                    interests: shared,
                    points,
                });
            }
            let (ticked, of) = mentor.self_check;
            if criteria.self_check > 0 && of > 0 {
                let points = criteria.self_check * 3 * ticked as u32 / of as u32;
                score += points;
                reasons.push(Reason::SelfCheck { ticked, of, points });
            }
            reasons.push(Reason::Capacity {
                free: mentor.free(),
            });
            Suggestion {
                mentor: mentor.person.clone(),
                name: mentor.name.clone(),
                score,
                reasons,
                full: mentor.free() == 0,
            }
        })
        .collect();
    suggestions.sort_by(|a, b| {
        a.full
            .cmp(&b.full)
            .then(b.score.cmp(&a.score))
            .then(a.name.cmp(&b.name))
    });
    suggestions
}

/// Pairs from mutual preferences, by deferred acceptance with mentees proposing: every mentee is
/// paired with the best mentor she ranked who also ranked her and has room, such that no mentor
/// and mentee who both ranked each other would both rather be together than with whom they got.
/// `mentees`: each mentee's ranked mentors. `mentors`: each mentor's free places and ranked
/// mentees. Only mutually ranked pairs are proposed. Returns (mentor, mentee) pairs.
pub fn stable_pairs(
    mentees: &BTreeMap<String, Vec<String>>,
    mentors: &BTreeMap<String, (u32, Vec<String>)>,
) -> Vec<(String, String)> {
    let rank: HashMap<&str, HashMap<&str, usize>> = mentors
        .iter()
        .map(|(m, (_, prefs))| {
            let ranks = prefs
                .iter()
                .enumerate()
                .map(|(i, e)| (e.as_str(), i))
                .collect();
            (m.as_str(), ranks)
        })
        .collect();
    let mut next: HashMap<&str, usize> = mentees.keys().map(|e| (e.as_str(), 0)).collect();
    let mut held: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut free: Vec<&str> = mentees.keys().map(String::as_str).rev().collect();
    while let Some(mentee) = free.pop() {
        let prefs = &mentees[mentee];
        let Some(i) = next.get_mut(mentee) else {
            continue;
        };
        let Some(mentor) = prefs.get(*i).map(String::as_str) else {
            continue;
        };
        *i += 1;
        let Some(ranks) = rank.get(mentor) else {
            free.push(mentee);
            continue;
        };
        if !ranks.contains_key(mentee) {
            free.push(mentee);
            continue;
        }
        let capacity = mentors[mentor].0 as usize;
        if capacity == 0 {
            free.push(mentee);
            continue;
        }
        let list = held.entry(mentor).or_default();
        list.push(mentee);
        if list.len() > capacity {
            // The mentor keeps her favourites; the one she ranks lowest proposes again.
            list.sort_by_key(|e| ranks[e]);
            if let Some(rejected) = list.pop() {
                free.push(rejected);
            }
        }
    }
    let mut pairs: Vec<(String, String)> = held
        .into_iter()
        .flat_map(|(m, es)| es.into_iter().map(move |e| (m.to_owned(), e.to_owned())))
        .collect();
    pairs.sort();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mentor(
        person: &str,
        track: &str,
        interests: &[&str],
        ticked: usize,
        capacity: u32,
        paired: u32,
    ) -> Mentor {
        Mentor {
            person: person.into(),
            name: person.to_uppercase(),
            track: track.into(),
            interests: interests.iter().map(|s| s.to_string()).collect(),
            self_check: (ticked, 9),
            capacity,
            paired,
        }
    }

    #[test]
    fn suggestions_rank_by_the_criteria_explain_why_and_put_full_mentors_last() {
        let mentee = Mentee {
            person: "e".into(),
            name: "Aylin".into(),
            track: "Software Engineering".into(),
            interests: vec!["Gaming".into(), "security".into()],
        };
        let mentors = [
            mentor("a", "software engineering", &["security"], 9, 1, 0),
            mentor("b", "Data", &["gaming", "Security"], 3, 2, 0),
            mentor(
                "c",
                "Software Engineering",
                &["gaming", "security"],
                9,
                1,
                1,
            ),
        ];
        let criteria = Criteria {
            same_track: 2,
            shared_interests: 1,
            self_check: 1,
        };
        let ranked = suggest(&mentee, &mentors, criteria);
        let order: Vec<&str> = ranked.iter().map(|s| s.mentor.as_str()).collect();
        assert_eq!(order, vec!["a", "b", "c"]);
        assert_eq!(ranked[0].score, 6 + 1 + 3);
        assert!(ranked[0].reasons.contains(&Reason::SameTrack {
            track: "software engineering".into(),
            points: 6
        }));
        assert!(ranked[1].reasons.iter().any(|r| matches!(r, Reason::SharedInterests { interests, points: 2 } if interests.len() == 2)));
        assert!(ranked[2].full, "c has no room");
        // Other criteria, other order.
        let only_interests = Criteria {
            same_track: 0,
            shared_interests: 1,
            self_check: 0,
        };
        assert_eq!(suggest(&mentee, &mentors, only_interests)[0].mentor, "b");
    }

    #[test]
    fn mutual_first_choices_are_paired() {
        let mentees = BTreeMap::from([
            ("e1".to_string(), vec!["m1".to_string(), "m2".to_string()]),
            ("e2".to_string(), vec!["m1".to_string(), "m2".to_string()]),
        ]);
        let mentors = BTreeMap::from([
            (
                "m1".to_string(),
                (1, vec!["e2".to_string(), "e1".to_string()]),
            ),
            (
                "m2".to_string(),
                (1, vec!["e1".to_string(), "e2".to_string()]),
            ),
        ]);
        assert_eq!(
            stable_pairs(&mentees, &mentors),
            vec![("m1".into(), "e2".into()), ("m2".into(), "e1".into())]
        );
    }

    /// Random preferences: up to 6 mentees and 4 mentors, capacities 0 to 3, partial rankings.
    type MenteePrefs = BTreeMap<String, Vec<String>>;
    type MentorPrefs = BTreeMap<String, (u32, Vec<String>)>;

    fn preferences() -> impl Strategy<Value = (MenteePrefs, MentorPrefs)> {
        (1usize..=6, 1usize..=4).prop_flat_map(|(n_e, n_m)| {
            let mentee_prefs = proptest::collection::vec(
                proptest::sample::subsequence((0..n_m).collect::<Vec<_>>(), 0..=n_m).prop_shuffle(),
                n_e,
            );
            let mentor_prefs = proptest::collection::vec(
                (
                    0u32..=3,
                    proptest::sample::subsequence((0..n_e).collect::<Vec<_>>(), 0..=n_e)
                        .prop_shuffle(),
                ),
                n_m,
            );
            (mentee_prefs, mentor_prefs).prop_map(|(es, ms)| {
                let mentees = es
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        (
                            format!("e{i}"),
                            p.into_iter().map(|m| format!("m{m}")).collect(),
                        )
                    })
                    .collect();
                let mentors = ms
                    .into_iter()
                    .enumerate()
                    .map(|(i, (cap, p))| {
                        (
                            format!("m{i}"),
                            (cap, p.into_iter().map(|e| format!("e{e}")).collect()),
                        )
                    })
                    .collect();
                (mentees, mentors)
            })
        })
    }

    proptest! {
        #[test]
        fn proposals_never_exceed_capacity_and_are_stable((mentees, mentors) in preferences()) {
            let pairs = stable_pairs(&mentees, &mentors);
            // Capacity, and each mentee at most once, and only mutual rankings.
            let mut load: HashMap<&str, u32> = HashMap::new();
            let mut partner: HashMap<&str, &str> = HashMap::new();
            for (m, e) in &pairs {
                *load.entry(m).or_default() += 1;
                prop_assert!(partner.insert(e, m).is_none(), "{e} paired twice");
                prop_assert!(mentees[e].contains(m) && mentors[m].1.contains(e));
            }
            for (m, (capacity, _)) in &mentors {
                prop_assert!(load.get(m.as_str()).copied().unwrap_or(0) <= *capacity);
            }
            // No blocking pair: a mentor and mentee who ranked each other and would both rather
            // be together than with whom they got.
            for (e, e_prefs) in &mentees {
                for (m, (capacity, m_prefs)) in &mentors {
                    let (Some(e_rank), Some(m_rank)) = (
                        e_prefs.iter().position(|x| x == m),
                        m_prefs.iter().position(|x| x == e),
                    ) else { continue };
                    if partner.get(e.as_str()) == Some(&m.as_str()) {
                        continue;
                    }
                    let e_would = match partner.get(e.as_str()) {
                        None => true,
                        Some(current) => e_rank < e_prefs.iter().position(|x| x == current).unwrap(),
                    };
                    let held: Vec<usize> = pairs
                        .iter()
                        .filter(|(pm, _)| pm == m)
                        .map(|(_, pe)| m_prefs.iter().position(|x| x == pe).unwrap())
                        .collect();
                    let m_would = (held.len() as u32) < *capacity || held.iter().any(|r| m_rank < *r);
                    prop_assert!(!(e_would && m_would), "{m} and {e} would both rather be together");
                }
            }
        }
    }
}
