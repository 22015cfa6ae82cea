//! The commands the window may call. Each one translates: it takes what the person asked for,
//! calls the `mentoring` crate (mostly [`Session`]), and returns its view values, or an error with
//! a code the window words in the person's language.

use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate, Utc};
use mentoring::api::{
    CircleForm, CircleSessionPage, CircleSetup, Dashboard, Email, EvaluationForm,
    EvaluationSummary, GoalItem, Home, InvitationView, InviteResult, MeetingPage, PreparationPage,
    Profile, ProfileForm, ProgrammeSetup, ProposalView, SavedFile, SessionForm, SuggestionView,
    SyncStatus, TextValue,
};
use mentoring::model::{GoalKind, Language, Role, Settings};
use mentoring::session::{ActionError, ProgrammeForm, Session};
use mentoring::wire::{Devices, LinkCode};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::Shell;

/// An error as the window receives it: a stable code it translates, and the technical detail.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    pub code: String,
    pub detail: String,
}

impl CommandError {
    fn new(code: &str, detail: impl ToString) -> Self {
        CommandError {
            code: code.to_owned(),
            detail: detail.to_string(),
        }
    }
}

impl From<ActionError> for CommandError {
    fn from(e: ActionError) -> Self {
        if matches!(e, ActionError::Device(_)) {
            tracing::warn!(error = %e, "a command failed");
        }
        CommandError {
            code: e.code(),
            detail: e.to_string(),
        }
    }
}

type Answer<T> = Result<T, CommandError>;

fn session(shell: &Shell) -> Answer<Session> {
    shell
        .device
        .clone()
        .map(Session::new)
        .map_err(|e| CommandError::new("storage_unavailable", e))
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub server: Option<String>,
    pub device_id: Option<String>,
    pub startup_error: Option<String>,
}

#[tauri::command]
pub fn app_info(shell: State<'_, Shell>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: shell.launch.data_dir.display().to_string(),
        server: shell.launch.server.as_ref().map(|u| u.to_string()),
        device_id: shell.device.as_ref().ok().map(|d| d.peer_id()),
        startup_error: shell.device.as_ref().err().cloned(),
    }
}

#[tauri::command]
pub fn sync_status(shell: State<'_, Shell>) -> Answer<SyncStatus> {
    Ok(session(&shell)?.device().status().borrow().clone())
}

// -- Profile and first launch ----------------------------------------------------------------

#[tauri::command]
pub fn profile(shell: State<'_, Shell>) -> Answer<Profile> {
    Ok(session(&shell)?.profile()?)
}

#[tauri::command]
pub async fn save_profile(
    shell: State<'_, Shell>,
    name: String,
    role: Option<Role>,
) -> Answer<Profile> {
    Ok(session(&shell)?.save_profile(&name, role).await?)
}

#[tauri::command]
pub fn save_profile_role(shell: State<'_, Shell>, role: Option<Role>) -> Answer<()> {
    Ok(session(&shell)?.set_demo_role(role)?)
}

#[tauri::command]
pub fn set_language(shell: State<'_, Shell>, language: Language) -> Answer<Profile> {
    Ok(session(&shell)?.set_language(language)?)
}

#[tauri::command]
pub async fn open_demo(shell: State<'_, Shell>) -> Answer<String> {
    Ok(session(&shell)?.open_demo(today()).await?)
}

// -- Invitations, profile, evaluation (participants) -----------------------------------------

#[tauri::command]
pub async fn lookup_invitation(
    shell: State<'_, Shell>,
    server: String,
    code: String,
) -> Answer<InvitationView> {
    Ok(session(&shell)?.lookup_invitation(&server, &code).await?)
}

#[tauri::command]
pub async fn accept_invitation(
    shell: State<'_, Shell>,
    server: String,
    code: String,
    name: String,
) -> Answer<String> {
    Ok(session(&shell)?
        .accept_invitation(&server, &code, &name)
        .await?)
}

#[tauri::command]
pub async fn decline_invitation(
    shell: State<'_, Shell>,
    server: String,
    code: String,
) -> Answer<()> {
    Ok(session(&shell)?.decline_invitation(&server, &code).await?)
}

// -- Her devices ------------------------------------------------------------------------------

#[tauri::command]
pub async fn link_code(shell: State<'_, Shell>) -> Answer<LinkCode> {
    Ok(session(&shell)?.link_code().await?)
}

#[tauri::command]
pub async fn join_as_linked_device(
    shell: State<'_, Shell>,
    server: String,
    code: String,
    label: String,
) -> Answer<()> {
    Ok(session(&shell)?
        .join_as_linked_device(&server, &code, &label)
        .await?)
}

#[tauri::command]
pub async fn devices(shell: State<'_, Shell>) -> Answer<Devices> {
    Ok(session(&shell)?.devices().await?)
}

