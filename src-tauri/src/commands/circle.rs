//! Mentoring Circles: forming one, planning sessions, attendance, certificate, leaflet. Each
//! function answers one command of `mentoring::commands`; it translates, the session decides.

use mentoring::api::{CircleSessionPage, CircleSetup, SavedFile};
use mentoring::commands as cmd;

use serde_json::Value;

use super::{Answer, Shell, route, session, today, write_export};

/// Answers the command called `name`, if it is one of this area's.
pub(super) async fn dispatch(shell: &Shell, name: &str, params: Value) -> Option<Answer<Value>> {
    route!(name, params, {
        cmd::CircleSetup => |c| circle_setup(shell, c),
        cmd::CreateCircle => |c| create_circle(shell, c),
        cmd::PlanSession => |c| plan_session(shell, c),
        cmd::CircleSession => |c| circle_session(shell, c),
        cmd::SetAttendance => |c| set_attendance(shell, c),
        cmd::MarkSessionHeld => |c| mark_session_held(shell, c),
        cmd::SaveCertificate => |c| save_certificate(shell, c),
        cmd::SaveLeaflet => |c| save_leaflet(shell, c),
    })
}

pub(super) async fn circle_setup(
    shell: &Shell,
    cmd::CircleSetup { programme }: cmd::CircleSetup,
) -> Answer<CircleSetup> {
    Ok(session(shell)?.circle_setup(&programme).await?)
}

pub(super) async fn create_circle(
    shell: &Shell,
    cmd::CreateCircle { programme, form }: cmd::CreateCircle,
) -> Answer<String> {
    Ok(session(shell)?.create_circle(&programme, form).await?)
}

pub(super) async fn plan_session(
    shell: &Shell,
    cmd::PlanSession { group, form }: cmd::PlanSession,
) -> Answer<String> {
    Ok(session(shell)?.plan_session(&group, form).await?)
}

pub(super) async fn circle_session(
    shell: &Shell,
    cmd::CircleSession { group, meeting }: cmd::CircleSession,
) -> Answer<CircleSessionPage> {
    Ok(session(shell)?.circle_session(&group, &meeting).await?)
}

pub(super) async fn set_attendance(
    shell: &Shell,
    cmd::SetAttendance {
        group,
        meeting,
        person,
        present,
    }: cmd::SetAttendance,
) -> Answer<()> {
    Ok(session(shell)?
        .set_attendance(&group, &meeting, &person, present)
        .await?)
}

pub(super) async fn mark_session_held(
    shell: &Shell,
    cmd::MarkSessionHeld { group, meeting }: cmd::MarkSessionHeld,
) -> Answer<()> {
    Ok(session(shell)?
        .mark_session_held(&group, &meeting, today())
        .await?)
}

/// Makes her certificate of participation here, offline, and writes it into the export folder.
pub(super) async fn save_certificate(
    shell: &Shell,
    cmd::SaveCertificate { group }: cmd::SaveCertificate,
) -> Answer<SavedFile> {
    let (name, bytes) = session(shell)?.certificate(&group, today()).await?;
    let path = write_export(&shell.launch.export_dir, &name, &bytes)?;
    Ok(SavedFile {
        path: path.display().to_string(),
    })
}

/// Writes the circle leaflet, as a PDF in her language, into the export folder.
pub(super) async fn save_leaflet(
    shell: &Shell,
    cmd::SaveLeaflet {}: cmd::SaveLeaflet,
) -> Answer<SavedFile> {
    let (name, bytes) = session(shell)?.leaflet()?;
    let path = write_export(&shell.launch.export_dir, &name, &bytes)?;
    Ok(SavedFile {
        path: path.display().to_string(),
    })
}
