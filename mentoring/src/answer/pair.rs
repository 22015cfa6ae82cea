//! A pair: home, meeting pages, notes, goals, planning, calendar files, first e-mail, preparation.
//! Each function answers one command of `crate::commands`; it translates, the session decides.

use crate::api::{
    Email, ErrorKind, GoalItem, Home, MeetingPage, PreparationPage, Reminder, SavedFile, Template,
    TextValue,
};
use crate::commands as cmd;
use chrono::Utc;

use serde_json::Value;

use super::{Answer, CommandError, Host, route, today};

/// Answers the command called `name`, if it is one of this area's.
pub(super) async fn dispatch(host: &dyn Host, name: &str, params: Value) -> Option<Answer<Value>> {
    route!(name, params, {
        cmd::Home => |c| home(host, c),
        cmd::Meeting => |c| meeting(host, c),
        cmd::DueReminders => |c| due_reminders(host, c),
        cmd::MarkReminded => |c| mark_reminded(host, c),
        cmd::WriteSharedNote => |c| write_shared_note(host, c),
        cmd::WritePrivateNote => |c| write_private_note(host, c),
        cmd::WriteReflections => |c| write_reflections(host, c),
        cmd::AddGoal => |c| add_goal(host, c),
        cmd::SetGoal => |c| set_goal(host, c),
        cmd::SetAsked => |c| set_asked(host, c),
        cmd::MarkHeld => |c| mark_held(host, c),
        cmd::PlanMeeting => |c| plan_meeting(host, c),
        cmd::SetMeetingField => |c| set_meeting_field(host, c),
        cmd::ExportCalendar => |c| export_calendar(host, c),
        cmd::FirstContactTemplate => |c| first_contact_template(host, c),
        cmd::FirstContactEmail => |c| first_contact_email(host, c),
        cmd::OpenMail => |c| open_mail(host, c),
        cmd::Preparation => |c| preparation(host, c),
        cmd::WritePreparation => |c| write_preparation(host, c),
    })
}

pub(super) async fn home(host: &dyn Host, cmd::Home {}: cmd::Home) -> Answer<Home> {
    Ok(host.session()?.home(today()).await?)
}

pub(super) async fn meeting(
    host: &dyn Host,
    cmd::Meeting { group, meeting }: cmd::Meeting,
) -> Answer<MeetingPage> {
    Ok(host
        .session()?
        .meeting_page(&group, &meeting, today())
        .await?)
}

pub(super) async fn due_reminders(
    host: &dyn Host,
    cmd::DueReminders {}: cmd::DueReminders,
) -> Answer<Vec<Reminder>> {
    Ok(host.session()?.due_reminders(today()).await?)
}

pub(super) async fn mark_reminded(
    host: &dyn Host,
    cmd::MarkReminded { reminders }: cmd::MarkReminded,
) -> Answer<()> {
    Ok(host.session()?.mark_reminded(&reminders)?)
}

pub(super) async fn write_shared_note(
    host: &dyn Host,
    cmd::WriteSharedNote {
        group,
        meeting,
        base,
        text,
    }: cmd::WriteSharedNote,
) -> Answer<TextValue> {
    Ok(host
        .session()?
        .write_shared_note(&group, &meeting, &base, &text)
        .await?)
}

pub(super) async fn write_private_note(
    host: &dyn Host,
    cmd::WritePrivateNote {
        group,
        meeting,
        base,
        text,
    }: cmd::WritePrivateNote,
) -> Answer<TextValue> {
    Ok(host
        .session()?
        .write_private_note(&group, &meeting, &base, &text)
        .await?)
}

pub(super) async fn write_reflections(
    host: &dyn Host,
    cmd::WriteReflections { group, base, text }: cmd::WriteReflections,
) -> Answer<TextValue> {
    Ok(host
        .session()?
        .write_reflections(&group, &base, &text)
        .await?)
}

