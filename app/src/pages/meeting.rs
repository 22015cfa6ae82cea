//! The meeting screen, used during the meeting (often offline): the guide's topic and prompts with
//! "ask about her own experience" as a step of its own, shared and private notes, goals, marking
//! the meeting as held and planning the next one.

use leptos::prelude::*;
use pm_domain::api::{MeetingPage, SavedFile};
use pm_domain::commands as cmd;
use pm_domain::model::{MeetingStatus, Role};

use crate::components::{AddGoal, GoalList, NoteEditor, PlanForm, Tr, TrF, saver};
use crate::shell::call;
use crate::{Route, use_ctx};

#[component]
pub fn Meeting(group: String, meeting: String) -> impl IntoView {
    let ctx = use_ctx();
    let page = {
        let (group, meeting) = (group.clone(), meeting.clone());
        ctx.shown(move || cmd::Meeting {
            group: group.clone(),
            meeting: meeting.clone(),
        })
    };
    let loaded = Memo::new(move |_| page.with(|p| p.as_ref().map(|p| p.my_role)));
    view! {
        <div id="meeting-view">
            <button class="link back" id="back-home" on:click=move |_| ctx.go(Route::Home)>
                "← " <Tr k="nav.home" />
            </button>
            {move || loaded.get().map(|role| view! {
                <MeetingBody group=group.clone() meeting=meeting.clone() page=page role=role />
            })}
        </div>
    }
}

