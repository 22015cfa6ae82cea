//! Who may read and who may write which document, who may register one, and who may be in a
//! group: the programme's privacy rules as plain functions over plain values. The sync server
//! answers every share question with these; nothing else decides access.
//!
//! | kind | who may read it | who may also write it |
//! |---|---|---|
//! | programme | every active member of the programme | the coordinator |
//! | roster | the programme's coordinator | the coordinator |
//! | group | the group's members and the programme's coordinator | the coordinator; in a pair the mentor and mentee; in a circle its teacher (facilitator), so attendance is hers alone |
//! | notes | the group's members only | the group's members |
//! | private | its owner only | its owner |
//! | preparation | the programme's mentors and coordinator | the same |
//! | profile, evaluation | its owner and the programme's coordinator | its owner |
//!
//! A document's kind is what the server registered, never what the document says about itself.

use serde::{Deserialize, Serialize};

use crate::model::{DocKind, GroupKind, Role};

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
    /// The programme ended and was archived: everything in it is read-only for everyone.
    #[serde(default)]
    pub archived: bool,
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

    fn archived(&self, programme: &str) -> bool {
        self.memberships
            .iter()
            .any(|m| m.programme == programme && m.archived)
    }
}

/// What a person may do with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Access {
    /// She may not have it at all.
    None,
    /// She may have it, but her changes are not accepted.
    Read,
    /// She may have it and change it.
    Write,
}

/// What `actor` may do with the document now.
pub fn access(actor: &Actor, doc: &DocEntry) -> Access {
    if !may_read(actor, doc) {
        Access::None
    } else if may_write(actor, doc) {
        Access::Write
    } else {
        Access::Read
    }
}

/// Whether `actor` may change a document she may read. Read-only readers: every participant for
/// the programme document; students and professionals for their circle's group document (its
/// sessions and attendance are the teacher's); the coordinator for profiles and evaluations.
fn may_write(actor: &Actor, doc: &DocEntry) -> bool {
    if actor.archived(&doc.programme) {
        return false;
    }
    let role = actor.role_in(&doc.programme);
    match doc.kind {
        DocKind::Programme | DocKind::Roster => role == Some(Role::Coordinator),
        DocKind::Group => match role {
            Some(Role::Coordinator) => true,
            Some(Role::Mentor | Role::Mentee | Role::Facilitator) => actor.in_group(doc),
            _ => false,
        },
        DocKind::Notes => actor.in_group(doc),
        DocKind::Private => actor.owns(doc),
        DocKind::Preparation => matches!(role, Some(Role::Coordinator | Role::Mentor)),
        DocKind::Profile | DocKind::Evaluation => actor.owns(doc) && role.is_some(),
        // She writes to the contact person, who answers in the same document.
        DocKind::Contact => role == Some(Role::Coordinator) || (actor.owns(doc) && role.is_some()),
    }
}

/// Whether a person with `role` may be a member of a group of `kind`: mentors and mentees form
/// pairs; students, professionals and teachers form circles. A coordinator is never a member, so
/// she is never in the audience of a group's notes.
pub fn may_join_group(kind: GroupKind, role: Role) -> bool {
    match kind {
        GroupKind::Pair => matches!(role, Role::Mentor | Role::Mentee),
        GroupKind::Circle => matches!(role, Role::Student | Role::Professional | Role::Facilitator),
    }
}

/// Whether `actor` may have the document (see [`access`] for whether she may also change it).
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
        DocKind::Profile | DocKind::Evaluation | DocKind::Contact => {
            coordinator || (actor.owns(doc) && actor.role_in(&doc.programme).is_some())
        }
    }
}

