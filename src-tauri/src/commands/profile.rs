//! The app, her profile and the demo: what the first screens ask. Each function answers one command
//! of `mentoring::commands`; it translates, the session decides.

use mentoring::api::{AppInfo, Profile, SyncStatus};
use mentoring::commands as cmd;

use serde_json::Value;

use super::{Answer, Shell, route, session, today};

/// Answers the command called `name`, if it is one of this area's.
pub(super) async fn dispatch(shell: &Shell, name: &str, params: Value) -> Option<Answer<Value>> {
    route!(name, params, {
        cmd::AppInfo => |c| app_info(shell, c),
        cmd::SyncStatus => |c| sync_status(shell, c),
        cmd::Profile => |c| profile(shell, c),
        cmd::SaveProfile => |c| save_profile(shell, c),
        cmd::SaveProfileRole => |c| save_profile_role(shell, c),
        cmd::SetLanguage => |c| set_language(shell, c),
        cmd::OpenDemo => |c| open_demo(shell, c),
    })
}

pub(super) async fn app_info(shell: &Shell, cmd::AppInfo {}: cmd::AppInfo) -> Answer<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: shell.launch.data_dir.display().to_string(),
        server: shell.launch.server.as_ref().map(|u| u.to_string()),
        device_id: shell.device.as_ref().ok().map(|d| d.peer_id()),
        startup_error: shell.device.as_ref().err().cloned(),
    })
}

pub(super) async fn sync_status(
    shell: &Shell,
    cmd::SyncStatus {}: cmd::SyncStatus,
) -> Answer<SyncStatus> {
    Ok(session(shell)?.device().status().borrow().clone())
}

pub(super) async fn profile(shell: &Shell, cmd::Profile {}: cmd::Profile) -> Answer<Profile> {
    Ok(session(shell)?.profile()?)
}

pub(super) async fn save_profile(
    shell: &Shell,
    cmd::SaveProfile { name, role }: cmd::SaveProfile,
) -> Answer<Profile> {
    Ok(session(shell)?.save_profile(&name, role).await?)
}

pub(super) async fn save_profile_role(
    shell: &Shell,
    cmd::SaveProfileRole { role }: cmd::SaveProfileRole,
) -> Answer<()> {
    Ok(session(shell)?.set_demo_role(role)?)
}

pub(super) async fn set_language(
    shell: &Shell,
    cmd::SetLanguage { language }: cmd::SetLanguage,
) -> Answer<Profile> {
    Ok(session(shell)?.set_language(language)?)
}

pub(super) async fn open_demo(shell: &Shell, cmd::OpenDemo {}: cmd::OpenDemo) -> Answer<String> {
    Ok(session(shell)?.open_demo(today()).await?)
}
