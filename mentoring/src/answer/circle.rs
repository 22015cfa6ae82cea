//! Mentoring Circles: forming one, planning sessions, attendance, certificate, leaflet. Each
//! function answers one command of `crate::commands`; it translates, the session decides.

use crate::api::{CircleSessionPage, CircleSetup, SavedFile};
use crate::commands as cmd;

use serde_json::Value;

use super::{Answer, Host, route, today};

/// Answers the command called `name`, if it is one of this area's.
pub(super) async fn dispatch(host: &dyn Host, name: &str, params: Value) -> Option<Answer<Value>> {
    route!(name, params, {
        cmd::CircleSetup => |c| circle_setup(host, c),
        cmd::CreateCircle => |c| create_circle(host, c),
        cmd::PlanSession => |c| plan_session(host, c),
        cmd::CircleSession => |c| circle_session(host, c),
        cmd::SetAttendance => |c| set_attendance(host, c),
        cmd::MarkSessionHeld => |c| mark_session_held(host, c),
        cmd::SaveCertificate => |c| save_certificate(host, c),
        cmd::SaveLeaflet => |c| save_leaflet(host, c),
    })
}

pub(super) async fn circle_setup(
    host: &dyn Host,
    cmd::CircleSetup { programme }: cmd::CircleSetup,
) -> Answer<CircleSetup> {
    Ok(host.session()?.circle_setup(&programme).await?)
}

pub(super) async fn create_circle(
    host: &dyn Host,
    cmd::CreateCircle { programme, form }: cmd::CreateCircle,
) -> Answer<String> {
    Ok(host.session()?.create_circle(&programme, form).await?)
}

pub(super) async fn plan_session(
    host: &dyn Host,
    cmd::PlanSession { group, form }: cmd::PlanSession,
) -> Answer<String> {
    Ok(host.session()?.plan_session(&group, form).await?)
}

pub(super) async fn circle_session(
    host: &dyn Host,
    cmd::CircleSession { group, meeting }: cmd::CircleSession,
) -> Answer<CircleSessionPage> {
    Ok(host.session()?.circle_session(&group, &meeting).await?)
}

pub(super) async fn set_attendance(
    host: &dyn Host,
    cmd::SetAttendance {
        group,
        meeting,
        person,
        present,
    }: cmd::SetAttendance,
) -> Answer<()> {
    Ok(host
        .session()?
        .set_attendance(&group, &meeting, &person, present)
        .await?)
}

pub(super) async fn mark_session_held(
    host: &dyn Host,
    cmd::MarkSessionHeld { group, meeting }: cmd::MarkSessionHeld,
) -> Answer<()> {
    Ok(host
        .session()?
        .mark_session_held(&group, &meeting, today())
        .await?)
}

/// Makes her certificate of participation here, offline, and writes it into the export folder.
pub(super) async fn save_certificate(
    host: &dyn Host,
    cmd::SaveCertificate { group }: cmd::SaveCertificate,
) -> Answer<SavedFile> {
    let (name, bytes) = host.session()?.certificate(&group, today()).await?;
    host.save_file(&name, &bytes)
}

/// Writes the circle leaflet, as a PDF in her language, into the export folder.
pub(super) async fn save_leaflet(
    host: &dyn Host,
    cmd::SaveLeaflet {}: cmd::SaveLeaflet,
) -> Answer<SavedFile> {
    let (name, bytes) = host.session()?.leaflet()?;
    host.save_file(&name, &bytes)
}
