//! Mentoring Circles: a circle on its member's home screen (members, sessions, planning, the
//! certificate), a session's own screen (agenda, circle notes, her reflection, attendance), the
//! leaflet, and the coordinator's tab to form circles.

use leptos::prelude::*;
use pm_domain::api::{
    CircleForm, CircleHome, CircleSessionPage, CircleSetup, Home as HomeView, SavedFile,
    SessionCard, SessionForm,
};
use pm_domain::circle::{LEAFLET_SECTIONS, composition_warnings, warning_text};
use pm_domain::commands as cmd;
use pm_domain::model::{MeetingStatus, Role};

use crate::tauri::call;
use crate::widgets::{NoteEditor, Tr, saver};
use crate::{Route, use_ctx};

pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Student => "role.student",
        Role::Professional => "role.professional",
        Role::Facilitator => "role.facilitator",
        Role::Coordinator => "role.coordinator",
        Role::Mentor => "role.mentor",
        Role::Mentee => "role.mentee",
    }
}

/// One session in a list.
#[component]
fn SessionItem(group: String, card: SessionCard) -> impl IntoView {
    let ctx = use_ctx();
    let meeting = card.meeting.clone();
    let held = card.status == MeetingStatus::Held;
    view! {
        <li class="session-card" data-number=card.number data-status=if held { "held" } else { "planned" }>
            <p>
                <strong>{move || ctx.t("circle.session_n").replace("{n}", &card.number.to_string())}</strong>
                " · " {card.date_label.clone()} " " {card.time.clone()} " · " {card.minutes} " min"
                " · " <Tr k=if held { "circle.held" } else { "circle.planned" } />
            </p>
            <p class="muted">{card.place.clone()}</p>
            <p class="muted"><Tr k="circle.leads" /> ": " {card.leads.clone()} " · " <Tr k="circle.present" /> ": " {card.present.clone()}</p>
            {(!card.exception.is_empty()).then(|| view! { <p class="muted exception">{card.exception.clone()}</p> })}
            {(!card.attendance.is_empty()).then(|| view! { <p class="attendance-count">{card.attendance.clone()}</p> })}
            {card.i_attended.map(|yes| view! {
                <p class="my-attendance"><Tr k=if yes { "circle.you_attended" } else { "circle.you_missed" } /></p>
            })}
            <button class="secondary open-session" on:click=move |_| ctx.go(Route::CircleSession { group: group.clone(), meeting: meeting.clone() })>
                <Tr k="circle.open_session" />
            </button>
        </li>
    }
}