#[tauri::command]
pub async fn remove_device(shell: State<'_, Shell>, peer: String) -> Answer<Devices> {
    Ok(session(&shell)?.remove_device(&peer).await?)
}

#[tauri::command]
pub async fn withdraw(shell: State<'_, Shell>, programme: String) -> Answer<()> {
    Ok(session(&shell)?.withdraw(&programme).await?)
}

#[tauri::command]
pub async fn profile_form(shell: State<'_, Shell>, programme: String) -> Answer<ProfileForm> {
    Ok(session(&shell)?.profile_form(&programme).await?)
}

#[tauri::command]
pub async fn save_profile_form(shell: State<'_, Shell>, form: ProfileForm) -> Answer<ProfileForm> {
    Ok(session(&shell)?.save_profile_form(form).await?)
}

#[tauri::command]
pub async fn evaluation_form(shell: State<'_, Shell>, programme: String) -> Answer<EvaluationForm> {
    Ok(session(&shell)?.evaluation_form(&programme).await?)
}

#[tauri::command]
pub async fn save_evaluation(
    shell: State<'_, Shell>,
    form: EvaluationForm,
    submit: bool,
) -> Answer<EvaluationForm> {
    Ok(session(&shell)?
        .save_evaluation(form, submit, today())
        .await?)
}

// -- The coordinator ---------------------------------------------------------------------------

#[tauri::command]
pub async fn create_programme(shell: State<'_, Shell>, form: ProgrammeForm) -> Answer<String> {
    Ok(session(&shell)?.create_programme(form, today()).await?)
}

#[tauri::command]
pub async fn programme_setup(shell: State<'_, Shell>, programme: String) -> Answer<ProgrammeSetup> {
    Ok(session(&shell)?
        .programme_setup(&programme, today())
        .await?)
}

#[tauri::command]
pub async fn set_checklist(
    shell: State<'_, Shell>,
    programme: String,
    key: String,
    done: bool,
) -> Answer<()> {
    Ok(session(&shell)?
        .set_checklist(&programme, &key, done)
        .await?)
}

#[tauri::command]
pub async fn save_settings(
    shell: State<'_, Shell>,
    programme: String,
    settings: Settings,
    quarters: Vec<(String, String)>,
) -> Answer<()> {
    Ok(session(&shell)?
        .save_settings(&programme, settings, quarters)
        .await?)
}

#[tauri::command]
pub async fn edit_topic(
    shell: State<'_, Shell>,
    programme: String,
    topic: String,
    title: String,
    tells: Vec<String>,
    ask: Vec<String>,
) -> Answer<()> {
    Ok(session(&shell)?
        .edit_topic(&programme, &topic, &title, tells, ask)
        .await?)
}

#[tauri::command]
pub async fn save_criteria(
    shell: State<'_, Shell>,
    programme: String,
    criteria: Vec<(String, u64)>,
) -> Answer<()> {
    Ok(session(&shell)?.save_criteria(&programme, criteria).await?)
}

#[tauri::command]
pub async fn invite(
    shell: State<'_, Shell>,
    programme: String,
    role: Role,
    name: String,
    email: String,
    days: u32,
) -> Answer<InviteResult> {
    Ok(session(&shell)?
        .invite(&programme, role, &name, &email, days, today())
        .await?)
}

#[tauri::command]
pub fn invitation_template(shell: State<'_, Shell>, role: Role) -> Answer<Template> {
    let (subject, body) = session(&shell)?.invitation_template(role)?;
    Ok(Template { subject, body })
}

#[tauri::command]
pub fn save_invitation_template(
    shell: State<'_, Shell>,
    role: Role,
    subject: String,
    body: String,
) -> Answer<()> {
    Ok(session(&shell)?.save_invitation_template(role, &subject, &body)?)
}

#[tauri::command]
pub async fn revoke_invitation(
    shell: State<'_, Shell>,
    programme: String,
    invitation: String,
) -> Answer<()> {
    Ok(session(&shell)?
        .revoke_invitation(&programme, &invitation)
        .await?)
}

#[tauri::command]
pub async fn refresh_status(shell: State<'_, Shell>, programme: String) -> Answer<()> {
    Ok(session(&shell)?.refresh_status(&programme).await?)
}

#[tauri::command]
pub async fn remove_person(
    shell: State<'_, Shell>,
    programme: String,
    person: String,
) -> Answer<()> {
    Ok(session(&shell)?.remove_person(&programme, &person).await?)
}

#[tauri::command]
pub async fn suggestions(
    shell: State<'_, Shell>,
    programme: String,
    mentee: String,
) -> Answer<Vec<SuggestionView>> {
    Ok(session(&shell)?.suggestions(&programme, &mentee).await?)
}

#[tauri::command]
pub async fn proposals(shell: State<'_, Shell>, programme: String) -> Answer<Vec<ProposalView>> {
    Ok(session(&shell)?.proposals(&programme).await?)
}

