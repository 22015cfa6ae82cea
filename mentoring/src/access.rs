//! Who may see which document, and who may register one: the programme's privacy rules as plain
//! functions over plain values. The sync server answers every share question with these; nothing
//! else decides access.
//!
//! | kind | who may have it |
//! |---|---|
//! | programme | every active member of the programme |
//! | roster | the programme's coordinator |
//! | group | the group's members and the programme's coordinator |
//! | notes | the group's members only |
//! | private | its owner only |
//! | preparation | the programme's mentors and coordinator |
//! | profile, evaluation | its owner and the programme's coordinator |

use serde::{Deserialize, Serialize};

use crate::model::{DocKind, Role};

/// What the server knows about a document: enough to decide who may see it, nothing of its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocEntry {
    pub kind: DocKind,
    pub programme: String,
    pub group: Option<String>,
    pub owner: Option<String>,
}

/// A person's part in one programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub programme: String,
    pub role: Role,
    /// False once she declined, withdrew or was removed.
    pub active: bool,
}

/// Everything the rules need to know about the person asking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub person: String,
    pub memberships: Vec<Membership>,
    /// Groups (pairs, circles) she is a member of now.
    pub groups: Vec<String>,
}

impl Actor {
    fn role_in(&self, programme: &str) -> Option<Role> {
        self.memberships
            .iter()
            .find(|m| m.programme == programme && m.active)
            .map(|m| m.role)
    }

    fn is_coordinator_of(&self, programme: &str) -> bool {
        self.role_in(programme) == Some(Role::Coordinator)
    }

    fn in_group(&self, doc: &DocEntry) -> bool {
        self.role_in(&doc.programme).is_some()
            && doc.group.as_ref().is_some_and(|g| self.groups.contains(g))
    }

    fn owns(&self, doc: &DocEntry) -> bool {
        doc.owner.as_deref() == Some(self.person.as_str())
    }
}

/// Whether `actor` may have (read and write) the document.
pub fn may_read(actor: &Actor, doc: &DocEntry) -> bool {
    let coordinator = actor.is_coordinator_of(&doc.programme);
    match doc.kind {
        DocKind::Programme => actor.role_in(&doc.programme).is_some(),
        DocKind::Roster => coordinator,
        DocKind::Group => coordinator || actor.in_group(doc),
        DocKind::Notes => actor.in_group(doc),
        DocKind::Private => actor.owns(doc),
        DocKind::Preparation => matches!(
            actor.role_in(&doc.programme),
            Some(Role::Coordinator | Role::Mentor)
        ),
        DocKind::Profile | DocKind::Evaluation => {
            coordinator || (actor.owns(doc) && actor.role_in(&doc.programme).is_some())
        }
    }
}

/// Whether `actor` may register a new document of this description with the server. Notes are
/// never registered by a device: the server makes them when a group is formed, so that the
/// coordinator who forms it never holds them.
pub fn may_register(actor: &Actor, doc: &DocEntry) -> bool {
    let coordinator = actor.is_coordinator_of(&doc.programme);
    match doc.kind {
        DocKind::Programme | DocKind::Roster | DocKind::Preparation | DocKind::Group => coordinator,
        DocKind::Notes => false,
        DocKind::Private | DocKind::Profile | DocKind::Evaluation => {
            actor.owns(doc) && actor.role_in(&doc.programme).is_some()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(person: &str, role: Role, groups: &[&str]) -> Actor {
        Actor {
            person: person.into(),
            memberships: vec![Membership {
                programme: "p".into(),
                role,
                active: true,
            }],
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    fn doc(kind: DocKind, group: Option<&str>, owner: Option<&str>) -> DocEntry {
        DocEntry {
            kind,
            programme: "p".into(),
            group: group.map(Into::into),
            owner: owner.map(Into::into),
        }
    }

    #[test]
    fn the_coordinator_sees_progress_but_never_notes_or_private_reflections() {
        let coordinator = member("c", Role::Coordinator, &[]);
        assert!(may_read(
            &coordinator,
            &doc(DocKind::Group, Some("g1"), None)
        ));
        assert!(!may_read(
            &coordinator,
            &doc(DocKind::Notes, Some("g1"), None)
        ));
        assert!(!may_read(
            &coordinator,
            &doc(DocKind::Private, None, Some("mentee"))
        ));
        assert!(may_read(
            &coordinator,
            &doc(DocKind::Evaluation, None, Some("mentee"))
        ));
        assert!(may_read(&coordinator, &doc(DocKind::Roster, None, None)));
    }

    #[test]
    fn a_pair_shares_its_notes_with_nobody_else() {
        let mentor = member("m", Role::Mentor, &["g1"]);
        let mentee = member("e", Role::Mentee, &["g1"]);
        let other = member("o", Role::Mentee, &["g2"]);
        let notes = doc(DocKind::Notes, Some("g1"), None);
        assert!(may_read(&mentor, &notes) && may_read(&mentee, &notes));
        assert!(!may_read(&other, &notes));
        assert!(!may_read(&other, &doc(DocKind::Group, Some("g1"), None)));
        assert!(may_read(&other, &doc(DocKind::Programme, None, None)));
    }

    #[test]
    fn private_notes_are_their_owners_and_preparation_is_for_mentors() {
        let mentor = member("m", Role::Mentor, &["g1"]);
        let mentee = member("e", Role::Mentee, &["g1"]);
        let private = doc(DocKind::Private, None, Some("e"));
        assert!(may_read(&mentee, &private));
        assert!(!may_read(&mentor, &private));
        let preparation = doc(DocKind::Preparation, None, None);
        assert!(may_read(&mentor, &preparation));
        assert!(!may_read(&mentee, &preparation));
    }

    #[test]
    fn someone_who_withdrew_or_is_elsewhere_sees_nothing() {
        let mut gone = member("e", Role::Mentee, &["g1"]);
        gone.memberships[0].active = false;
        let outsider = Actor {
            person: "x".into(),
            ..Actor::default()
        };
        for kind in [
            DocKind::Programme,
            DocKind::Group,
            DocKind::Notes,
            DocKind::Preparation,
        ] {
            let d = doc(kind, Some("g1"), None);
            assert!(!may_read(&gone, &d), "{kind:?}");
            assert!(!may_read(&outsider, &d), "{kind:?}");
        }
        assert!(!may_read(&gone, &doc(DocKind::Profile, None, Some("e"))));
    }

    #[test]
    fn only_coordinators_register_programme_documents_and_nobody_registers_notes() {
        let coordinator = member("c", Role::Coordinator, &[]);
        let mentee = member("e", Role::Mentee, &["g1"]);
        assert!(may_register(
            &coordinator,
            &doc(DocKind::Group, Some("g1"), None)
        ));
        assert!(!may_register(
            &mentee,
            &doc(DocKind::Group, Some("g1"), None)
        ));
        assert!(!may_register(
            &coordinator,
            &doc(DocKind::Notes, Some("g1"), None)
        ));
        assert!(!may_register(
            &mentee,
            &doc(DocKind::Notes, Some("g1"), None)
        ));
        assert!(may_register(
            &mentee,
            &doc(DocKind::Private, None, Some("e"))
        ));
        assert!(!may_register(
            &mentee,
            &doc(DocKind::Private, None, Some("someone else"))
        ));
        assert!(!may_register(
            &coordinator,
            &doc(DocKind::Private, None, Some("e"))
        ));
    }
}
