//! Joining a programme, her devices, her profile for matching, her evaluation, leaving. Each
//! function answers one command of `mentoring::commands`; it translates, the session decides.

use mentoring::api::{EvaluationForm, InvitationView, ProfileForm};
use mentoring::commands as cmd;
use mentoring::wire::{Devices, LinkCode};

use serde_json::Value;

use super::{Answer, Shell, route, session, today};

/// Answers the command called `name`, if it is one of this area's.
pub(super) async fn dispatch(shell: &Shell, name: &str, params: Value) -> Option<Answer<Value>> {
    route!(name, params, {
        cmd::LookupInvitation => |c| lookup_invitation(shell, c),
        cmd::AcceptInvitation => |c| accept_invitation(shell, c),
        cmd::DeclineInvitation => |c| decline_invitation(shell, c),
        cmd::LinkCode => |c| link_code(shell, c),
        cmd::JoinAsLinkedDevice => |c| join_as_linked_device(shell, c),
        cmd::Devices => |c| devices(shell, c),
        cmd::RemoveDevice => |c| remove_device(shell, c),
        cmd::Withdraw => |c| withdraw(shell, c),
        cmd::ProfileForm => |c| profile_form(shell, c),
        cmd::SaveProfileForm => |c| save_profile_form(shell, c),
        cmd::EvaluationForm => |c| evaluation_form(shell, c),
        cmd::SaveEvaluation => |c| save_evaluation(shell, c),
    })
}

pub(super) async fn lookup_invitation(
    shell: &Shell,
    cmd::LookupInvitation { server, code }: cmd::LookupInvitation,
) -> Answer<InvitationView> {
    Ok(session(shell)?.lookup_invitation(&server, &code).await?)
}

pub(super) async fn accept_invitation(
    shell: &Shell,
    cmd::AcceptInvitation { server, code, name }: cmd::AcceptInvitation,
) -> Answer<String> {
    Ok(session(shell)?
        .accept_invitation(&server, &code, &name)
        .await?)
}

pub(super) async fn decline_invitation(
    shell: &Shell,
    cmd::DeclineInvitation { server, code }: cmd::DeclineInvitation,
) -> Answer<()> {
    Ok(session(shell)?.decline_invitation(&server, &code).await?)
}

pub(super) async fn link_code(shell: &Shell, cmd::LinkCode {}: cmd::LinkCode) -> Answer<LinkCode> {
    Ok(session(shell)?.link_code().await?)
}

pub(super) async fn join_as_linked_device(
    shell: &Shell,
    cmd::JoinAsLinkedDevice {
        server,
        code,
        label,
    }: cmd::JoinAsLinkedDevice,
) -> Answer<()> {
    Ok(session(shell)?
        .join_as_linked_device(&server, &code, &label)
        .await?)
}

pub(super) async fn devices(shell: &Shell, cmd::Devices {}: cmd::Devices) -> Answer<Devices> {
    Ok(session(shell)?.devices().await?)
}

pub(super) async fn remove_device(
    shell: &Shell,
    cmd::RemoveDevice { peer }: cmd::RemoveDevice,
) -> Answer<Devices> {
    Ok(session(shell)?.remove_device(&peer).await?)
}

pub(super) async fn withdraw(
    shell: &Shell,
    cmd::Withdraw { programme }: cmd::Withdraw,
) -> Answer<()> {
    Ok(session(shell)?.withdraw(&programme).await?)
}

pub(super) async fn profile_form(
    shell: &Shell,
    cmd::ProfileForm { programme }: cmd::ProfileForm,
) -> Answer<ProfileForm> {
    Ok(session(shell)?.profile_form(&programme).await?)
}

pub(super) async fn save_profile_form(
    shell: &Shell,
    cmd::SaveProfileForm { form }: cmd::SaveProfileForm,
) -> Answer<ProfileForm> {
    Ok(session(shell)?.save_profile_form(form).await?)
}

pub(super) async fn evaluation_form(
    shell: &Shell,
    cmd::EvaluationForm { programme }: cmd::EvaluationForm,
) -> Answer<EvaluationForm> {
    Ok(session(shell)?.evaluation_form(&programme).await?)
}

pub(super) async fn save_evaluation(
    shell: &Shell,
    cmd::SaveEvaluation { form, submit }: cmd::SaveEvaluation,
) -> Answer<EvaluationForm> {
    Ok(session(shell)?
        .save_evaluation(form, submit, today())
        .await?)
}
