//! The coordinator's work: setting up, inviting, pairing, following progress, evaluations. Each
//! function answers one command of `mentoring::commands`; it translates, the session decides.

use mentoring::api::{
    Dashboard, EvaluationSummary, InviteResult, ProgrammeSetup, ProposalView, SavedFile,
    SuggestionView, Template,
};
use mentoring::commands as cmd;

use serde_json::Value;

use super::{Answer, Shell, route, session, today, write_export};

/// Answers the command called `name`, if it is one of this area's.
pub(super) async fn dispatch(shell: &Shell, name: &str, params: Value) -> Option<Answer<Value>> {
    route!(name, params, {
        cmd::CreateProgramme => |c| create_programme(shell, c),
        cmd::ProgrammeSetup => |c| programme_setup(shell, c),
        cmd::SetChecklist => |c| set_checklist(shell, c),
        cmd::SaveSettings => |c| save_settings(shell, c),
        cmd::EditTopic => |c| edit_topic(shell, c),
        cmd::SaveCriteria => |c| save_criteria(shell, c),
        cmd::Invite => |c| invite(shell, c),
        cmd::InvitationTemplate => |c| invitation_template(shell, c),
        cmd::SaveInvitationTemplate => |c| save_invitation_template(shell, c),
        cmd::RevokeInvitation => |c| revoke_invitation(shell, c),
        cmd::RefreshStatus => |c| refresh_status(shell, c),
        cmd::RemovePerson => |c| remove_person(shell, c),
        cmd::Suggestions => |c| suggestions(shell, c),
        cmd::Proposals => |c| proposals(shell, c),
        cmd::FormPair => |c| form_pair(shell, c),
        cmd::Dissolve => |c| dissolve(shell, c),
        cmd::Dashboard => |c| dashboard(shell, c),
        cmd::EvaluationSummary => |c| evaluation_summary(shell, c),
        cmd::ExportEvaluations => |c| export_evaluations(shell, c),
    })
}

pub(super) async fn create_programme(
    shell: &Shell,
    cmd::CreateProgramme { form }: cmd::CreateProgramme,
) -> Answer<String> {
    Ok(session(shell)?.create_programme(form, today()).await?)
}

pub(super) async fn programme_setup(
    shell: &Shell,
    cmd::ProgrammeSetup { programme }: cmd::ProgrammeSetup,
) -> Answer<ProgrammeSetup> {
    Ok(session(shell)?.programme_setup(&programme, today()).await?)
}

pub(super) async fn set_checklist(
    shell: &Shell,
    cmd::SetChecklist {
        programme,
        key,
        done,
    }: cmd::SetChecklist,
) -> Answer<()> {
    Ok(session(shell)?
        .set_checklist(&programme, &key, done)
        .await?)
}

pub(super) async fn save_settings(
    shell: &Shell,
    cmd::SaveSettings {
        programme,
        settings,
        quarters,
    }: cmd::SaveSettings,
) -> Answer<()> {
    Ok(session(shell)?
        .save_settings(&programme, settings, quarters)
        .await?)
}

pub(super) async fn edit_topic(
    shell: &Shell,
    cmd::EditTopic {
        programme,
        topic,
        title,
        tells,
        ask,
    }: cmd::EditTopic,
) -> Answer<()> {
    Ok(session(shell)?
        .edit_topic(&programme, &topic, &title, tells, ask)
        .await?)
}

pub(super) async fn save_criteria(
    shell: &Shell,
    cmd::SaveCriteria {
        programme,
        criteria,
    }: cmd::SaveCriteria,
) -> Answer<()> {
    Ok(session(shell)?.save_criteria(&programme, criteria).await?)
}

pub(super) async fn invite(
    shell: &Shell,
    cmd::Invite {
        programme,
        role,
        name,
        email,
        days,
    }: cmd::Invite,
) -> Answer<InviteResult> {
    Ok(session(shell)?
        .invite(&programme, role, &name, &email, days, today())
        .await?)
}

pub(super) async fn invitation_template(
    shell: &Shell,
    cmd::InvitationTemplate { role }: cmd::InvitationTemplate,
) -> Answer<Template> {
    let (subject, body) = session(shell)?.invitation_template(role)?;
    Ok(Template { subject, body })
}

pub(super) async fn save_invitation_template(
    shell: &Shell,
    cmd::SaveInvitationTemplate {
        role,
        subject,
        body,
    }: cmd::SaveInvitationTemplate,
) -> Answer<()> {
    Ok(session(shell)?.save_invitation_template(role, &subject, &body)?)
}

pub(super) async fn revoke_invitation(
    shell: &Shell,
    cmd::RevokeInvitation {
        programme,
        invitation,
    }: cmd::RevokeInvitation,
) -> Answer<()> {
    Ok(session(shell)?
        .revoke_invitation(&programme, &invitation)
        .await?)
}

pub(super) async fn refresh_status(
    shell: &Shell,
    cmd::RefreshStatus { programme }: cmd::RefreshStatus,
) -> Answer<()> {
    Ok(session(shell)?.refresh_status(&programme).await?)
}

pub(super) async fn remove_person(
    shell: &Shell,
    cmd::RemovePerson { programme, person }: cmd::RemovePerson,
) -> Answer<()> {
    Ok(session(shell)?.remove_person(&programme, &person).await?)
}

pub(super) async fn suggestions(
    shell: &Shell,
    cmd::Suggestions { programme, mentee }: cmd::Suggestions,
) -> Answer<Vec<SuggestionView>> {
    Ok(session(shell)?.suggestions(&programme, &mentee).await?)
}

pub(super) async fn proposals(
    shell: &Shell,
    cmd::Proposals { programme }: cmd::Proposals,
) -> Answer<Vec<ProposalView>> {
    Ok(session(shell)?.proposals(&programme).await?)
}

pub(super) async fn form_pair(
    shell: &Shell,
    cmd::FormPair {
        programme,
        mentor,
        mentee,
    }: cmd::FormPair,
) -> Answer<String> {
    Ok(session(shell)?
        .form_pair(&programme, &mentor, &mentee, today())
        .await?)
}

pub(super) async fn dissolve(
    shell: &Shell,
    cmd::Dissolve { programme, group }: cmd::Dissolve,
) -> Answer<()> {
    Ok(session(shell)?
        .dissolve(&programme, &group, today())
        .await?)
}

pub(super) async fn dashboard(
    shell: &Shell,
    cmd::Dashboard { programme }: cmd::Dashboard,
) -> Answer<Dashboard> {
    Ok(session(shell)?.dashboard(&programme, today()).await?)
}

pub(super) async fn evaluation_summary(
    shell: &Shell,
    cmd::EvaluationSummary { programme }: cmd::EvaluationSummary,
) -> Answer<EvaluationSummary> {
    Ok(session(shell)?.evaluation_summary(&programme).await?)
}

/// Writes the evaluation results as a CSV file into the export folder.
pub(super) async fn export_evaluations(
    shell: &Shell,
    cmd::ExportEvaluations { programme }: cmd::ExportEvaluations,
) -> Answer<SavedFile> {
    let csv = session(shell)?.evaluation_csv(&programme).await?;
    let path = write_export(
        &shell.launch.export_dir,
        "mentoring-evaluatie.csv",
        csv.as_bytes(),
    )?;
    Ok(SavedFile {
        path: path.display().to_string(),
    })
}
