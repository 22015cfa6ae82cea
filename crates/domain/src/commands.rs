//! The commands the window sends to the device, as types (rust-analyzer's `lsp/ext.rs` style):
//! each is a struct of its parameters, with its name and the type of its answer, so the window
//! and the shell that answers it (Tauri on a laptop, the browser on a phone) cannot disagree on
//! either. The window sends `{ "name": NAME, "params": <the struct> }`; an error comes back as a
//! code the window words in the person's language.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::{api, model, wire};

/// A request the window makes of its device.
pub trait Command: Serialize + DeserializeOwned {
    /// The name it is sent under.
    const NAME: &'static str;
    /// What it answers.
    type Output: Serialize + DeserializeOwned;
}

macro_rules! commands {
    ($($(#[$doc:meta])* $name:literal => $command:ident { $($field:ident: $ty:ty),* } -> $output:ty;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Serialize, Deserialize)]
            pub struct $command { $(pub $field: $ty),* }

            impl Command for $command {
                const NAME: &'static str = $name;
                type Output = $output;
            }
        )*

        /// Every command's name, in the order above.
        pub const NAMES: &[&str] = &[$($name),*];
    };
}

commands! {
    // -- Profile and first launch --------------------------------------------------------
    "app_info" => AppInfo {} -> api::AppInfo;
    /// What the app has to tell her (a programme erased, this device erased).
    "notices" => Notices {} -> Vec<String>;
    "dismiss_notices" => DismissNotices {} -> ();
    "sync_status" => SyncStatus {} -> api::SyncStatus;
    "profile" => Profile {} -> api::Profile;
    "save_profile" => SaveProfile { name: String, role: Option<model::Role> } -> api::Profile;
    "save_profile_role" => SaveProfileRole { role: Option<model::Role> } -> ();
    "set_language" => SetLanguage { language: model::Language } -> api::Profile;
    "open_demo" => OpenDemo {} -> String;

    // -- Joining, her devices, her profile and evaluation --------------------------------
    "lookup_invitation" => LookupInvitation { server: String, code: String } -> api::InvitationView;
    "accept_invitation" => AcceptInvitation { server: String, code: String, name: String } -> String;
    "decline_invitation" => DeclineInvitation { server: String, code: String } -> ();
    "link_code" => LinkCode {} -> wire::LinkCode;
    /// A recovery code to keep: a linking code for a device that lost her data, good for a year.
    "recovery_code" => RecoveryCode {} -> wire::LinkCode;
    "join_as_linked_device" => JoinAsLinkedDevice { server: String, code: String, label: String } -> ();
    "devices" => Devices {} -> wire::Devices;
    "remove_device" => RemoveDevice { peer: String } -> wire::Devices;
    "withdraw" => Withdraw { programme: String } -> ();
    /// Her messages with the programme's contact person.
    "contact_messages" => ContactMessages { programme: String } -> Vec<api::ContactMessage>;
    /// Writes to the contact person: `about` is `question` or `pair`.
    "send_contact_message" => SendContactMessage { programme: String, about: String, text: String } -> Vec<api::ContactMessage>;
    /// Everything she is part of, as one zip file she can read without the app.
    "export_my_data" => ExportMyData {} -> api::SavedFile;
    /// Erases her data from the server and this device; the app then starts again, as new.
    "erase_my_data" => EraseMyData {} -> ();
    "profile_form" => ProfileForm { programme: String } -> api::ProfileForm;
    "save_profile_form" => SaveProfileForm { form: api::ProfileForm } -> api::ProfileForm;
    "evaluation_form" => EvaluationForm { programme: String } -> api::EvaluationForm;
    "save_evaluation" => SaveEvaluation { form: api::EvaluationForm, submit: bool } -> api::EvaluationForm;

    // -- The coordinator -----------------------------------------------------------------
    "create_programme" => CreateProgramme { form: api::ProgrammeForm } -> String;
    "programme_setup" => ProgrammeSetup { programme: String } -> api::ProgrammeSetup;
    "set_checklist" => SetChecklist { programme: String, key: String, done: bool } -> ();
    "save_settings" => SaveSettings { programme: String, settings: model::Settings, quarters: Vec<(String, String)> } -> ();
    "edit_topic" => EditTopic { programme: String, topic: String, title: String, tells: Vec<String>, ask: Vec<String> } -> ();
    "save_criteria" => SaveCriteria { programme: String, criteria: Vec<(String, u64)> } -> ();
    "invite" => Invite { programme: String, role: model::Role, name: String, email: String, days: u32 } -> api::InviteResult;
    /// Everyone on a class list (CSV: name, e-mail address, role) invited at once.
    "import_class_list" => ImportClassList { programme: String, text: String, days: u32 } -> api::ClassListImport;
    "invitation_template" => InvitationTemplate { role: model::Role } -> api::Template;
    "save_invitation_template" => SaveInvitationTemplate { role: model::Role, subject: String, body: String } -> ();
    "revoke_invitation" => RevokeInvitation { programme: String, invitation: String } -> ();
    "refresh_status" => RefreshStatus { programme: String } -> ();
    "remove_person" => RemovePerson { programme: String, person: String } -> ();
    /// Erases someone who left the programme and takes part nowhere else.
    "erase_who_left" => EraseWhoLeft { programme: String, person: String } -> ();
    "suggestions" => Suggestions { programme: String, mentee: String } -> Vec<api::SuggestionView>;
    "proposals" => Proposals { programme: String } -> Vec<api::ProposalView>;
    "form_pair" => FormPair { programme: String, mentor: String, mentee: String } -> String;
    "dissolve" => Dissolve { programme: String, group: String } -> ();
    "dashboard" => Dashboard { programme: String } -> api::Dashboard;
    "evaluation_summary" => EvaluationSummary { programme: String } -> api::EvaluationSummary;
    /// Writes the evaluation results as a CSV file into the export folder.
    "export_evaluations" => ExportEvaluations { programme: String } -> api::SavedFile;
    /// Ends the programme: read-only for everyone.
    "archive_programme" => ArchiveProgramme { programme: String } -> ();
    /// Erases an ended programme from the server and this device; its evaluation's figures stay.
    "erase_programme" => EraseProgramme { programme: String } -> ();
    /// The coordinator answers a participant's message.
    "answer_contact" => AnswerContact { programme: String, person: String, text: String } -> Vec<api::ContactThread>;
    /// The programme's progress and evaluations as a zip of CSV files (no note content).
    "export_programme" => ExportProgramme { programme: String } -> api::SavedFile;

    // -- A pair: home, meetings, notes, goals, calendar, e-mail, preparation -------------
    "home" => Home {} -> api::Home;
    "meeting" => Meeting { group: String, meeting: String } -> api::MeetingPage;
    /// Tomorrow's meetings not yet reminded of.
    "due_reminders" => DueReminders {} -> Vec<api::Reminder>;
    /// Remembers reminders as given, once the device showed them.
    "mark_reminded" => MarkReminded { reminders: Vec<api::Reminder> } -> ();
    "write_shared_note" => WriteSharedNote { group: String, meeting: String, base: String, text: String } -> api::TextValue;
    "write_private_note" => WritePrivateNote { group: String, meeting: String, base: String, text: String } -> api::TextValue;
    "write_reflections" => WriteReflections { group: String, base: String, text: String } -> api::TextValue;
    "add_goal" => AddGoal { group: String, kind: model::GoalKind, text: String, meeting: Option<String> } -> Vec<api::GoalItem>;
    "set_goal" => SetGoal { group: String, goal: String, achieved: bool, evaluation: String } -> Vec<api::GoalItem>;
    "set_asked" => SetAsked { group: String, meeting: String, asked: bool } -> ();
    "mark_held" => MarkHeld { group: String, meeting: String } -> ();
    "plan_meeting" => PlanMeeting { group: String, date: String, time: String, place: String } -> String;
    "set_meeting_field" => SetMeetingField { group: String, meeting: String, field: String, value: String } -> ();
    /// Writes a calendar file (one meeting, or the whole schedule) into the export folder.
    "export_calendar" => ExportCalendar { group: String, meeting: Option<String> } -> api::SavedFile;
    "first_contact_template" => FirstContactTemplate {} -> api::Template;
    "first_contact_email" => FirstContactEmail { group: String, to: String, subject: String, body: String, proposals: Vec<api::Proposal> } -> api::Email;
    /// Opens a prepared e-mail in the person's mail client. Only `mailto:` addresses are opened.
    "open_mail" => OpenMail { mailto: String } -> ();
    "preparation" => Preparation { group: String } -> Vec<api::PreparationPage>;
    "write_preparation" => WritePreparation { group: String, topic: String, base: String, text: String } -> api::TextValue;

    // -- Mentoring Circles ---------------------------------------------------------------
    "circle_setup" => CircleSetup { programme: String } -> api::CircleSetup;
    "create_circle" => CreateCircle { programme: String, form: api::CircleForm } -> String;
    "plan_session" => PlanSession { group: String, form: api::SessionForm } -> String;
    "circle_session" => CircleSession { group: String, meeting: String } -> api::CircleSessionPage;
    "set_attendance" => SetAttendance { group: String, meeting: String, person: String, present: bool } -> ();
    "mark_session_held" => MarkSessionHeld { group: String, meeting: String } -> ();
    /// Makes her certificate of participation here, offline, and writes it into the export folder.
    "save_certificate" => SaveCertificate { group: String } -> api::SavedFile;
    /// Writes the circle leaflet, as a PDF in her language, into the export folder.
    "save_leaflet" => SaveLeaflet {} -> api::SavedFile;

}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_its_own_name() {
        let mut names = NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), NAMES.len());
    }
}