#[component]
fn MeetingBody(
    group: String,
    meeting: String,
    page: Memo<Option<MeetingPage>>,
    role: Role,
) -> impl IntoView {
    let ctx = use_ctx();
    let p = Memo::new(move |_| page.get());
    let card = move || p.get().map(|p| p.meeting);
    let held = move || card().is_some_and(|m| m.status == MeetingStatus::Held);
    let shared = Signal::derive(move || p.get().map(|p| p.shared_notes));
    let private = Signal::derive(move || p.get().map(|p| p.private_notes));
    let (g1, m1) = (group.clone(), meeting.clone());
    let save_shared = saver(move |base, text| {
        let command = cmd::WriteSharedNote {
            group: g1.clone(),
            meeting: m1.clone(),
            base,
            text,
        };
        async move { call(&command).await }
    });
    let (g2, m2) = (group.clone(), meeting.clone());
    let save_private = saver(move |base, text| {
        let command = cmd::WritePrivateNote {
            group: g2.clone(),
            meeting: m2.clone(),
            base,
            text,
        };
        async move { call(&command).await }
    });
    let goals = Signal::derive(move || p.get().map(|p| p.goals).unwrap_or_default());
    let is_mentor = role == Role::Mentor;
    let partner = move || p.get().map(|p| p.partner).unwrap_or_default();

    let (g3, m3) = (group.clone(), meeting.clone());
    let set_asked = move |ev| {
        let asked = event_target_checked(&ev);
        ctx.run(
            cmd::SetAsked {
                group: g3.clone(),
                meeting: m3.clone(),
                asked,
            },
            move |_: ()| ctx.refresh.update(|n| *n += 1),
        );
    };
    let (g4, m4) = (group.clone(), meeting.clone());
    let mark_held = move |_| {
        ctx.run(
            cmd::MarkHeld {
                group: g4.clone(),
                meeting: m4.clone(),
            },
            move |_: ()| ctx.refresh.update(|n| *n += 1),
        );
    };
    let exported = RwSignal::new(None::<String>);
    let (g5, m5) = (group.clone(), meeting.clone());
    let export = move |_| {
        ctx.run(
            cmd::ExportCalendar {
                group: g5.clone(),
                meeting: Some(m5.clone()),
            },
            move |f: SavedFile| exported.set(Some(f.path)),
        );
    };

    view! {
        <header class="meeting-header">
            <h2 id="meeting-title">
                {move || card().map(|m| match m.number {
                    Some(n) => format!("{n}. {}", m.title),
                    None => m.title,
                })}
            </h2>
            <p class="with"><Tr k=if is_mentor { "meeting.with_mentee" } else { "meeting.with_mentor" } /> " " {partner}</p>
            <p class="when" id="meeting-when">
                {move || card().map(|m| [m.when, m.place].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · "))}
            </p>
            <span class="badge" id="meeting-status" data-status=move || if held() { "held" } else { "planned" }>
                {move || view! { <Tr k=if held() { "meeting.held" } else { "meeting.planned" } /> }}
            </span>
        </header>
        <Conflicts group=group.clone() meeting=meeting.clone() page=p />
        <section class="card flow" id="flow">
            <h3><Tr k="meeting.flow" /></h3>
            <ol class="steps">
                <li class="step" id="step-tell">
                    <h4><Tr k=if is_mentor { "meeting.step_tell_mentor" } else { "meeting.step_tell_mentee" } /></h4>
                    <ul>{move || p.get().map(|p| p.tells).unwrap_or_default().into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                </li>
                <li class="step ask" id="step-ask">
                    <h4><Tr k=if is_mentor { "meeting.step_ask_mentor" } else { "meeting.step_ask_mentee" } /></h4>
                    <p class="rule"><Tr k="meeting.ask_rule" /></p>
                    <ul>{move || p.get().map(|p| p.ask).unwrap_or_default().into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                    {is_mentor.then(|| view! {
                        <label class="check">
                            <input type="checkbox" id="asked" prop:checked=move || p.get().is_some_and(|p| p.asked_mentee) on:change=set_asked />
                            <Tr k="meeting.asked" />
                        </label>
                    })}
                </li>
                {move || {
                    let also = p.get().map(|p| p.also).unwrap_or_default();
                    (!also.is_empty()).then(|| view! {
                        <li class="step" id="step-also">
                            <h4><Tr k="meeting.step_also" /></h4>
                            <ul>{also.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                        </li>
                    })
                }}
            </ol>
        </section>
        <section class="card">
            <NoteEditor id="shared-notes" label="meeting.shared_notes" hint="meeting.shared_hint" value=shared save=save_shared rows=8 />
        </section>
        <section class="card private">
            <NoteEditor id="private-notes" label="meeting.private_notes" hint="meeting.private_hint" value=private save=save_private rows=4 />
        </section>
        <section class="card" id="meeting-goals">
            <h3>
                {move || view! {
                    <Tr k=if p.get().is_some_and(|p| p.structured) { "meeting.goals_structured" } else { "meeting.goals_unstructured" } />
                }}
            </h3>
            <GoalList id=group.clone() goals=goals />
            <AddGoal id=group.clone() meeting=Some(meeting.clone()) />
        </section>
        {is_mentor.then(|| view! {
            <section class="card" id="hold">
                <Show when=move || !held() fallback=move || view! { <p class="ok"><Tr k="meeting.is_held" /></p> }>
                    <button class="primary" id="mark-held" disabled=move || !p.get().is_some_and(|p| p.asked_mentee) on:click=mark_held.clone()>
                        <Tr k="meeting.mark_held" />
                    </button>
                    <Show when=move || !p.get().is_some_and(|p| p.asked_mentee)>
                        <p class="hint"><Tr k="meeting.ask_first_hint" /></p>
                    </Show>
                </Show>
            </section>
        })}
        <section class="card" id="when-where">
            <h3><Tr k="meeting.when_where" /></h3>
            <MeetingFields group=group.clone() meeting=meeting.clone() page=p />
            <button id="export-meeting" on:click=export><Tr k="meeting.export" /></button>
            {move || exported.get().map(|path| view! {
                <p class="saved" id="export-result"><Tr k="export.saved" /> " " <code>{path}</code></p>
            })}
        </section>
        <section class="card" id="plan-next">
            <h3><Tr k="meeting.plan_next" /></h3>
            {move || match p.get().and_then(|p| p.next) {
                Some(next) => view! {
                    <p id="next-planned">
                        <Tr k="meeting.next_is" /> " "
                        <strong>{match next.number { Some(n) => format!("{n}. {}", next.title), None => next.title.clone() }}</strong>
                        " · " {next.when.clone()} " · " {next.place.clone()}
                    </p>
                }.into_any(),
                None => view! {
                    <p>{move || p.get().and_then(|p| p.next_topic).map(|topic| view! {
                        <TrF k="meeting.next_topic" values=Signal::derive(move || vec![("topic", topic.clone())]) />
                    })}</p>
                    <PlanForm group=group.clone() prefix="next" />
                }.into_any(),
            }}
        </section>
    }
}

/// Date, time and place of the meeting; each saves when changed.
#[component]
fn MeetingFields(group: String, meeting: String, page: Memo<Option<MeetingPage>>) -> impl IntoView {
    let ctx = use_ctx();
    let field = move |name: &'static str| {
        let (group, meeting) = (group.clone(), meeting.clone());
        move |ev| {
            let args = cmd::SetMeetingField {
                group: group.clone(),
                meeting: meeting.clone(),
                field: name.into(),
                value: event_target_value(&ev),
            };
            ctx.run(args, move |_: ()| ctx.refresh.update(|n| *n += 1));
        }
    };
    let card = move || page.get().map(|p| p.meeting);
    view! {
        <div class="fields">
            <label for="meeting-date"><Tr k="plan.date" /></label>
            <input id="meeting-date" type="date" prop:value=move || card().and_then(|m| m.date).unwrap_or_default() on:change=field("date") />
            <label for="meeting-time"><Tr k="plan.time" /></label>
            <input id="meeting-time" type="time" prop:value=move || card().and_then(|m| m.time).unwrap_or_default() on:change=field("time") />
            <label for="meeting-place"><Tr k="plan.place" /></label>
            <input id="meeting-place" type="text" prop:value=move || card().map(|m| m.place).unwrap_or_default() on:change=field("place") />
        </div>
    }
}

/// Values of a meeting field that were set on two devices while apart, with a way back to each.
#[component]
fn Conflicts(group: String, meeting: String, page: Memo<Option<MeetingPage>>) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        {move || {
            let conflicts = page.get().map(|p| p.conflicts).unwrap_or_default();
            (!conflicts.is_empty()).then(|| {
                let (group, meeting) = (group.clone(), meeting.clone());
                view! {
                    <section class="card conflict" id="conflicts" role="alert">
                        <h3><Tr k="conflict.title" /></h3>
                        {conflicts.into_iter().map(|c| {
                            let label = match c.field.as_str() { "date" => "plan.date", "time" => "plan.time", _ => "plan.place" };
                            let (group, meeting, field) = (group.clone(), meeting.clone(), c.field.clone());
                            view! {
                                <div class="conflict-field" data-field=c.field.clone()>
                                    <p><strong><Tr k=label /></strong> ": " <Tr k="conflict.shown" /> " " <q class="shown">{c.shown.clone()}</q></p>
                                    {c.others.into_iter().map(|other| {
                                        let args = cmd::SetMeetingField { group: group.clone(), meeting: meeting.clone(), field: field.clone(), value: other.clone() };
                                        view! {
                                            <p>
                                                <Tr k="conflict.other" /> " " <q class="other">{other.clone()}</q> " "
                                                <button class="restore" on:click=move |_| ctx.run(args.clone(), move |_: ()| ctx.refresh.update(|n| *n += 1))>
                                                    <Tr k="conflict.restore" />
                                                </button>
                                            </p>
                                        }
                                    }).collect_view()}
                                </div>
                            }
                        }).collect_view()}
                    </section>
                }
            })
        }}
    }
}