pub(super) async fn add_goal(
    host: &dyn Host,
    cmd::AddGoal {
        group,
        kind,
        text,
        meeting,
    }: cmd::AddGoal,
) -> Answer<Vec<GoalItem>> {
    Ok(host
        .session()?
        .add_goal(&group, kind, &text, meeting, today())
        .await?)
}

pub(super) async fn set_goal(
    host: &dyn Host,
    cmd::SetGoal {
        group,
        goal,
        achieved,
        evaluation,
    }: cmd::SetGoal,
) -> Answer<Vec<GoalItem>> {
    Ok(host
        .session()?
        .set_goal(&group, &goal, achieved, &evaluation)
        .await?)
}

pub(super) async fn set_asked(
    host: &dyn Host,
    cmd::SetAsked {
        group,
        meeting,
        asked,
    }: cmd::SetAsked,
) -> Answer<()> {
    Ok(host.session()?.set_asked(&group, &meeting, asked).await?)
}

pub(super) async fn mark_held(
    host: &dyn Host,
    cmd::MarkHeld { group, meeting }: cmd::MarkHeld,
) -> Answer<()> {
    Ok(host.session()?.mark_held(&group, &meeting, today()).await?)
}

pub(super) async fn plan_meeting(
    host: &dyn Host,
    cmd::PlanMeeting {
        group,
        date,
        time,
        place,
    }: cmd::PlanMeeting,
) -> Answer<String> {
    Ok(host
        .session()?
        .plan_meeting(&group, &date, &time, &place)
        .await?)
}

pub(super) async fn set_meeting_field(
    host: &dyn Host,
    cmd::SetMeetingField {
        group,
        meeting,
        field,
        value,
    }: cmd::SetMeetingField,
) -> Answer<()> {
    Ok(host
        .session()?
        .set_meeting_field(&group, &meeting, &field, &value)
        .await?)
}

/// Writes a calendar file (one meeting, or the whole schedule) into the export folder.
pub(super) async fn export_calendar(
    host: &dyn Host,
    cmd::ExportCalendar { group, meeting }: cmd::ExportCalendar,
) -> Answer<SavedFile> {
    let ics = host
        .session()?
        .calendar(&group, meeting.as_deref(), Utc::now())
        .await?;
    let name = match &meeting {
        Some(id) => format!("mentoring-afspraak-{}.ics", &id[..id.len().min(8)]),
        None => "mentoring-schema.ics".to_owned(),
    };
    host.save_file(&name, ics.as_bytes())
}

pub(super) async fn first_contact_template(
    host: &dyn Host,
    cmd::FirstContactTemplate {}: cmd::FirstContactTemplate,
) -> Answer<Template> {
    let (subject, body) = host.session()?.first_contact_template()?;
    Ok(Template { subject, body })
}

pub(super) async fn first_contact_email(
    host: &dyn Host,
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
    Ok(host
        .session()?
        .first_contact_email(&group, &to, Some((subject, body)), &proposals)
        .await?)
}

/// Opens a prepared e-mail in the person's mail client. Only `mailto:` addresses are opened.
pub(super) async fn open_mail(
    host: &dyn Host,
    cmd::OpenMail { mailto }: cmd::OpenMail,
) -> Answer<()> {
    if !mailto.starts_with("mailto:") {
        return Err(CommandError::new(
            "bad_field",
            ErrorKind::Invalid,
            "only mailto: addresses can be opened",
        ));
    }
    host.open_mail(&mailto)
}

pub(super) async fn preparation(
    host: &dyn Host,
    cmd::Preparation { group }: cmd::Preparation,
) -> Answer<Vec<PreparationPage>> {
    Ok(host.session()?.preparation(&group).await?)
}

pub(super) async fn write_preparation(
    host: &dyn Host,
    cmd::WritePreparation {
        group,
        topic,
        base,
        text,
    }: cmd::WritePreparation,
) -> Answer<TextValue> {
    Ok(host
        .session()?
        .write_preparation(&group, &topic, &base, &text)
        .await?)
}
