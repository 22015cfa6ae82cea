//! The app, her profile and the demo: what the first screens ask. Each function answers one command
//! of `crate::commands`; it translates, the session decides.

use crate::api::{AppInfo, Profile, SyncStatus};
use crate::commands as cmd;

use serde_json::Value;

use super::{Answer, Host, route, today};

/// Answers the command called `name`, if it is one of this area's.
pub(super) async fn dispatch(host: &dyn Host, name: &str, params: Value) -> Option<Answer<Value>> {
    route!(name, params, {
        cmd::AppInfo => |c| app_info(host, c),
        cmd::Notices => |c| notices(host, c),
        cmd::DismissNotices => |c| dismiss_notices(host, c),
        cmd::SyncStatus => |c| sync_status(host, c),
        cmd::Profile => |c| profile(host, c),
        cmd::SaveProfile => |c| save_profile(host, c),
        cmd::SaveProfileRole => |c| save_profile_role(host, c),
        cmd::SetLanguage => |c| set_language(host, c),
        cmd::OpenDemo => |c| open_demo(host, c),
    })
}

pub(super) async fn app_info(host: &dyn Host, cmd::AppInfo {}: cmd::AppInfo) -> Answer<AppInfo> {
    Ok(host.about())
}

pub(super) async fn notices(host: &dyn Host, _: cmd::Notices) -> Answer<Vec<String>> {
    Ok(host.session()?.notices()?)
}

pub(super) async fn dismiss_notices(host: &dyn Host, _: cmd::DismissNotices) -> Answer<()> {
    Ok(host.session()?.dismiss_notices()?)
}

pub(super) async fn sync_status(
    host: &dyn Host,
    cmd::SyncStatus {}: cmd::SyncStatus,
) -> Answer<SyncStatus> {
    Ok(host.session()?.device().status().borrow().clone())
}

pub(super) async fn profile(host: &dyn Host, cmd::Profile {}: cmd::Profile) -> Answer<Profile> {
    Ok(host.session()?.profile()?)
}

pub(super) async fn save_profile(
    host: &dyn Host,
    cmd::SaveProfile { name, role }: cmd::SaveProfile,
) -> Answer<Profile> {
    Ok(host.session()?.save_profile(&name, role).await?)
}

pub(super) async fn save_profile_role(
    host: &dyn Host,
    cmd::SaveProfileRole { role }: cmd::SaveProfileRole,
) -> Answer<()> {
    Ok(host.session()?.set_demo_role(role)?)
}

pub(super) async fn set_language(
    host: &dyn Host,
    cmd::SetLanguage { language }: cmd::SetLanguage,
) -> Answer<Profile> {
    Ok(host.session()?.set_language(language)?)
}

pub(super) async fn open_demo(host: &dyn Host, cmd::OpenDemo {}: cmd::OpenDemo) -> Answer<String> {
    Ok(host.session()?.open_demo(today()).await?)
}
