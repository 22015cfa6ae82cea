//! A pair: home, meeting pages, notes, goals, planning, calendar files, first e-mail, preparation.
//! Each function answers one command of `mentoring::commands`; it translates, the session decides.

use chrono::Utc;
use mentoring::api::{
    Email, ErrorKind, GoalItem, Home, MeetingPage, PreparationPage, SavedFile, Template, TextValue,
};
use mentoring::commands as cmd;

use serde_json::Value;
use tauri_plugin_opener::OpenerExt;

use super::{Answer, CommandError, Shell, route, session, today, write_export};

/// Answers the command called `name`, if it is one of this area's.
pub(super) async fn dispatch(
    shell: &Shell,
    app: &tauri::AppHandle,
    name: &str,
    params: Value,
) -> Option<Answer<Value>> {
    route!(name, params, {
        cmd::Home => |c| home(shell, c),
        cmd::Meeting => |c| meeting(shell, c),
        cmd::WriteSharedNote => |c| write_shared_note(shell, c),
        cmd::WritePrivateNote => |c| write_private_note(shell, c),
        cmd::WriteReflections => |c| write_reflections(shell, c),
        cmd::AddGoal => |c| add_goal(shell, c),
        cmd::SetGoal => |c| set_goal(shell, c),
        cmd::SetAsked => |c| set_asked(shell, c),
        cmd::MarkHeld => |c| mark_held(shell, c),
        cmd::PlanMeeting => |c| plan_meeting(shell, c),
        cmd::SetMeetingField => |c| set_meeting_field(shell, c),
        cmd::ExportCalendar => |c| export_calendar(shell, c),
        cmd::FirstContactTemplate => |c| first_contact_template(shell, c),
        cmd::FirstContactEmail => |c| first_contact_email(shell, c),
        cmd::OpenMail => |c| open_mail(app, c),
        cmd::Preparation => |c| preparation(shell, c),
        cmd::WritePreparation => |c| write_preparation(shell, c),
    })
}

pub(super) async fn home(shell: &Shell, cmd::Home {}: cmd::Home) -> Answer<Home> {
    Ok(session(shell)?.home(today()).await?)
}

pub(super) async fn meeting(
    shell: &Shell,
    cmd::Meeting { group, meeting }: cmd::Meeting,
) -> Answer<MeetingPage> {
    Ok(session(shell)?
        .meeting_page(&group, &meeting, today())
        .await?)
}

pub(super) async fn write_shared_note(
    shell: &Shell,
    cmd::WriteSharedNote {
        group,
        meeting,
        base,
        text,
    }: cmd::WriteSharedNote,
) -> Answer<TextValue> {
    Ok(session(shell)?
        .write_shared_note(&group, &meeting, &base, &text)
        .await?)
}

pub(super) async fn write_private_note(
    shell: &Shell,
    cmd::WritePrivateNote {
        group,
        meeting,
        base,
        text,
    }: cmd::WritePrivateNote,
) -> Answer<TextValue> {
    Ok(session(shell)?
        .write_private_note(&group, &meeting, &base, &text)
        .await?)
}

pub(super) async fn write_reflections(
    shell: &Shell,
    cmd::WriteReflections { group, base, text }: cmd::WriteReflections,
) -> Answer<TextValue> {
    Ok(session(shell)?
        .write_reflections(&group, &base, &text)
        .await?)
}

pub(super) async fn add_goal(
    shell: &Shell,
    cmd::AddGoal {
        group,
        kind,
        text,
        meeting,
    }: cmd::AddGoal,
) -> Answer<Vec<GoalItem>> {
    Ok(session(shell)?
        .add_goal(&group, kind, &text, meeting, today())
        .await?)
}

pub(super) async fn set_goal(
    shell: &Shell,
    cmd::SetGoal {
        group,
        goal,
        achieved,
        evaluation,
    }: cmd::SetGoal,
) -> Answer<Vec<GoalItem>> {
    Ok(session(shell)?
        .set_goal(&group, &goal, achieved, &evaluation)
        .await?)
}