/// Whether `actor` may register a new document of this description with the server. Group and
/// notes documents are never registered one by one: the server records both when a group is
/// formed (and makes the notes itself, so that the coordinator who forms it never holds them).
pub fn may_register(actor: &Actor, doc: &DocEntry) -> bool {
    if actor.archived(&doc.programme) {
        return false;
    }
    let coordinator = actor.is_coordinator_of(&doc.programme);
    match doc.kind {
        DocKind::Programme | DocKind::Roster | DocKind::Preparation => coordinator,
        DocKind::Group | DocKind::Notes => false,
        DocKind::Private | DocKind::Profile | DocKind::Evaluation | DocKind::Contact => {
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
                archived: false,
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
    fn writers_are_fewer_than_readers() {
        let coordinator = member("c", Role::Coordinator, &[]);
        let mentee = member("e", Role::Mentee, &["g1"]);
        let student = member("s", Role::Student, &["c1"]);
        let teacher = member("t", Role::Facilitator, &["c1"]);
        let programme = doc(DocKind::Programme, None, None);
        assert_eq!(access(&coordinator, &programme), Access::Write);
        assert_eq!(access(&mentee, &programme), Access::Read);
        let pair = doc(DocKind::Group, Some("g1"), None);
        assert_eq!(access(&mentee, &pair), Access::Write);
        assert_eq!(access(&coordinator, &pair), Access::Write);
        let circle = doc(DocKind::Group, Some("c1"), None);
        assert_eq!(access(&student, &circle), Access::Read);
        assert_eq!(access(&teacher, &circle), Access::Write);
        assert_eq!(access(&student, &pair), Access::None);
        let circle_notes = doc(DocKind::Notes, Some("c1"), None);
        assert_eq!(access(&student, &circle_notes), Access::Write);
        assert_eq!(access(&coordinator, &circle_notes), Access::None);
        let evaluation = doc(DocKind::Evaluation, None, Some("e"));
        assert_eq!(access(&mentee, &evaluation), Access::Write);
        assert_eq!(access(&coordinator, &evaluation), Access::Read);
        let profile = doc(DocKind::Profile, None, Some("e"));
        assert_eq!(access(&coordinator, &profile), Access::Read);
    }

    #[test]
    fn an_archived_programme_is_read_only_for_everyone() {
        let mut coordinator = member("c", Role::Coordinator, &[]);
        let mut mentee = member("e", Role::Mentee, &["g1"]);
        for actor in [&mut coordinator, &mut mentee] {
            actor.memberships[0].archived = true;
        }
        for kind in [
            DocKind::Programme,
            DocKind::Group,
            DocKind::Notes,
            DocKind::Private,
            DocKind::Profile,
            DocKind::Evaluation,
            DocKind::Contact,
        ] {
            let d = doc(kind, Some("g1"), Some("e"));
            assert_ne!(access(&mentee, &d), Access::Write, "{kind:?}");
            assert_ne!(access(&coordinator, &d), Access::Write, "{kind:?}");
            assert!(!may_register(&mentee, &d) && !may_register(&coordinator, &d));
        }
        assert_eq!(
            access(&mentee, &doc(DocKind::Notes, Some("g1"), None)),
            Access::Read,
            "she can still read her pair's notes"
        );
    }

    #[test]
    fn a_line_to_the_contact_point_is_hers_and_the_coordinators_only() {
        let coordinator = member("c", Role::Coordinator, &[]);
        let mentee = member("e", Role::Mentee, &["g1"]);
        let mentor = member("m", Role::Mentor, &["g1"]);
        let contact = doc(DocKind::Contact, None, Some("e"));
        assert_eq!(access(&mentee, &contact), Access::Write);
        assert_eq!(access(&coordinator, &contact), Access::Write, "she answers");
        assert_eq!(access(&mentor, &contact), Access::None, "not her mentor");
        assert!(may_register(&mentee, &contact));
        assert!(!may_register(&mentor, &contact));
        let mut gone = mentee.clone();
        gone.memberships[0].active = false;
        assert_eq!(access(&gone, &contact), Access::None);
    }

    #[test]
    fn pairs_are_mentors_and_mentees_circles_students_professionals_and_a_teacher() {
        assert!(may_join_group(GroupKind::Pair, Role::Mentor));
        assert!(may_join_group(GroupKind::Pair, Role::Mentee));
        assert!(!may_join_group(GroupKind::Pair, Role::Student));
        assert!(may_join_group(GroupKind::Circle, Role::Facilitator));
        for kind in [GroupKind::Pair, GroupKind::Circle] {
            assert!(!may_join_group(kind, Role::Coordinator), "{kind:?}");
        }
    }

    #[test]
    fn only_coordinators_register_programme_documents_and_nobody_registers_notes() {
        let coordinator = member("c", Role::Coordinator, &[]);
        let mentee = member("e", Role::Mentee, &["g1"]);
        assert!(!may_register(
            &coordinator,
            &doc(DocKind::Group, Some("g1"), None)
        ));
        assert!(may_register(
            &coordinator,
            &doc(DocKind::Roster, None, None)
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