/// A circle on its member's home screen. The planning form lives outside the parts that
/// re-render on every change, so what she types survives a sync.
#[component]
pub fn CircleSection(id: String, home: RwSignal<Option<HomeView>>) -> impl IntoView {
    let ctx = use_ctx();
    let circle = {
        let id = id.clone();
        Memo::new(move |_| {
            home.with(|h| {
                h.as_ref()
                    .and_then(|h| h.circles.iter().find(|c| c.group == id).cloned())
            })
        })
    };
    let saved = RwSignal::new(None::<String>);
    let download = {
        let group = id.clone();
        move |_| {
            ctx.run(
                cmd::SaveCertificate {
                    group: group.clone(),
                },
                move |f: SavedFile| saved.set(Some(f.path)),
            )
        }
    };
    let first = circle.get_untracked();
    let name = first.as_ref().map(|c| c.name.clone()).unwrap_or_default();
    let planner = first.filter(|c| c.can_plan);
    view! {
        <section class="card circle-home" id=format!("circle-{id}") data-name=name>
            {move || circle.get().map(|circle| {
                let group = circle.group.clone();
                let download = download.clone();
                view! {
                    <header class="group-header">
                        <h2>{circle.name.clone()}</h2>
                        <span class="badge"><Tr k="circle.badge" /></span>
                        <p class="muted">{circle.programme.clone()} " · " {circle.school.clone()} " · " <Tr k=role_key(circle.my_role) /></p>
                    </header>
                    {circle.warnings.iter().map(|w| view! { <p class="warning circle-warning">{w.clone()}</p> }).collect_view()}
                    <h3><Tr k="circle.sessions" /></h3>
                    {circle.sessions.is_empty().then(|| view! { <p class="muted"><Tr k="circle.no_sessions" /></p> })}
                    <ul class="sessions">
                        {circle.sessions.iter().cloned().map(|card| view! { <SessionItem group=group.clone() card=card /> }).collect_view()}
                    </ul>
                    {circle.certificate.clone().map(|c| view! {
                        <div class="certificate" id="certificate">
                            <h3><Tr k="circle.certificate" /></h3>
                            {if c.available {
                                view! {
                                    <p><Tr k="circle.certificate_hint" /></p>
                                    <button id="download-certificate" on:click=download.clone()><Tr k="circle.certificate_button" /></button>
                                }.into_any()
                            } else {
                                view! { <p id="certificate-state" class="muted">{c.explanation.clone()}</p> }.into_any()
                            }}
                        </div>
                    })}
                    <details class="members">
                        <summary><Tr k="circle.members" /> " (" {circle.members.len()} ")"</summary>
                        <ul>
                            {circle.members.iter().map(|m| view! {
                                <li class="circle-member"><strong>{m.name.clone()}</strong> " · " <Tr k=role_key(m.role) />
                                    {(!m.detail.is_empty()).then(|| format!(" · {}", m.detail))}</li>
                            }).collect_view()}
                        </ul>
                    </details>
                }
            })}
            {move || saved.get().map(|p| view! { <p id="certificate-saved" class="saved">{p}</p> })}
            {planner.map(|circle| view! { <PlanSession circle=circle /> })}
            <button class="link" id="open-leaflet" on:click=move |_| ctx.go(Route::Leaflet)><Tr k="circle.leaflet" /></button>
        </section>
    }
}

/// Planning a session: date, time, duration, at a professional's company or at school.
#[component]
fn PlanSession(circle: CircleHome) -> impl IntoView {
    let ctx = use_ctx();
    let date = RwSignal::new(String::new());
    let time = RwSignal::new("15:00".to_owned());
    let minutes = RwSignal::new("120".to_owned());
    let host = RwSignal::new(
        circle
            .hosts
            .first()
            .map(|h| h.person.clone())
            .unwrap_or_default(),
    );
    let reason = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let exception = RwSignal::new(String::new());
    let group = circle.group.clone();
    let plan = move |_| {
        let planned_date = date.get_untracked();
        let planned_exception = exception.get_untracked();
        let form = SessionForm {
            date: date.get_untracked(),
            time: time.get_untracked(),
            minutes: minutes.get_untracked().trim().parse().unwrap_or(0),
            host: host.get_untracked(),
            school_reason: reason.get_untracked(),
            place: place.get_untracked(),
            override_reason: exception.get_untracked(),
        };
        ctx.run(
            cmd::PlanSession {
                group: group.clone(),
                form,
            },
            move |_: String| {
                // Empty the form for the next session, unless she already typed on (the answer
                // can come after the new session showed up through sync).
                if date.get_untracked() == planned_date {
                    date.set(String::new());
                }
                if exception.get_untracked() == planned_exception {
                    exception.set(String::new());
                }
                ctx.refresh.update(|n| *n += 1);
            },
        );
    };
    let text =
        |id: &'static str, label: &'static str, kind: &'static str, value: RwSignal<String>| {
            view! {
                <label for=id><Tr k=label /></label>
                <input id=id type=kind prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    on:change=move |ev| value.set(event_target_value(&ev)) />
            }
        };
    view! {
        <details class="plan-session" id="plan-session-form">
            <summary id="plan-session-open"><Tr k="circle.plan" /></summary>
            {text("session-date", "circle.date", "date", date)}
            {text("session-time", "circle.time", "time", time)}
            {text("session-minutes", "circle.minutes", "number", minutes)}
            <label for="session-host"><Tr k="circle.where" /></label>
            <select id="session-host" on:change=move |ev| host.set(event_target_value(&ev))>
                {circle.hosts.clone().into_iter().map(|h| {
                    let label = move || ctx.t("circle.at_company").replace("{name}", &h.name);
                    let value = h.person.clone();
                    let selected = host.get_untracked() == value;
                    view! { <option value=value selected=selected>{label.clone()}</option> }
                }).collect_view()}
                <option value="" selected=circle.hosts.is_empty()>{move || ctx.t("circle.school")}</option>
            </select>
            <Show when=move || host.get().is_empty()>
                {text("session-school-reason", "circle.school_reason", "text", reason)}
            </Show>
            {text("session-place", "circle.address", "text", place)}
            {text("session-override", "circle.override_reason", "text", exception)}
            <button id="plan-session" on:click=plan><Tr k="circle.plan_button" /></button>
        </details>
    }
}

