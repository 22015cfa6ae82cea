//! A circle on its member's home screen: members, sessions, planning, the certificate.

use leptos::prelude::*;
use pm_domain::api::{CircleHome, Home as HomeView, SavedFile, SessionCard, SessionForm};
use pm_domain::commands as cmd;
use pm_domain::model::MeetingStatus;

use crate::components::{Tr, role_key};
use crate::{Route, use_ctx};

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
pub fn CircleSection(id: String, home: Memo<Option<HomeView>>) -> impl IntoView {
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
