//! One person's device in its own process, for the convergence harness: it opens a device on the
//! data directory given as its only argument and does what one JSON line on stdin asks, answering
//! with one JSON line on stdout (`{"ok": ...}` or `{"err": "..."}`). The harness kills it with
//! SIGKILL to crash the device, and starts it again on the same directory to reopen it.

use std::path::PathBuf;

use mentoring::api::{CircleForm, SessionForm, TextValue};
use mentoring::device::Device;
use mentoring::docs::{GroupDoc, NotesDoc};
use mentoring::model::{GoalKind, Role, Settings};
use mentoring::session::{ProgrammeForm, Session};
use mentoring::wire::Directory;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

type Answer = Result<Value, String>;

fn arg<'a>(request: &'a Value, name: &str) -> Result<&'a str, String> {
    request[name]
        .as_str()
        .ok_or_else(|| format!("missing argument {name}"))
}

fn number(request: &Value, name: &str) -> u64 {
    request[name].as_u64().unwrap_or(0)
}

fn role(name: &str) -> Result<Role, String> {
    match name {
        "mentor" => Ok(Role::Mentor),
        "mentee" => Ok(Role::Mentee),
        "student" => Ok(Role::Student),
        "facilitator" => Ok(Role::Facilitator),
        other => Err(format!("unknown role {other}")),
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn failed(e: impl std::fmt::Display) -> String {
    e.to_string()
}

struct Host {
    device: std::sync::Arc<Device>,
    session: Session,
}

impl Host {
    /// The text a person sees in a text field now: a pair meeting's or circle session's shared
    /// notes, or her own notes on it.
    async fn text(&self, request: &Value) -> Result<TextValue, String> {
        let (group, meeting) = (arg(request, "group")?, arg(request, "meeting")?);
        let private = arg(request, "which")? == "private";
        if request["circle"].as_bool().unwrap_or(false) {
            let page = self
                .session
                .circle_session(group, meeting)
                .await
                .map_err(failed)?;
            Ok(if private {
                page.reflection
            } else {
                page.shared_notes
            })
        } else {
            let page = self
                .session
                .meeting_page(group, meeting, today())
                .await
                .map_err(failed)?;
            Ok(if private {
                page.private_notes
            } else {
                page.shared_notes
            })
        }
    }

    async fn write(&self, request: &Value, base: &str, text: &str) -> Result<(), String> {
        let (group, meeting) = (arg(request, "group")?, arg(request, "meeting")?);
        let written = if arg(request, "which")? == "private" {
            self.session
                .write_private_note(group, meeting, base, text)
                .await
        } else {
            self.session
                .write_shared_note(group, meeting, base, text)
                .await
        };
        written.map(|_| ()).map_err(failed)
    }

    async fn handle(&self, request: &Value) -> Answer {
        let s = &self.session;
        match arg(request, "cmd")? {
            "create_programme" => {
                let form = ProgrammeForm {
                    server: arg(request, "server")?.into(),
                    setup_key: arg(request, "setup_key")?.into(),
                    coordinator_name: "Carla".into(),
                    name: "Peer mentoring HBO-ICT".into(),
                    school: "Hogeschool Windesheim".into(),
                    academic_year: String::new(),
                    quarters: Vec::new(),
                    settings: Settings::default(),
                };
                let id = s.create_programme(form, today()).await.map_err(failed)?;
                Ok(json!(id))
            }
            "invite" => {
                let invitation = s
                    .invite(
                        arg(request, "programme")?,
                        role(arg(request, "role")?)?,
                        arg(request, "name")?,
                        "",
                        14,
                    )
                    .await
                    .map_err(failed)?;
                Ok(json!(invitation.code))
            }
            "accept" => {
                s.accept_invitation(
                    arg(request, "server")?,
                    arg(request, "code")?,
                    arg(request, "name")?,
                )
                .await
                .map_err(failed)?;
                Ok(json!(self.session.profile().map_err(failed)?.person_id))
            }
            "link_code" => Ok(json!(s.link_code().await.map_err(failed)?.code)),
            "link" => {
                s.join_as_linked_device(
                    arg(request, "server")?,
                    arg(request, "code")?,
                    arg(request, "label")?,
                )
                .await
                .map_err(failed)?;
                Ok(json!(self.session.profile().map_err(failed)?.person_id))
            }
            "refresh_status" => {
                s.refresh_status(arg(request, "programme")?)
                    .await
                    .map_err(failed)?;
                Ok(Value::Null)
            }
            "form_pair" => Ok(json!(
                s.form_pair(
                    arg(request, "programme")?,
                    arg(request, "mentor")?,
                    arg(request, "mentee")?,
                    today(),
                )
                .await
                .map_err(failed)?
            )),
            "create_circle" => {
                let form = CircleForm {
                    name: "Circle Techniek".into(),
                    organisation: "VHTO".into(),
                    teacher: arg(request, "teacher")?.into(),
                    students: vec![arg(request, "student")?.into()],
                    professionals: Vec::new(),
                };
                let id = s
                    .create_circle(arg(request, "programme")?, form)
                    .await
                    .map_err(failed)?;
                Ok(json!(id))
            }
            "sync_directory" => {
                s.sync_directory().await.map_err(failed)?;
                s.flush_registrations().await.map_err(failed)?;
                Ok(Value::Null)
            }
            "plan_meeting" => Ok(json!(
                s.plan_meeting(arg(request, "group")?, arg(request, "date")?, "14:30", "")
                    .await
                    .map_err(failed)?
            )),
            "plan_session" => {
                let form = SessionForm {
                    date: arg(request, "date")?.into(),
                    time: "15:00".into(),
                    minutes: 90,
                    host: String::new(),
                    school_reason: "reistijd naar de bedrijven".into(),
                    place: String::new(),
                    override_reason: String::new(),
                };
                let id = s
                    .plan_session(arg(request, "group")?, form)
                    .await
                    .map_err(failed)?;
                Ok(json!(id))
            }
            "set_field" => {
                s.set_meeting_field(
                    arg(request, "group")?,
                    arg(request, "meeting")?,
                    arg(request, "field")?,
                    arg(request, "value")?,
                )
                .await
                .map_err(failed)?;
                Ok(Value::Null)
            }
            "attend" => {
                s.set_attendance(
                    arg(request, "group")?,
                    arg(request, "meeting")?,
                    arg(request, "person")?,
                    request["present"].as_bool().unwrap_or(true),
                )
                .await
                .map_err(failed)?;
                Ok(Value::Null)
            }
            "add_goal" => {
                s.add_goal(
                    arg(request, "group")?,
                    GoalKind::Goal,
                    arg(request, "text")?,
                    None,
                    today(),
                )
                .await
                .map_err(failed)?;
                Ok(Value::Null)
            }
            "withdraw" => {
                s.withdraw(arg(request, "programme")?)
                    .await
                    .map_err(failed)?;
                Ok(Value::Null)
            }
            // Types `text` at a point of the field (`at` per mille of its length).
            "type" => {
                let now = self.text(request).await?;
                let chars: Vec<char> = now.text.chars().collect();
                let at = (chars.len() * number(request, "at") as usize / 1000).min(chars.len());
                let mut next: String = chars[..at].iter().collect();
                next.push_str(arg(request, "text")?);
                next.extend(&chars[at..]);
                self.write(request, &now.base, &next).await?;
                Ok(Value::Null)
            }
            // Deletes up to `len` characters from a point of the field; answers what it deleted.
            "erase" => {
                let now = self.text(request).await?;
                let chars: Vec<char> = now.text.chars().collect();
                if chars.is_empty() {
                    return Ok(json!(""));
                }
                let at = (chars.len() * number(request, "at") as usize / 1000).min(chars.len() - 1);
                let end = (at + number(request, "len").max(1) as usize).min(chars.len());
                let gone: String = chars[at..end].iter().collect();
                let next: String = chars[..at].iter().chain(&chars[end..]).collect();
                self.write(request, &now.base, &next).await?;
                Ok(json!(gone))
            }
            "read_text" => Ok(json!(self.text(request).await?.text)),
            "goals" => {
                let group: GroupDoc = self
                    .device
                    .read(arg(request, "group")?)
                    .await
                    .map_err(failed)?;
                let notes: NotesDoc = self.device.read(&group.notes_doc).await.map_err(failed)?;
                let texts: Vec<String> = notes
                    .goals
                    .values()
                    .map(|g| g.text.as_str().to_owned())
                    .collect();
                Ok(json!(texts))
            }
            "meetings" => {
                let group: GroupDoc = self
                    .device
                    .read(arg(request, "group")?)
                    .await
                    .map_err(failed)?;
                let meetings: serde_json::Map<String, Value> = group
                    .meetings
                    .iter()
                    .map(|(id, m)| {
                        let attendance = m
                            .session
                            .as_ref()
                            .map(|c| json!(c.attendance))
                            .unwrap_or(Value::Null);
                        (
                            id.clone(),
                            json!({"place": m.place, "time": m.time, "attendance": attendance}),
                        )
                    })
                    .collect();
                Ok(Value::Object(meetings))
            }
            "offline" => {
                self.device.disconnect();
                Ok(Value::Null)
            }
            "online" => {
                s.connect_saved().map_err(failed)?;
                Ok(Value::Null)
            }
            "status" => Ok(json!(*self.device.status().borrow())),
            // What the server lets her have, and for each document on this device its heads and
            // content, to compare devices.
            "snapshot" => {
                let directory: Directory = self
                    .device
                    .store()
                    .setting("directory")
                    .map_err(failed)?
                    .and_then(|json| serde_json::from_str(&json).ok())
                    .unwrap_or_default();
                let documents: Vec<&str> =
                    directory.documents.iter().map(|d| d.id.as_str()).collect();
                let active: Vec<&str> = directory
                    .memberships
                    .iter()
                    .filter(|m| m.active)
                    .map(|m| m.programme.as_str())
                    .collect();
                let mut held = serde_json::Map::new();
                for entry in self.device.documents().map_err(failed)? {
                    if !self.device.has(&entry.doc_id) {
                        continue;
                    }
                    let content = self
                        .device
                        .with_doc(&entry.doc_id, |d| {
                            let mut heads: Vec<String> =
                                d.get_heads().iter().map(|h| h.to_string()).collect();
                            heads.sort();
                            let content = serde_json::to_value(automerge::AutoSerde::from(&*d))
                                .unwrap_or(Value::Null);
                            Ok(json!({"heads": heads, "content": content}))
                        })
                        .await
                        .map_err(failed)?;
                    held.insert(entry.doc_id, content);
                }
                Ok(json!({"directory": documents, "active_in": active, "held": held}))
            }
            other => Err(format!("unknown command {other}")),
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: device-host <data dir>"),
    );
    tracing_subscriber_init();
    let device = Device::open(&dir).await.expect("open device");
    let session = Session::new(device.clone());
    if let Err(e) = session.connect_saved() {
        eprintln!("could not connect: {e}");
    }
    let host = Host { device, session };
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut out = tokio::io::stdout();
    println!("{}", json!({"ok": "ready"}));
    while let Ok(Some(line)) = lines.next_line().await {
        let answer = match serde_json::from_str::<Value>(&line) {
            Ok(request) => host.handle(&request).await,
            Err(e) => Err(format!("not JSON: {e}")),
        };
        let answer = match answer {
            Ok(value) => json!({ "ok": value }),
            Err(e) => json!({ "err": e }),
        };
        let mut text = answer.to_string();
        text.push('\n');
        if out.write_all(text.as_bytes()).await.is_err() || out.flush().await.is_err() {
            break;
        }
    }
    host.device.close().await;
}

/// Logs to stderr at the level `RUST_LOG` asks for (warnings by default).
fn tracing_subscriber_init() {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
