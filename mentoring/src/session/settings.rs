//! What a device keeps about its person beside her documents (the store's settings table), as
//! typed keys: each setting is named once here, with the text key it is stored under.

use crate::model::Role;

/// A setting of this device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Setting {
    /// The server this device belongs to.
    Server,
    /// The server given at launch (`--server`), offered when she joins.
    LaunchServer,
    /// This device's credential at the server.
    Credential,
    /// Her person id, as the server made it.
    PersonId,
    Name,
    Role,
    Language,
    /// Whether she finished the first screen.
    Onboarded,
    /// The demo pair's group document.
    DemoGroup,
    /// The server's last directory of her documents (JSON).
    Directory,
    FirstContactSubject,
    FirstContactBody,
    /// A coordinator's own invitation template for a role.
    InvitationSubject(Role),
    InvitationBody(Role),
    /// Her evaluation document in a programme (by programme id).
    Evaluation(String),
    /// Her profile document in a programme (by programme id).
    Profile(String),
    /// Her line to the contact person in a programme, as this device started it (by
    /// programme id).
    Contact(String),
    /// A coordinator's last roster and status of a programme (by programme document).
    Roster(String),
    Status(String),
    StatusAt(String),
    /// Her private notes document on a group (by group document).
    Private(String),
    /// A group being formed, kept until the server answered (programme id, member ids).
    Forming {
        programme: String,
        members: Vec<String>,
    },
    /// Whether this is the first of her devices (the server's list, as last fetched): the one
    /// that makes a circle session's notes text.
    FirstDevice,
    /// When she was reminded of a meeting (by meeting id).
    Reminded(String),
    /// The attempt secret of accepting an invitation, or of linking a device, with a code.
    AcceptAttempt(String),
    LinkAttempt(String),
    /// The code of an open invitation as shown, on the coordinator's device that made it (the
    /// server keeps only its hash), by invitation id.
    InvitationCode(String),
    /// Whether the server was told that a programme is a matching one ("yes"/"no"), by
    /// programme id.
    MatchingTold(String),
    /// The demo partner: person id and name (JSON), since documents keep no names.
    DemoPartner,
    /// Her new name, while the server has not been told.
    NameToTell,
    /// The server's time of the last directory: documents erased since then are asked for.
    DirectoryAt,
    /// What a coordinator keeps of a programme she erased (JSON), by programme id.
    Kept(String),
    /// What the app has to tell her (JSON list of texts in her language).
    Notices,
}

impl Setting {
    /// Where the private-notes settings start (to list them all).
    pub(crate) const PRIVATE_PREFIX: &'static str = "private:";
    /// Where the kept programmes' settings start.
    pub(crate) const KEPT_PREFIX: &'static str = "kept:";

    /// The text key it is stored under (unchanged since these were written by hand).
    pub(crate) fn key(&self) -> String {
        match self {
            Setting::Server => "server".into(),
            Setting::LaunchServer => "launch_server".into(),
            Setting::Credential => "credential".into(),
            Setting::PersonId => "person_id".into(),
            Setting::Name => "name".into(),
            Setting::Role => "role".into(),
            Setting::Language => "language".into(),
            Setting::Onboarded => "onboarded".into(),
            Setting::DemoGroup => "demo_group".into(),
            Setting::Reminded(meeting) => format!("reminded:{meeting}"),
            Setting::Directory => "directory".into(),
            Setting::FirstContactSubject => "mail.first.subject".into(),
            Setting::FirstContactBody => "mail.first.body".into(),
            Setting::InvitationSubject(role) => {
                format!("mail.invite.{}.subject", template_key(*role))
            }
            Setting::InvitationBody(role) => format!("mail.invite.{}.body", template_key(*role)),
            Setting::Evaluation(programme) => format!("evaluation:{programme}"),
            Setting::Profile(programme) => format!("profile:{programme}"),
            Setting::Contact(programme) => format!("contact:{programme}"),
            Setting::Roster(programme_doc) => format!("roster:{programme_doc}"),
            Setting::Status(programme_doc) => format!("status:{programme_doc}"),
            Setting::StatusAt(programme_doc) => format!("status_at:{programme_doc}"),
            Setting::Private(group_doc) => format!("{}{group_doc}", Self::PRIVATE_PREFIX),
            Setting::Forming { programme, members } => {
                format!("forming:{programme}:{}", members.join(","))
            }
            Setting::FirstDevice => "first_device".into(),
            Setting::AcceptAttempt(code) => format!("accept_attempt:{code}"),
            Setting::LinkAttempt(code) => format!("link_attempt:{code}"),
            Setting::InvitationCode(id) => format!("invitation_code:{id}"),
            Setting::MatchingTold(programme) => format!("matching_told:{programme}"),
            Setting::DemoPartner => "demo_partner".into(),
            Setting::NameToTell => "name_to_tell".into(),
            Setting::DirectoryAt => "directory_at".into(),
            Setting::Kept(programme) => format!("{}{programme}", Self::KEPT_PREFIX),
            Setting::Notices => "notices".into(),
        }
    }
}

/// Which invitation e-mail a role gets: the mentors', the mentees', or the circle's.
pub(crate) fn template_key(role: Role) -> &'static str {
    match role {
        Role::Mentor => "mentor",
        Role::Mentee => "mentee",
        _ => "circle",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys are what earlier versions wrote: a device keeps its settings across an update.
    #[test]
    fn keys_are_those_already_on_devices() {
        assert_eq!(Setting::Server.key(), "server");
        assert_eq!(Setting::FirstContactBody.key(), "mail.first.body");
        assert_eq!(
            Setting::InvitationSubject(Role::Mentee).key(),
            "mail.invite.mentee.subject"
        );
        assert_eq!(Setting::Private("g".into()).key(), "private:g");
        assert_eq!(
            Setting::Forming {
                programme: "p".into(),
                members: vec!["a".into(), "b".into()]
            }
            .key(),
            "forming:p:a,b"
        );
        assert_eq!(Setting::AcceptAttempt("C".into()).key(), "accept_attempt:C");
    }
}