#[tauri::command]
pub async fn form_pair(
    shell: State<'_, Shell>,
    programme: String,
    mentor: String,
    mentee: String,
) -> Answer<String> {
    Ok(session(&shell)?
        .form_pair(&programme, &mentor, &mentee, today())
        .await?)
}

#[tauri::command]
pub async fn dissolve(shell: State<'_, Shell>, programme: String, group: String) -> Answer<()> {
    Ok(session(&shell)?
        .dissolve(&programme, &group, today())
        .await?)
}

#[tauri::command]
pub async fn dashboard(shell: State<'_, Shell>, programme: String) -> Answer<Dashboard> {
    Ok(session(&shell)?.dashboard(&programme, today()).await?)
}

#[tauri::command]
pub async fn evaluation_summary(
    shell: State<'_, Shell>,
    programme: String,
) -> Answer<EvaluationSummary> {
    Ok(session(&shell)?.evaluation_summary(&programme).await?)
}

/// Writes the evaluation results as a CSV file into the export folder.
#[tauri::command]
pub async fn export_evaluations(shell: State<'_, Shell>, programme: String) -> Answer<SavedFile> {
    let csv = session(&shell)?.evaluation_csv(&programme).await?;
    let path = write_export(
        &shell.launch.export_dir,
        "mentoring-evaluatie.csv",
        csv.as_bytes(),
    )?;
    Ok(SavedFile {
        path: path.display().to_string(),
    })
}

// -- Screens -----------------------------------------------------------------------------------

#[tauri::command]
pub async fn home(shell: State<'_, Shell>) -> Answer<Home> {
    Ok(session(&shell)?.home(today()).await?)
}

#[tauri::command]
pub async fn meeting(
    shell: State<'_, Shell>,
    group: String,
    meeting: String,
) -> Answer<MeetingPage> {
    Ok(session(&shell)?
        .meeting_page(&group, &meeting, today())
        .await?)
}

// -- Notes and goals -------------------------------------------------------------------------

#[tauri::command]
pub async fn write_shared_note(
    shell: State<'_, Shell>,
    group: String,
    meeting: String,
    base: String,
    text: String,
) -> Answer<TextValue> {
    Ok(session(&shell)?
        .write_shared_note(&group, &meeting, &base, &text)
        .await?)
}

#[tauri::command]
pub async fn write_private_note(
    shell: State<'_, Shell>,
    group: String,
    meeting: String,
    base: String,
    text: String,
) -> Answer<TextValue> {
    Ok(session(&shell)?
        .write_private_note(&group, &meeting, &base, &text)
        .await?)
}

#[tauri::command]
pub async fn write_reflections(
    shell: State<'_, Shell>,
    group: String,
    base: String,
    text: String,
) -> Answer<TextValue> {
    Ok(session(&shell)?
        .write_reflections(&group, &base, &text)
        .await?)
}

#[tauri::command]
pub async fn add_goal(
    shell: State<'_, Shell>,
    group: String,
    kind: GoalKind,
    text: String,
    meeting: Option<String>,
) -> Answer<Vec<GoalItem>> {
    Ok(session(&shell)?
        .add_goal(&group, kind, &text, meeting, today())
        .await?)
}

#[tauri::command]
pub async fn set_goal(
    shell: State<'_, Shell>,
    group: String,
    goal: String,
    achieved: bool,
    evaluation: String,
) -> Answer<Vec<GoalItem>> {
    Ok(session(&shell)?
        .set_goal(&group, &goal, achieved, &evaluation)
        .await?)
}

// -- Meetings --------------------------------------------------------------------------------

#[tauri::command]
pub async fn set_asked(
    shell: State<'_, Shell>,
    group: String,
    meeting: String,
    asked: bool,
) -> Answer<()> {
    Ok(session(&shell)?.set_asked(&group, &meeting, asked).await?)
}

#[tauri::command]
pub async fn mark_held(shell: State<'_, Shell>, group: String, meeting: String) -> Answer<()> {
    Ok(session(&shell)?
        .mark_held(&group, &meeting, today())
        .await?)
}

#[tauri::command]
pub async fn plan_meeting(
    shell: State<'_, Shell>,
    group: String,
    date: String,
    time: String,
    place: String,
) -> Answer<String> {
    Ok(session(&shell)?
        .plan_meeting(&group, &date, &time, &place)
        .await?)
}

#[tauri::command]
pub async fn set_meeting_field(
    shell: State<'_, Shell>,
    group: String,
    meeting: String,
    field: String,
    value: String,
) -> Answer<()> {
    Ok(session(&shell)?
        .set_meeting_field(&group, &meeting, &field, &value)
        .await?)
}

// -- Calendar, e-mail, preparation -----------------------------------------------------------

