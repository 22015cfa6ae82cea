//! The coordinator's work: setting up, inviting, pairing, following progress, evaluations. Each
//! function answers one command of `crate::commands`; it translates, the session decides.

use crate::api::{
    ClassListImport, ContactThread, Dashboard, EvaluationSummary, InviteResult, ProgrammeSetup,
    ProposalView, SavedFile, SuggestionView, Template,
};
use crate::commands as cmd;

use serde_json::Value;

use super::{Answer, Host, route, today};

/// Answers the command called `name`, if it is one of this area's.
pub(super) async fn dispatch(host: &dyn Host, name: &str, params: Value) -> Option<Answer<Value>> {
    route!(name, params, {
        cmd::CreateProgramme => |c| create_programme(host, c),
        cmd::ProgrammeSetup => |c| programme_setup(host, c),
        cmd::SetChecklist => |c| set_checklist(host, c),
        cmd::SaveSettings => |c| save_settings(host, c),
        cmd::EditTopic => |c| edit_topic(host, c),
        cmd::SaveCriteria => |c| save_criteria(host, c),
        cmd::Invite => |c| invite(host, c),
        cmd::ImportClassList => |c| import_class_list(host, c),
        cmd::InvitationTemplate => |c| invitation_template(host, c),
        cmd::SaveInvitationTemplate => |c| save_invitation_template(host, c),
        cmd::RevokeInvitation => |c| revoke_invitation(host, c),
        cmd::RefreshStatus => |c| refresh_status(host, c),
        cmd::RemovePerson => |c| remove_person(host, c),
        cmd::Suggestions => |c| suggestions(host, c),
        cmd::Proposals => |c| proposals(host, c),
        cmd::FormPair => |c| form_pair(host, c),
        cmd::Dissolve => |c| dissolve(host, c),
        cmd::Dashboard => |c| dashboard(host, c),
        cmd::EvaluationSummary => |c| evaluation_summary(host, c),
        cmd::ExportEvaluations => |c| export_evaluations(host, c),
        cmd::ExportProgramme => |c| export_programme(host, c),
        cmd::AnswerContact => |c| answer_contact(host, c),
        cmd::ArchiveProgramme => |c| archive_programme(host, c),
        cmd::EraseWhoLeft => |c| erase_who_left(host, c),
        cmd::EraseProgramme => |c| erase_programme(host, c),
    })
}

pub(super) async fn create_programme(
    host: &dyn Host,
    cmd::CreateProgramme { form }: cmd::CreateProgramme,
) -> Answer<String> {
    Ok(host.session()?.create_programme(form, today()).await?)
}

pub(super) async fn programme_setup(
    host: &dyn Host,
    cmd::ProgrammeSetup { programme }: cmd::ProgrammeSetup,
) -> Answer<ProgrammeSetup> {
    Ok(host.session()?.programme_setup(&programme, today()).await?)
}

pub(super) async fn set_checklist(
    host: &dyn Host,
    cmd::SetChecklist {
        programme,
        key,
        done,
    }: cmd::SetChecklist,
) -> Answer<()> {
    Ok(host
        .session()?
        .set_checklist(&programme, &key, done)
        .await?)
}

pub(super) async fn save_settings(
    host: &dyn Host,
    cmd::SaveSettings {
        programme,
        settings,
        quarters,
    }: cmd::SaveSettings,
) -> Answer<()> {
    Ok(host
        .session()?
        .save_settings(&programme, settings, quarters)
        .await?)
}

pub(super) async fn edit_topic(
    host: &dyn Host,
    cmd::EditTopic {
        programme,
        topic,
        title,
        tells,
        ask,
    }: cmd::EditTopic,
) -> Answer<()> {
    Ok(host
        .session()?
        .edit_topic(&programme, &topic, &title, tells, ask)
        .await?)
}

pub(super) async fn save_criteria(
    host: &dyn Host,
    cmd::SaveCriteria {
        programme,
        criteria,
    }: cmd::SaveCriteria,
) -> Answer<()> {
    Ok(host.session()?.save_criteria(&programme, criteria).await?)
}

pub(super) async fn invite(
    host: &dyn Host,
    cmd::Invite {
        programme,
        role,
        name,
        email,
        days,
    }: cmd::Invite,
) -> Answer<InviteResult> {
    Ok(host
        .session()?
        .invite(&programme, role, &name, &email, days)
        .await?)
}

pub(super) async fn import_class_list(
    host: &dyn Host,
    cmd::ImportClassList {
        programme,
        text,
        days,
    }: cmd::ImportClassList,
) -> Answer<ClassListImport> {
    Ok(host
        .session()?
        .import_class_list(&programme, &text, days)
        .await?)
}

