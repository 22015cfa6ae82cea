//! Joining a programme, her devices, her profile for matching, her evaluation, leaving. Each
//! function answers one command of `crate::commands`; it translates, the session decides.

use crate::api::{ContactMessage, EvaluationForm, InvitationView, ProfileForm, SavedFile};
use crate::commands as cmd;
use crate::wire::{Devices, LinkCode};

use serde_json::Value;

use super::{Answer, Host, route, today};

/// Answers the command called `name`, if it is one of this area's.
pub(super) async fn dispatch(host: &dyn Host, name: &str, params: Value) -> Option<Answer<Value>> {
    route!(name, params, {
        cmd::LookupInvitation => |c| lookup_invitation(host, c),
        cmd::AcceptInvitation => |c| accept_invitation(host, c),
        cmd::DeclineInvitation => |c| decline_invitation(host, c),
        cmd::LinkCode => |c| link_code(host, c),
        cmd::RecoveryCode => |c| recovery_code(host, c),
        cmd::JoinAsLinkedDevice => |c| join_as_linked_device(host, c),
        cmd::Devices => |c| devices(host, c),
        cmd::RemoveDevice => |c| remove_device(host, c),
        cmd::Withdraw => |c| withdraw(host, c),
        cmd::ContactMessages => |c| contact_messages(host, c),
        cmd::SendContactMessage => |c| send_contact_message(host, c),
        cmd::ExportMyData => |c| export_my_data(host, c),
        cmd::EraseMyData => |c| erase_my_data(host, c),
        cmd::ProfileForm => |c| profile_form(host, c),
        cmd::SaveProfileForm => |c| save_profile_form(host, c),
        cmd::EvaluationForm => |c| evaluation_form(host, c),
        cmd::SaveEvaluation => |c| save_evaluation(host, c),
    })
}

pub(super) async fn lookup_invitation(
    host: &dyn Host,
    cmd::LookupInvitation { server, code }: cmd::LookupInvitation,
) -> Answer<InvitationView> {
    Ok(host.session()?.lookup_invitation(&server, &code).await?)
}

pub(super) async fn accept_invitation(
    host: &dyn Host,
    cmd::AcceptInvitation { server, code, name }: cmd::AcceptInvitation,
) -> Answer<String> {
    Ok(host
        .session()?
        .accept_invitation(&server, &code, &name)
        .await?)
}

pub(super) async fn decline_invitation(
    host: &dyn Host,
    cmd::DeclineInvitation { server, code }: cmd::DeclineInvitation,
) -> Answer<()> {
    Ok(host.session()?.decline_invitation(&server, &code).await?)
}

pub(super) async fn recovery_code(
    host: &dyn Host,
    cmd::RecoveryCode {}: cmd::RecoveryCode,
) -> Answer<LinkCode> {
    Ok(host.session()?.recovery_code().await?)
}

pub(super) async fn link_code(
    host: &dyn Host,
    cmd::LinkCode {}: cmd::LinkCode,
) -> Answer<LinkCode> {
    Ok(host.session()?.link_code().await?)
}

pub(super) async fn join_as_linked_device(
    host: &dyn Host,
    cmd::JoinAsLinkedDevice {
        server,
        code,
        label,
    }: cmd::JoinAsLinkedDevice,
) -> Answer<()> {
    Ok(host
        .session()?
        .join_as_linked_device(&server, &code, &label)
        .await?)
}

pub(super) async fn devices(host: &dyn Host, cmd::Devices {}: cmd::Devices) -> Answer<Devices> {
    Ok(host.session()?.devices().await?)
}

pub(super) async fn remove_device(
    host: &dyn Host,
    cmd::RemoveDevice { peer }: cmd::RemoveDevice,
) -> Answer<Devices> {
    Ok(host.session()?.remove_device(&peer).await?)
}

pub(super) async fn contact_messages(
    host: &dyn Host,
    cmd::ContactMessages { programme }: cmd::ContactMessages,
) -> Answer<Vec<ContactMessage>> {
    Ok(host.session()?.contact_messages(&programme).await?)
}

pub(super) async fn send_contact_message(
    host: &dyn Host,
    cmd::SendContactMessage {
        programme,
        about,
        text,
    }: cmd::SendContactMessage,
) -> Answer<Vec<ContactMessage>> {
    Ok(host
        .session()?
        .send_contact_message(&programme, &about, &text, chrono::Utc::now())
        .await?)
}

pub(super) async fn export_my_data(host: &dyn Host, _: cmd::ExportMyData) -> Answer<SavedFile> {
    let (name, bytes) = host.session()?.export_my_data(today()).await?;
    host.save_file(&name, &bytes)
}

pub(super) async fn erase_my_data(host: &dyn Host, _: cmd::EraseMyData) -> Answer<()> {
    host.session()?.erase_me().await?;
    host.start_again();
    Ok(())
}

pub(super) async fn withdraw(
    host: &dyn Host,
    cmd::Withdraw { programme }: cmd::Withdraw,
) -> Answer<()> {
    Ok(host.session()?.withdraw(&programme).await?)
}

pub(super) async fn profile_form(
    host: &dyn Host,
    cmd::ProfileForm { programme }: cmd::ProfileForm,
) -> Answer<ProfileForm> {
    Ok(host.session()?.profile_form(&programme).await?)
}

pub(super) async fn save_profile_form(
    host: &dyn Host,
    cmd::SaveProfileForm { form }: cmd::SaveProfileForm,
) -> Answer<ProfileForm> {
    Ok(host.session()?.save_profile_form(form).await?)
}

pub(super) async fn evaluation_form(
    host: &dyn Host,
    cmd::EvaluationForm { programme }: cmd::EvaluationForm,
) -> Answer<EvaluationForm> {
    Ok(host.session()?.evaluation_form(&programme).await?)
}

pub(super) async fn save_evaluation(
    host: &dyn Host,
    cmd::SaveEvaluation { form, submit }: cmd::SaveEvaluation,
) -> Answer<EvaluationForm> {
    Ok(host
        .session()?
        .save_evaluation(form, submit, today())
        .await?)
}
