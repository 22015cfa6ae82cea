//! What a change of the registry touched, so that only the decisions it can alter are taken
//! again. Access to a document is decided from the person's memberships and groups and from the
//! document's entry (`pm_domain::access::access`); a change names the people whose memberships,
//! groups or devices it changed and the documents whose entries it changed, or everyone (a
//! programme archived or erased). The registry keeps the last [`ChangeLog::KEPT`] of them; a
//! reader that fell further behind takes every decision again.

use std::collections::{BTreeSet, VecDeque};

/// Whose access a change can alter (servers sharing a database tell each other in JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Touched {
    pub everyone: bool,
    pub people: BTreeSet<String>,
    pub documents: BTreeSet<String>,
}

impl Touched {
    pub fn everyone() -> Touched {
        Touched {
            everyone: true,
            ..Touched::default()
        }
    }

    pub fn person(person: &str) -> Touched {
        Touched {
            people: [person.to_owned()].into(),
            ..Touched::default()
        }
    }

    pub fn document(document: &str) -> Touched {
        Touched {
            documents: [document.to_owned()].into(),
            ..Touched::default()
        }
    }

    /// Whether the decision for `person` (unknown: any) on `document` (none: all of hers) can
    /// have changed.
    pub fn concerns(&self, person: Option<&str>, document: Option<&str>) -> bool {
        self.everyone
            || person.is_none_or(|p| self.people.contains(p))
            || document.is_none_or(|d| self.documents.contains(d)) && !self.documents.is_empty()
    }

    /// Whether it can alter anything of `person`'s (her memberships, groups or devices).
    pub fn touches_person(&self, person: &str) -> bool {
        self.everyone || self.people.contains(person)
    }

    fn join(&mut self, other: &Touched) {
        self.everyone |= other.everyone;
        self.people.extend(other.people.iter().cloned());
        self.documents.extend(other.documents.iter().cloned());
    }
}

/// Whose directory a change can alter (`Registry::audience`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    People(BTreeSet<String>),
}

/// The registry's recent changes, numbered from the first change since it opened.
#[derive(Debug, Default)]
pub struct ChangeLog {
    /// The number of the oldest change kept.
    first: u64,
    kept: VecDeque<Touched>,
}

impl ChangeLog {
    /// Changes kept for readers that are behind.
    pub const KEPT: usize = 4096;

    pub fn push(&mut self, touched: Touched) {
        self.kept.push_back(touched);
        if self.kept.len() > Self::KEPT {
            self.kept.pop_front();
            self.first += 1;
        }
    }

    /// The number the next change will get.
    pub fn end(&self) -> u64 {
        self.first + self.kept.len() as u64
    }

    /// What the changes from number `mark` on touched together.
    pub fn since(&self, mark: u64) -> Touched {
        if mark < self.first {
            return Touched::everyone();
        }
        let skip = usize::try_from(mark - self.first).unwrap_or(usize::MAX);
        let mut touched = Touched::default();
        for change in self.kept.iter().skip(skip) {
            touched.join(change);
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_concerns_the_people_and_documents_it_names_and_no_one_else() {
        let accepted = Touched::person("sanne");
        assert!(accepted.concerns(Some("sanne"), Some("any-doc")));
        assert!(accepted.concerns(Some("sanne"), None));
        assert!(!accepted.concerns(Some("eva"), Some("any-doc")));
        assert!(!accepted.concerns(Some("eva"), None));
        assert!(accepted.touches_person("sanne") && !accepted.touches_person("eva"));
        assert!(!Touched::document("notes").touches_person("eva"));

        let registered = Touched::document("notes");
        assert!(registered.concerns(Some("eva"), Some("notes")));
        assert!(!registered.concerns(Some("eva"), Some("profile")));
        assert!(
            registered.concerns(Some("eva"), None),
            "a connection's own screen of every document hears of any document"
        );

        assert!(Touched::everyone().concerns(Some("eva"), Some("profile")));
        assert!(
            Touched::default().concerns(None, Some("profile")),
            "a device whose person is unknown decides again on every change"
        );
        assert!(!Touched::default().concerns(Some("eva"), Some("profile")));
    }

    #[test]
    fn a_reader_hears_everything_since_her_mark_and_everyone_once_she_fell_behind() {
        let mut log = ChangeLog::default();
        log.push(Touched::person("a"));
        let mark = log.end();
        log.push(Touched::person("b"));
        log.push(Touched::document("d"));
        let since = log.since(mark);
        assert!(
            !since.people.contains("a"),
            "what she read before her mark is not repeated"
        );
        assert!(since.people.contains("b") && since.documents.contains("d"));
        assert_eq!(log.since(log.end()), Touched::default());

        for _ in 0..ChangeLog::KEPT {
            log.push(Touched::person("c"));
        }
        assert!(
            log.since(mark).everyone,
            "changes the log forgot are taken as touching everyone"
        );
        assert!(!log.since(log.end() - 1).everyone);
    }
}
