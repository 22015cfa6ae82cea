//! The home screen: for each pair, the mentee's or the mentor's overview; and ways to add a pair.

use leptos::prelude::*;
use pm_domain::api::{Attention, GroupHome, Home as HomeView, MeetingCard, TopicStatus};
use pm_domain::commands as cmd;
use pm_domain::model::{MeetingStatus, Role};

use crate::components::{
    AddGoal, CircleSection, GoalList, NoteEditor, PlanForm, ReminderOffer, Tr, TrF, saver,
};
use crate::shell::call;
use crate::{Route, use_ctx};

#[component]
pub fn Home() -> impl IntoView {
    let ctx = use_ctx();
    let home = ctx.shown(|| cmd::Home {});
    let group_ids = Memo::new(move |_| {
        home.with(|h| {
            h.as_ref()
                .map(|h| h.groups.iter().map(|g| g.group.clone()).collect::<Vec<_>>())
        })
    });
    let circle_ids = Memo::new(move |_| {
        home.with(|h| {
            h.as_ref().map(|h| {
                h.circles
                    .iter()
                    .map(|c| c.group.clone())
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <div id="home">
            {move || match home.get() {
                None => view! { <p class="muted"><Tr k="app.loading" /></p> }.into_any(),
                Some(h) if h.groups.is_empty() && h.circles.is_empty() && h.programmes.is_empty() && h.memberships.is_empty() => view! {
                    <h2><Tr k="start.title" /></h2>
                    <p><Tr k="start.intro" /></p>
                }.into_any(),
                Some(h) if h.groups.is_empty() && h.circles.is_empty() && !h.memberships.is_empty() => view! {
                    <p class="card" id="waiting-for-pair"><Tr k="home.waiting_for_pair" /></p>
                }.into_any(),
                Some(_) => ().into_any(),
            }}
            <For
                each=move || group_ids.get().unwrap_or_default()
                key=|id| id.clone()
                children=move |id| view! { <GroupSection id=id home=home /> }
            />
            <Show when=move || group_ids.get().is_some_and(|g| !g.is_empty())>
                <ReminderOffer />
            </Show>
            <For
                each=move || circle_ids.get().unwrap_or_default()
                key=|id| id.clone()
                children=move |id| view! { <CircleSection id=id home=home /> }
            />
            <ProgrammeLists home=home />
            <Show when=move || group_ids.get().is_some()>
                <StartChoices has_groups=Signal::derive(move || {
                    home.get().is_some_and(|h| !h.groups.is_empty() || !h.circles.is_empty() || !h.programmes.is_empty())
                }) />
            </Show>
        </div>
    }
}

/// One pair on the home screen, laid out for the reader's role in it.
#[component]
fn GroupSection(id: String, home: Memo<Option<HomeView>>) -> impl IntoView {
    let group = {
        let id = id.clone();
        Memo::new(move |_| {
            home.with(|h| {
                h.as_ref()
                    .and_then(|h| h.groups.iter().find(|g| g.group == id).cloned())
            })
        })
    };
    let role = group
        .get_untracked()
        .map(|g| g.my_role)
        .unwrap_or(Role::Mentee);
    let g = move || group.get();
    let header = view! {
        <header class="group-header">
            <h2>{move || g().map(|g| g.programme).unwrap_or_default()}</h2>
            <Show when=move || g().is_some_and(|g| g.demo)>
                <span class="badge demo" id="demo-badge"><Tr k="demo.badge" /></span>
            </Show>
            <p class="partner">
                <Tr k=if role == Role::Mentor { "home.your_mentee" } else { "home.your_mentor" } />
                " "
                <strong class="partner-name">{move || g().map(|g| g.partner).unwrap_or_default()}</strong>
            </p>
        </header>
    };
    let body = if role == Role::Mentor {
        view! { <MentorHome id=id.clone() group=group /> }.into_any()
    } else {
        view! { <MenteeHome id=id.clone() group=group /> }.into_any()
    };
    view! {
        <section class="group" data-role=if role == Role::Mentor { "mentor" } else { "mentee" }>
            {header}
            {body}
        </section>
    }
}

#[component]
fn MenteeHome(id: String, group: Memo<Option<GroupHome>>) -> impl IntoView {
    let reflections = Signal::derive(move || group.get().map(|g| g.reflections));
    let save_reflections = {
        let id = id.clone();
        saver(move |base, text| {
            let command = cmd::WriteReflections {
                group: id.clone(),
                base,
                text,
            };
            async move { call(&command).await }
        })
    };
    let ahead = move || {
        group
            .get()
            .map(|g| {
                (1u8..=4)
                    .map(|q| {
                        (
                            q,
                            g.topics
                                .iter()
                                .filter(|t| t.first_quarter == q)
                                .cloned()
                                .collect::<Vec<_>>(),
                        )
                    })
                    .filter(|(_, topics)| !topics.is_empty())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    view! {
        <NextMeeting id=id.clone() group=group />
        <Goals id=id.clone() group=group />
        <section id="past-notes" class="card">
            <h3><Tr k="home.past_notes" /></h3>
            {move || {
                let past = group.get().map(|g| g.past_notes).unwrap_or_default();
                if past.is_empty() {
                    view! { <p class="muted"><Tr k="home.no_past_notes" /></p> }.into_any()
                } else {
                    past.into_iter().map(|p| view! {
                        <article class="past-note">
                            <h4>{meeting_heading(&p.meeting)} " · " {p.meeting.when.clone()}</h4>
                            <p class="note-text">{p.text}</p>
                        </article>
                    }).collect_view().into_any()
                }
            }}
        </section>
        <section id="reflections" class="card private">
            <NoteEditor id="reflections-text" label="home.reflections" hint="home.reflections_hint"
                value=reflections save=save_reflections rows=5 />
        </section>
        <section id="ahead" class="card">
            <h3><Tr k="home.ahead" /></h3>
            {move || ahead().into_iter().map(|(q, topics)| view! {
                <div class="quarter">
                    <h4><TrF k="timing.quarter" values=Signal::derive(move || vec![("q", q.to_string())]) /></h4>
                    <ul class="topics">
                        {topics.into_iter().map(|t| view! { <TopicLine topic=t /> }).collect_view()}
                    </ul>
                </div>
            }).collect_view()}
        </section>
        <MeetingList id=id group=group />
    }
}

#[component]
fn MentorHome(id: String, group: Memo<Option<GroupHome>>) -> impl IntoView {
    let ctx = use_ctx();
    let (invite_id, prep_id, export_id) = (id.clone(), id.clone(), id.clone());
    let exported = RwSignal::new(None::<String>);
    let export = move |_| {
        ctx.run(
            cmd::ExportCalendar {
                group: export_id.clone(),
                meeting: None,
            },
            move |f: pm_domain::api::SavedFile| exported.set(Some(f.path)),
        )
    };
    let has_planned = move || {
        group.get().is_some_and(|g| {
            g.meetings
                .iter()
                .any(|m| m.status == MeetingStatus::Planned)
        })
    };
    let plan_id = id.clone();
    view! {
        <NextMeeting id=id.clone() group=group />
        <section id="attention" class="card">
            <h3><Tr k="home.attention" /></h3>
            {move || {
                let items = group.get().map(|g| g.attention).unwrap_or_default();
                if items.is_empty() {
                    view! { <p class="muted"><Tr k="home.nothing_due" /></p> }.into_any()
                } else {
                    view! { <ul class="topics">{items.into_iter().map(|t| view! { <TopicLine topic=t /> }).collect_view()}</ul> }.into_any()
                }
            }}
        </section>
        <section class="card actions">
            <button id="invite" on:click=move |_| ctx.go(Route::Invite { group: invite_id.clone() })>
                <Tr k="home.invite" />
            </button>
            <button id="preparation" on:click=move |_| ctx.go(Route::Preparation { group: prep_id.clone() })>
                <Tr k="home.preparation" />
            </button>
            <button id="export-schedule" on:click=export>
                <Tr k="home.export_schedule" />
            </button>
            {move || exported.get().map(|path| view! {
                <p class="saved" id="export-result"><Tr k="export.saved" /> " " <code>{path}</code></p>
            })}
        </section>
        <Show when=move || !has_planned()>
            <section class="card">
                <h3><Tr k="home.plan_first" /></h3>
                <PlanForm group=plan_id.clone() prefix="home" />
            </section>
        </Show>
        <MeetingList id=id.clone() group=group />
        <Goals id=id group=group />
    }
}

fn meeting_heading(m: &MeetingCard) -> String {
    match m.number {
        Some(n) => format!("{n}. {}", m.title),
        None => m.title.clone(),
    }
}

#[component]
fn NextMeeting(id: String, group: Memo<Option<GroupHome>>) -> impl IntoView {
    let ctx = use_ctx();
    let tells_key = move || {
        if group.get().is_some_and(|g| g.my_role == Role::Mentor) {
            "home.you_will_tell"
        } else {
            "home.mentor_will_tell"
        }
    };
    view! {
        <section id="next-meeting" class="card highlight">
            <h3><Tr k="home.next_meeting" /></h3>
            {move || match group.get().and_then(|g| g.next_meeting) {
                None => view! { <p class="muted"><Tr k="home.no_next_meeting" /></p> }.into_any(),
                Some(m) => {
                    let (group_id, meeting) = (id.clone(), m.id.clone());
                    view! {
                        <p class="meeting-title">{meeting_heading(&m)}</p>
                        <p class="when">{if m.when.is_empty() { "—".to_owned() } else { m.when.clone() }}</p>
                        <p class="place">{m.place.clone()}</p>
                        {(!m.mentor_tells.is_empty()).then(|| view! {
                            <p class="lead"><Tr k=tells_key() /></p>
                            <ul>{m.mentor_tells.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
                        })}
                        <button class="primary" id="open-next" on:click=move |_| ctx.go(Route::Meeting { group: group_id.clone(), meeting: meeting.clone() })>
                            <Tr k="home.open_meeting" />
                        </button>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn MeetingList(id: String, group: Memo<Option<GroupHome>>) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <section id="meetings" class="card">
            <h3><Tr k="home.meetings" /></h3>
            <ul class="meetings">
                {move || group.get().map(|g| g.meetings).unwrap_or_default().into_iter().map(|m| {
                    let (group_id, meeting) = (id.clone(), m.id.clone());
                    let status = match m.status {
                        MeetingStatus::Planned => "meeting.planned",
                        MeetingStatus::Held => "meeting.held",
                        MeetingStatus::Cancelled => "meeting.cancelled",
                    };
                    view! {
                        <li class="meeting" data-status=format!("{:?}", m.status).to_lowercase()>
                            <button class="link" on:click=move |_| ctx.go(Route::Meeting { group: group_id.clone(), meeting: meeting.clone() })>
                                {meeting_heading(&m)}
                            </button>
                            <span class="when">{m.when.clone()}</span>
                            <span class="badge"><Tr k=status /></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn TopicLine(topic: TopicStatus) -> impl IntoView {
    let class = match topic.attention {
        Attention::None => "topic",
        Attention::Planned => "topic planned",
        Attention::Due => "topic due",
        Attention::Late => "topic late",
        Attention::Overdue => "topic overdue",
    };
    view! {
        <li class=class data-attention=format!("{:?}", topic.attention).to_lowercase()>
            <span class="topic-name">{format!("{}. {}", topic.number, topic.title)}</span>
            <span class="timing">{topic.timing}</span>
            <span class="state">{topic.state}</span>
        </li>
    }
}

/// Goals and learning questions of a pair, with a form to add one.
#[component]
pub fn Goals(id: String, group: Memo<Option<GroupHome>>) -> impl IntoView {
    let goals = Signal::derive(move || group.get().map(|g| g.goals).unwrap_or_default());
    view! {
        <section id="goals" class="card">
            <h3><Tr k="goals.title" /></h3>
            <GoalList id=id.clone() goals=goals />
            <AddGoal id=id meeting=None />
        </section>
    }
}

/// Ways in: an invitation code, setting up a programme, the demo.
#[component]
fn StartChoices(has_groups: Signal<bool>) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <section id="start-choices" class="card muted-card">
            <Show when=move || has_groups.get()>
                <h3><Tr k="start.more" /></h3>
            </Show>
            <div class="choices">
                <div class="choice">
                    <h4><Tr k="start.join" /></h4>
                    <p><Tr k="start.join_hint" /></p>
                    <button class="primary" id="go-join" on:click=move |_| ctx.go(Route::Join)>
                        <Tr k="start.join_button" />
                    </button>
                </div>
                <div class="choice">
                    <h4><Tr k="start.coordinate" /></h4>
                    <p><Tr k="start.coordinate_hint" /></p>
                    <button id="go-new-programme" on:click=move |_| ctx.go(Route::NewProgramme)>
                        <Tr k="start.coordinate_button" />
                    </button>
                </div>
                <div class="choice">
                    <h4><Tr k="start.demo" /></h4>
                    <p><Tr k="start.demo_hint" /></p>
                    <button id="open-demo" on:click=move |_| ctx.run(cmd::OpenDemo {}, move |_: String| ctx.refresh.update(|n| *n += 1))>
                        <Tr k="start.open_demo" />
                    </button>
                </div>
            </div>
        </section>
    }
}

/// The programmes she coordinates, and the ones she takes part in.
#[component]
fn ProgrammeLists(home: Memo<Option<HomeView>>) -> impl IntoView {
    let ctx = use_ctx();
    let coordinated = move || home.get().map(|h| h.programmes).unwrap_or_default();
    let joined = move || home.get().map(|h| h.memberships).unwrap_or_default();
    let kept = move || home.get().map(|h| h.kept).unwrap_or_default();
    view! {
        <Show when=move || !coordinated().is_empty()>
            <section id="coordinated" class="card">
                <h3><Tr k="home.coordinated" /></h3>
                <ul class="programmes">
                    {move || coordinated().into_iter().map(|p| {
                        let id = p.programme.clone();
                        view! {
                            <li>
                                <button class="link programme-link" on:click=move |_| ctx.go(Route::Programme { programme: id.clone() })>
                                    {p.name.clone()}
                                </button>
                                <span class="muted">" " {p.school.clone()} " · " {p.academic_year.clone()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
        <Show when=move || !joined().is_empty()>
            <section id="memberships" class="card">
                <h3><Tr k="home.memberships" /></h3>
                <ul class="programmes">
                    {move || joined().into_iter().map(|p| {
                        let (profile_id, evaluation_id) = (p.programme.clone(), p.programme.clone());
                        let contact_id = p.programme.clone();
                        let role_key = if p.role == Role::Mentor { "role.mentor" } else { "role.mentee" };
                        view! {
                            <li>
                                <strong>{p.name.clone()}</strong> " (" <Tr k=role_key /> ")"
                                <div class="row-actions">
                                    <button class="link" id="open-profile" on:click=move |_| ctx.go(Route::Profile { programme: profile_id.clone() })>
                                        <Tr k="home.my_profile" />
                                    </button>
                                    <button class="link" id="open-evaluation" on:click=move |_| ctx.go(Route::Evaluation { programme: evaluation_id.clone() })>
                                        <Tr k="home.my_evaluation" />
                                    </button>
                                    <button class="link" id="open-contact" on:click=move |_| ctx.go(Route::Contact { programme: contact_id.clone() })>
                                        <Tr k="contact.open" />
                                    </button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
        <Show when=move || !kept().is_empty()>
            <section id="kept" class="card">
                <h3><Tr k="end.kept" /></h3>
                <ul class="programmes">
                    {move || kept().into_iter().map(|k| view! {
                        <li>
                            <strong>{k.name.clone()}</strong>
                            <span class="muted">" " {k.school.clone()} " · " {k.academic_year.clone()}</span>
                            <div class="muted">
                                {k.pairs} " " <Tr k="coord.pairs_count" /> " · " {k.summary.responses} " " <Tr k="eval.responses" />
                                " · " <Tr k="eval.overall" /> " " {k.summary.overall.map(|a| format!("{a:.1}")).unwrap_or_else(|| "—".into())}
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </Show>
        <Show when=move || !coordinated().is_empty() || !joined().is_empty()>
            <p class="row-actions">
                <button class="link" id="open-devices" on:click=move |_| ctx.go(Route::Devices)><Tr k="home.my_devices" /></button>
            </p>
        </Show>
    }
}