pub(super) async fn set_asked(
    shell: &Shell,
    cmd::SetAsked {
        group,
        meeting,
        asked,
    }: cmd::SetAsked,
) -> Answer<()> {
    Ok(session(shell)?.set_asked(&group, &meeting, asked).await?)
}

pub(super) async fn mark_held(
    shell: &Shell,
    cmd::MarkHeld { group, meeting }: cmd::MarkHeld,
) -> Answer<()> {
    Ok(session(shell)?.mark_held(&group, &meeting, today()).await?)
}

pub(super) async fn plan_meeting(
    shell: &Shell,
    cmd::PlanMeeting {
        group,
        date,
        time,
        place,
    }: cmd::PlanMeeting,
) -> Answer<String> {
    Ok(session(shell)?
        .plan_meeting(&group, &date, &time, &place)
        .await?)
}

pub(super) async fn set_meeting_field(
    shell: &Shell,
    cmd::SetMeetingField {
        group,
        meeting,
        field,
        value,
    }: cmd::SetMeetingField,
) -> Answer<()> {
    Ok(session(shell)?
        .set_meeting_field(&group, &meeting, &field, &value)
        .await?)
}

/// Writes a calendar file (one meeting, or the whole schedule) into the export folder.
pub(super) async fn export_calendar(
    shell: &Shell,
    cmd::ExportCalendar { group, meeting }: cmd::ExportCalendar,
) -> Answer<SavedFile> {
    let ics = session(shell)?
        .calendar(&group, meeting.as_deref(), Utc::now())
        .await?;
    let dir = shell.launch.export_dir.clone();
    let name = match &meeting {
        Some(id) => format!("mentoring-afspraak-{}.ics", &id[..id.len().min(8)]),
        None => "mentoring-schema.ics".to_owned(),
    };
    let path = write_export(&dir, &name, ics.as_bytes())?;
    Ok(SavedFile {
        path: path.display().to_string(),
    })
}

pub(super) async fn first_contact_template(
    shell: &Shell,
    cmd::FirstContactTemplate {}: cmd::FirstContactTemplate,
) -> Answer<Template> {
    let (subject, body) = session(shell)?.first_contact_template()?;
    Ok(Template { subject, body })
}

pub(super) async fn first_contact_email(
    shell: &Shell,
    cmd::FirstContactEmail {
        group,
        to,
        subject,
        body,
        proposals,
    }: cmd::FirstContactEmail,
) -> Answer<Email> {
    let proposals: Vec<(String, String)> =
        proposals.into_iter().map(|p| (p.date, p.time)).collect();
    Ok(session(shell)?
        .first_contact_email(&group, &to, Some((subject, body)), &proposals)
        .await?)
}

/// Opens a prepared e-mail in the person's mail client. Only `mailto:` addresses are opened.
pub(super) async fn open_mail(
    app: &tauri::AppHandle,
    cmd::OpenMail { mailto }: cmd::OpenMail,
) -> Answer<()> {
    if !mailto.starts_with("mailto:") {
        return Err(CommandError::new(
            "bad_field",
            ErrorKind::Invalid,
            "only mailto: addresses can be opened",
        ));
    }
    app.opener()
        .open_url(mailto, None::<&str>)
        .map_err(|e| CommandError::new("no_mail_client", ErrorKind::Infrastructure, e))
}

pub(super) async fn preparation(
    shell: &Shell,
    cmd::Preparation { group }: cmd::Preparation,
) -> Answer<Vec<PreparationPage>> {
    Ok(session(shell)?.preparation(&group).await?)
}

pub(super) async fn write_preparation(
    shell: &Shell,
    cmd::WritePreparation {
        group,
        topic,
        base,
        text,
    }: cmd::WritePreparation,
) -> Answer<TextValue> {
    Ok(session(shell)?
        .write_preparation(&group, &topic, &base, &text)
        .await?)
}