/// A circle session's own screen.
#[component]
pub fn CircleSession(group: String, meeting: String) -> impl IntoView {
    let ctx = use_ctx();
    let page = RwSignal::new(None::<CircleSessionPage>);
    {
        let (group, meeting) = (group.clone(), meeting.clone());
        Effect::new(move |_| {
            ctx.refresh.track();
            ctx.lang.track();
            ctx.load(
                cmd::CircleSession {
                    group: group.clone(),
                    meeting: meeting.clone(),
                },
                move |p: CircleSessionPage| page.set(Some(p)),
            );
        });
    }
    let shared = Signal::derive(move || page.get().map(|p| p.shared_notes));
    let reflection = Signal::derive(move || page.get().map(|p| p.reflection));
    let note_saver = |private: bool, group: String, meeting: String| {
        saver(move |base, text| {
            let (group, meeting) = (group.clone(), meeting.clone());
            async move {
                if private {
                    call(&cmd::WritePrivateNote {
                        group,
                        meeting,
                        base,
                        text,
                    })
                    .await
                } else {
                    call(&cmd::WriteSharedNote {
                        group,
                        meeting,
                        base,
                        text,
                    })
                    .await
                }
            }
        })
    };
    let save_shared = note_saver(false, group.clone(), meeting.clone());
    let save_reflection = note_saver(true, group.clone(), meeting.clone());
    let (g, m) = (group.clone(), meeting.clone());
    let close = move |_| {
        ctx.run(
            cmd::MarkSessionHeld {
                group: g.clone(),
                meeting: m.clone(),
            },
            move |_: ()| ctx.refresh.update(|n| *n += 1),
        )
    };
    let (g, m) = (group.clone(), meeting.clone());
    let attend = move |person: String, present: bool| {
        ctx.run(
            cmd::SetAttendance {
                group: g.clone(),
                meeting: m.clone(),
                person,
                present,
            },
            move |_: ()| ctx.refresh.update(|n| *n += 1),
        )
    };
    view! {
        <button class="link back" id="back-home" on:click=move |_| ctx.go(Route::Home)>"← " <Tr k="nav.home" /></button>
        <div id="circle-session">
            {move || page.get().map(|p| view! {
                <section class="card">
                    <h2>{p.circle.clone()} " · " {ctx.t("circle.session_n").replace("{n}", &p.card.number.to_string())}</h2>
                    <p>{p.card.date_label.clone()} " " {p.card.time.clone()} " · " {p.card.minutes} " min"</p>
                    <p class="muted">{p.card.place.clone()}</p>
                    <p><Tr k="circle.leads" /> ": " <strong id="session-leads">{p.card.leads.clone()}</strong></p>
                    <p><Tr k="circle.present" /> ": " {p.card.present.clone()}</p>
                </section>
                <section class="card" id="agenda">
                    <h3><Tr k="circle.agenda" /></h3>
                    <ol>
                        {p.agenda.iter().map(|(theme, ask)| view! { <li><strong>{theme.clone()}</strong> " — " {ask.clone()}</li> }).collect_view()}
                    </ol>
                </section>
            })}
        </div>
        <section class="card">
            <NoteEditor id="circle-notes" label="circle.notes" value=shared save=save_shared rows=8 />
        </section>
        <section class="card private">
            <NoteEditor id="circle-reflection" label="circle.reflection" value=reflection save=save_reflection rows=4 />
        </section>
        <section class="card" id="attendance">
            <h3><Tr k="circle.attendance" /></h3>
            <p class="muted"><Tr k="circle.attendance_hint" /></p>
            {move || page.get().map(|p| {
                let editable = p.can_take_attendance;
                view! {
                    <ul>
                        {p.attendance.into_iter().map(|row| {
                            let person = row.person.clone();
                            let attend = attend.clone();
                            view! {
                                <li class="attendance-row">
                                    <label>
                                        <input type="checkbox" class="attend" data-name=row.name.clone()
                                            prop:checked=row.present == Some(true) disabled=!editable
                                            on:change=move |ev| attend(person.clone(), event_target_checked(&ev)) />
                                        " " {row.name.clone()} " · " <Tr k=role_key(row.role) />
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(editable && p.card.status != MeetingStatus::Held).then(|| view! {
                        <button id="mark-session-held" on:click=close.clone()><Tr k="circle.mark_held" /></button>
                    })}
                    {(p.card.status == MeetingStatus::Held).then(|| view! {
                        <p id="session-held" class="saved"><Tr k="circle.held" /></p>
                    })}
                }
            })}
        </section>
    }
}

/// The leaflet for students about what a circle is: to read, print or save as PDF.
#[component]
pub fn Leaflet() -> impl IntoView {
    let ctx = use_ctx();
    let saved = RwSignal::new(None::<String>);
    let save = move |_| {
        ctx.run(cmd::SaveLeaflet {}, move |f: SavedFile| {
            saved.set(Some(f.path))
        })
    };
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <button class="link back no-print" id="back-home" on:click=move |_| ctx.go(Route::Home)>"← " <Tr k="nav.home" /></button>
        <article class="card leaflet" id="leaflet">
            <h2><Tr k="leaflet.title" /></h2>
            {LEAFLET_SECTIONS.iter().map(|&(heading, body)| view! {
                <h3><Tr k=heading /></h3>
                <p><Tr k=body /></p>
            }).collect_view()}
        </article>
        <p class="no-print">
            <button id="print-leaflet" class="secondary" on:click=print><Tr k="leaflet.print" /></button>
            " "
            <button id="save-leaflet" on:click=save><Tr k="leaflet.save_pdf" /></button>
        </p>
        {move || saved.get().map(|p| view! { <p id="leaflet-saved" class="saved">{p}</p> })}
    }
}

/// The coordinator's tab: form circles from accepted students, professionals and teachers, and
/// follow their sessions (dates and attendance, never notes).
#[component]
pub fn CirclesTab(programme: String) -> impl IntoView {
    let ctx = use_ctx();
    let setup = RwSignal::new(None::<CircleSetup>);
    let name = RwSignal::new(String::new());
    let organisation = RwSignal::new("VHTO".to_owned());
    let teacher = RwSignal::new(String::new());
    let students = RwSignal::new(Vec::<String>::new());
    let professionals = RwSignal::new(Vec::<String>::new());
    {
        let programme = programme.clone();
        Effect::new(move |_| {
            ctx.refresh.track();
            ctx.load(
                cmd::CircleSetup {
                    programme: programme.clone(),
                },
                move |s: CircleSetup| setup.set(Some(s)),
            );
        });
    }
    let warnings = move || {
        let lang = ctx.lang.get();
        composition_warnings(students.get().len(), professionals.get().len())
            .into_iter()
            .map(|w| warning_text(w, lang))
            .collect::<Vec<_>>()
    };
    let create = move |_| {
        let form = CircleForm {
            name: name.get_untracked(),
            organisation: organisation.get_untracked(),
            teacher: teacher.get_untracked(),
            students: students.get_untracked(),
            professionals: professionals.get_untracked(),
        };
        ctx.run(
            cmd::CreateCircle {
                programme: programme.clone(),
                form,
            },
            move |_: String| {
                name.set(String::new());
                students.set(Vec::new());
                professionals.set(Vec::new());
                ctx.refresh.update(|n| *n += 1);
            },
        );
    };
    let toggle = |list: RwSignal<Vec<String>>, person: String, on: bool| {
        list.update(|l| {
            l.retain(|p| *p != person);
            if on {
                l.push(person);
            }
        })
    };
    let choices = move |list: RwSignal<Vec<String>>, role: Role| {
        setup.get().map(|s| {
            let people = if role == Role::Student { s.students } else { s.professionals };
            if people.is_empty() {
                return view! { <p class="muted"><Tr k="circle.none_accepted" /></p> }.into_any();
            }
            view! {
                <ul class="choices">
                    {people.into_iter().map(|c| {
                        let person = c.person.clone();
                        view! {
                            <li>
                                <label>
                                    <input type="checkbox" class=format!("choose-{}", if role == Role::Student { "student" } else { "professional" })
                                        data-name=c.name.clone()
                                        prop:checked=move || list.get().contains(&c.person)
                                        on:change=move |ev| toggle(list, person.clone(), event_target_checked(&ev)) />
                                    " " <strong>{c.name.clone()}</strong> " · " {c.detail.clone()}
                                    {c.circle.clone().map(|n| format!(" · {n}"))}
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        })
    };
    view! {
        <section class="card" id="circles">
            <h3><Tr k="circle.list" /></h3>
            {move || setup.get().map(|s| s.circles.into_iter().map(|c| view! {
                <div class="circle-row" data-name=c.name.clone()>
                    <p><strong>{c.name.clone()}</strong> " · " {c.students} " " <Tr k="circle.students" /> ", "
                        {c.professionals} " " <Tr k="circle.professionals" /> " · " <Tr k="circle.teacher" /> ": " {c.teacher.clone()}</p>
                    {c.warnings.iter().map(|w| view! { <p class="warning">{w.clone()}</p> }).collect_view()}
                    <p class="muted sessions-held">{
                        let (held, planned) = (c.held.to_string(), c.sessions.len().to_string());
                        move || ctx.t("circle.sessions_held").replace("{held}", &held).replace("{planned}", &planned)
                    }</p>
                    <ul>
                        {c.sessions.iter().map(|s| view! {
                            <li>{s.number} ". " {s.date_label.clone()} " · " {s.leads.clone()}
                                {(!s.attendance.is_empty()).then(|| format!(" · {}", s.attendance))}</li>
                        }).collect_view()}
                    </ul>
                </div>
            }).collect_view())}
        </section>
        <section class="card" id="new-circle">
            <h3><Tr k="circle.new" /></h3>
            <label for="circle-name"><Tr k="circle.name" /></label>
            <input id="circle-name" type="text" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            <label for="circle-organisation"><Tr k="circle.organisation" /></label>
            <input id="circle-organisation" type="text" prop:value=move || organisation.get() on:input=move |ev| organisation.set(event_target_value(&ev)) />
            <h4><Tr k="circle.choose_students" /></h4>
            {move || choices(students, Role::Student)}
            <h4><Tr k="circle.choose_professionals" /></h4>
            {move || choices(professionals, Role::Professional)}
            <h4><Tr k="circle.choose_teacher" /></h4>
            {move || setup.get().map(|s| {
                if s.teachers.is_empty() {
                    return view! { <p class="muted"><Tr k="circle.none_accepted" /></p> }.into_any();
                }
                s.teachers.into_iter().map(|c| {
                    let person = c.person.clone();
                    view! {
                        <label class="choice">
                            <input type="radio" name="circle-teacher" class="choose-teacher" data-name=c.name.clone()
                                on:change=move |_| teacher.set(person.clone()) />
                            " " {c.name.clone()}
                        </label>
                    }
                }).collect_view().into_any()
            })}
            <div id="circle-warnings" aria-live="polite">
                {move || warnings().into_iter().map(|w| view! { <p class="warning">{w}</p> }).collect_view()}
            </div>
            <button id="create-circle" on:click=create><Tr k="circle.create" /></button>
        </section>
    }
}