/// Writes a calendar file (one meeting, or the whole schedule) into the export folder.
#[tauri::command]
pub async fn export_calendar(
    shell: State<'_, Shell>,
    group: String,
    meeting: Option<String>,
) -> Answer<SavedFile> {
    let ics = session(&shell)?
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

// -- Mentoring Circles -------------------------------------------------------------------------

#[tauri::command]
pub async fn circle_setup(shell: State<'_, Shell>, programme: String) -> Answer<CircleSetup> {
    Ok(session(&shell)?.circle_setup(&programme).await?)
}

#[tauri::command]
pub async fn create_circle(
    shell: State<'_, Shell>,
    programme: String,
    form: CircleForm,
) -> Answer<String> {
    Ok(session(&shell)?.create_circle(&programme, form).await?)
}

#[tauri::command]
pub async fn plan_session(
    shell: State<'_, Shell>,
    group: String,
    form: SessionForm,
) -> Answer<String> {
    Ok(session(&shell)?.plan_session(&group, form).await?)
}

#[tauri::command]
pub async fn circle_session(
    shell: State<'_, Shell>,
    group: String,
    meeting: String,
) -> Answer<CircleSessionPage> {
    Ok(session(&shell)?.circle_session(&group, &meeting).await?)
}

#[tauri::command]
pub async fn set_attendance(
    shell: State<'_, Shell>,
    group: String,
    meeting: String,
    person: String,
    present: bool,
) -> Answer<()> {
    Ok(session(&shell)?
        .set_attendance(&group, &meeting, &person, present)
        .await?)
}

#[tauri::command]
pub async fn mark_session_held(
    shell: State<'_, Shell>,
    group: String,
    meeting: String,
) -> Answer<()> {
    Ok(session(&shell)?
        .mark_session_held(&group, &meeting, today())
        .await?)
}

/// Makes her certificate of participation here, offline, and writes it into the export folder.
#[tauri::command]
pub async fn save_certificate(shell: State<'_, Shell>, group: String) -> Answer<SavedFile> {
    let (name, bytes) = session(&shell)?.certificate(&group, today()).await?;
    let path = write_export(&shell.launch.export_dir, &name, &bytes)?;
    Ok(SavedFile {
        path: path.display().to_string(),
    })
}

/// Writes the circle leaflet, as a PDF in her language, into the export folder.
#[tauri::command]
pub async fn save_leaflet(shell: State<'_, Shell>) -> Answer<SavedFile> {
    let (name, bytes) = session(&shell)?.leaflet()?;
    let path = write_export(&shell.launch.export_dir, &name, &bytes)?;
    Ok(SavedFile {
        path: path.display().to_string(),
    })
}

fn write_export(dir: &Path, name: &str, bytes: &[u8]) -> Answer<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| CommandError::new("export_failed", e))?;
    let path = dir.join(name);
    let partial = dir.join(format!(".{name}.part"));
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|e| CommandError::new("export_failed", format!("{}: {e}", path.display())))?;
    Ok(path)
}

#[derive(Debug, Clone, Serialize)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

#[tauri::command]
pub fn first_contact_template(shell: State<'_, Shell>) -> Answer<Template> {
    let (subject, body) = session(&shell)?.first_contact_template()?;
    Ok(Template { subject, body })
}

#[derive(Debug, Clone, Deserialize)]
pub struct Proposal {
    pub date: String,
    pub time: String,
}

#[tauri::command]
pub async fn first_contact_email(
    shell: State<'_, Shell>,
    group: String,
    to: String,
    subject: String,
    body: String,
    proposals: Vec<Proposal>,
) -> Answer<Email> {
    let proposals: Vec<(String, String)> =
        proposals.into_iter().map(|p| (p.date, p.time)).collect();
    Ok(session(&shell)?
        .first_contact_email(&group, &to, Some((subject, body)), &proposals)
        .await?)
}

/// Opens a prepared e-mail in the person's mail client. Only `mailto:` addresses are opened.
#[tauri::command]
pub fn open_mail(app: AppHandle, mailto: String) -> Answer<()> {
    if !mailto.starts_with("mailto:") {
        return Err(CommandError::new(
            "bad_field",
            "only mailto: addresses can be opened",
        ));
    }
    app.opener()
        .open_url(mailto, None::<&str>)
        .map_err(|e| CommandError::new("no_mail_client", e))
}

#[tauri::command]
pub async fn preparation(shell: State<'_, Shell>, group: String) -> Answer<Vec<PreparationPage>> {
    Ok(session(&shell)?.preparation(&group).await?)
}

#[tauri::command]
pub async fn write_preparation(
    shell: State<'_, Shell>,
    group: String,
    topic: String,
    base: String,
    text: String,
) -> Answer<TextValue> {
    Ok(session(&shell)?
        .write_preparation(&group, &topic, &base, &text)
        .await?)
}