pub(super) async fn invitation_template(
    host: &dyn Host,
    cmd::InvitationTemplate { role }: cmd::InvitationTemplate,
) -> Answer<Template> {
    let (subject, body) = host.session()?.invitation_template(role)?;
    Ok(Template { subject, body })
}

pub(super) async fn save_invitation_template(
    host: &dyn Host,
    cmd::SaveInvitationTemplate {
        role,
        subject,
        body,
    }: cmd::SaveInvitationTemplate,
) -> Answer<()> {
    Ok(host
        .session()?
        .save_invitation_template(role, &subject, &body)?)
}

pub(super) async fn revoke_invitation(
    host: &dyn Host,
    cmd::RevokeInvitation {
        programme,
        invitation,
    }: cmd::RevokeInvitation,
) -> Answer<()> {
    Ok(host
        .session()?
        .revoke_invitation(&programme, &invitation)
        .await?)
}

pub(super) async fn refresh_status(
    host: &dyn Host,
    cmd::RefreshStatus { programme }: cmd::RefreshStatus,
) -> Answer<()> {
    Ok(host.session()?.refresh_status(&programme).await?)
}

pub(super) async fn remove_person(
    host: &dyn Host,
    cmd::RemovePerson { programme, person }: cmd::RemovePerson,
) -> Answer<()> {
    Ok(host.session()?.remove_person(&programme, &person).await?)
}

pub(super) async fn suggestions(
    host: &dyn Host,
    cmd::Suggestions { programme, mentee }: cmd::Suggestions,
) -> Answer<Vec<SuggestionView>> {
    Ok(host.session()?.suggestions(&programme, &mentee).await?)
}

pub(super) async fn proposals(
    host: &dyn Host,
    cmd::Proposals { programme }: cmd::Proposals,
) -> Answer<Vec<ProposalView>> {
    Ok(host.session()?.proposals(&programme).await?)
}

pub(super) async fn form_pair(
    host: &dyn Host,
    cmd::FormPair {
        programme,
        mentor,
        mentee,
    }: cmd::FormPair,
) -> Answer<String> {
    Ok(host
        .session()?
        .form_pair(&programme, &mentor, &mentee, today())
        .await?)
}

pub(super) async fn dissolve(
    host: &dyn Host,
    cmd::Dissolve { programme, group }: cmd::Dissolve,
) -> Answer<()> {
    Ok(host
        .session()?
        .dissolve(&programme, &group, today())
        .await?)
}

pub(super) async fn dashboard(
    host: &dyn Host,
    cmd::Dashboard { programme }: cmd::Dashboard,
) -> Answer<Dashboard> {
    Ok(host.session()?.dashboard(&programme, today()).await?)
}

pub(super) async fn evaluation_summary(
    host: &dyn Host,
    cmd::EvaluationSummary { programme }: cmd::EvaluationSummary,
) -> Answer<EvaluationSummary> {
    Ok(host.session()?.evaluation_summary(&programme).await?)
}

pub(super) async fn erase_who_left(
    host: &dyn Host,
    cmd::EraseWhoLeft { programme, person }: cmd::EraseWhoLeft,
) -> Answer<()> {
    Ok(host.session()?.erase_who_left(&programme, &person).await?)
}

pub(super) async fn archive_programme(
    host: &dyn Host,
    cmd::ArchiveProgramme { programme }: cmd::ArchiveProgramme,
) -> Answer<()> {
    Ok(host.session()?.archive_programme(&programme).await?)
}

pub(super) async fn erase_programme(
    host: &dyn Host,
    cmd::EraseProgramme { programme }: cmd::EraseProgramme,
) -> Answer<()> {
    Ok(host.session()?.erase_programme(&programme).await?)
}

pub(super) async fn answer_contact(
    host: &dyn Host,
    cmd::AnswerContact {
        programme,
        person,
        text,
    }: cmd::AnswerContact,
) -> Answer<Vec<ContactThread>> {
    Ok(host
        .session()?
        .answer_contact(&programme, &person, &text, chrono::Utc::now())
        .await?)
}

/// Writes the programme's progress and evaluations as a zip file into the export folder.
pub(super) async fn export_programme(
    host: &dyn Host,
    cmd::ExportProgramme { programme }: cmd::ExportProgramme,
) -> Answer<SavedFile> {
    let (name, bytes) = host
        .session()?
        .export_programme(&programme, today())
        .await?;
    host.save_file(&name, &bytes)
}

/// Writes the evaluation results as a CSV file into the export folder.
pub(super) async fn export_evaluations(
    host: &dyn Host,
    cmd::ExportEvaluations { programme }: cmd::ExportEvaluations,
) -> Answer<SavedFile> {
    let csv = host.session()?.evaluation_csv(&programme).await?;
    host.save_file("mentoring-evaluatie.csv", csv.as_bytes())
}
