//! The coordinator's screens: setting up a programme, and per programme the overview of pairs,
//! the people and their invitations, pairing, the set-up (checklist, settings, guide) and the
//! evaluation. Everything shown comes from progress, profiles and evaluations, never notes.

use leptos::prelude::*;
use pm_domain::api::{
    CircleForm, ClassListImport, ContactThread, Dashboard, Email, InviteResult, ProposalView,
    SavedFile, SuggestionView,
};
use pm_domain::circle::{composition_warnings, warning_text};
use pm_domain::commands as cmd;
use pm_domain::model::{Formality, Pairing, Role, Settings, Steering, Structure};

use crate::components::{Tr, local_date_time, role_key};
use crate::{Route, use_ctx};

/// Setting up a programme on a server.
#[component]
pub fn NewProgramme() -> impl IntoView {
    let ctx = use_ctx();
    let server = RwSignal::new(String::new());
    let setup_key = RwSignal::new(String::new());
    let my_name = RwSignal::new(
        ctx.profile
            .get_untracked()
            .map(|p| p.name)
            .unwrap_or_default(),
    );
    let name = RwSignal::new(String::new());
    let school = RwSignal::new(String::new());
    let settings = RwSignal::new(Settings::default());
    ctx.run(cmd::Home {}, move |h: pm_domain::api::Home| {
        server.set(h.server.unwrap_or_default())
    });
    let create = move |_| {
        let form = pm_domain::api::ProgrammeForm {
            server: server.get_untracked(),
            setup_key: setup_key.get_untracked(),
            coordinator_name: my_name.get_untracked(),
            name: name.get_untracked(),
            school: school.get_untracked(),
            academic_year: String::new(),
            quarters: Vec::new(),
            settings: settings.get_untracked(),
        };
        ctx.run(cmd::CreateProgramme { form }, move |programme: String| {
            ctx.go(Route::Programme { programme })
        });
    };
    let field = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <label for=id><Tr k=label /></label>
            <input id=id type="text" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        }
    };
    view! {
        <button class="link back" id="back-home" on:click=move |_| ctx.go(Route::Home)>"← " <Tr k="nav.home" /></button>
        <section id="new-programme" class="card narrow">
            <h2><Tr k="setup.title" /></h2>
            <p class="hint"><Tr k="setup.intro" /></p>
            {field("setup-server", "join.server", server)}
            {field("setup-key", "setup.key", setup_key)}
            <p class="hint"><Tr k="setup.key_hint" /></p>
            {field("setup-my-name", "setup.my_name", my_name)}
            {field("setup-name", "setup.name", name)}
            {field("setup-school", "setup.school", school)}
            <SettingsChoice settings=settings />
            <div class="buttons">
                <button class="primary" id="create-programme" on:click=create><Tr k="setup.create" /></button>
            </div>
        </section>
    }
}

/// One side of a settings axis: input id, label key, whether it is chosen, how to choose it.
type Choice = (
    &'static str,
    &'static str,
    fn(&Settings) -> bool,
    fn(&mut Settings),
);

/// The four choices of the toolbox, as radio pairs.
#[component]
fn SettingsChoice(settings: RwSignal<Settings>) -> impl IntoView {
    let axis = |name: &'static str, legend: &'static str, a: Choice, b: Choice| {
        view! {
            <fieldset class="axis">
                <legend><Tr k=legend /></legend>
                {[a, b].into_iter().map(|(id, label, is, set)| view! {
                    <label class="check">
                        <input type="radio" name=name id=id prop:checked=move || settings.with(is) on:change=move |_| settings.update(set) />
                        <span><Tr k=label /></span>
                    </label>
                }).collect_view()}
            </fieldset>
        }
    };
    view! {
        {axis("formality", "axis.formality",
            ("formal", "axis.formal", |s| s.formality == Formality::Formal, |s| s.formality = Formality::Formal),
            ("informal", "axis.informal", |s| s.formality == Formality::Informal, |s| s.formality = Formality::Informal))}
        {axis("structure", "axis.structure",
            ("structured", "axis.structured", |s| s.structure == Structure::Structured, |s| s.structure = Structure::Structured),
            ("unstructured", "axis.unstructured", |s| s.structure == Structure::Unstructured, |s| s.structure = Structure::Unstructured))}
        {axis("steering", "axis.steering",
            ("central", "axis.central", |s| s.steering == Steering::Central, |s| s.steering = Steering::Central),
            ("decentral", "axis.decentral", |s| s.steering == Steering::Decentral, |s| s.steering = Steering::Decentral))}
        {axis("pairing", "axis.pairing",
            ("preselection", "axis.preselection", |s| s.pairing == Pairing::Preselection, |s| s.pairing = Pairing::Preselection),
            ("matching", "axis.matching", |s| s.pairing == Pairing::Matching, |s| s.pairing = Pairing::Matching))}
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Overview,
    People,
    Pairing,
    Setup,
    Circles,
    Evaluation,
}

/// One programme, for its coordinator.
#[component]
pub fn Programme(programme: String) -> impl IntoView {
    let ctx = use_ctx();
    let id = StoredValue::new(programme.clone());
    let dashboard = ctx.shown(move || cmd::Dashboard {
        programme: id.get_value(),
    });
    let tab = RwSignal::new(Tab::Overview);
    // The tabs are made once; they follow the dashboard's changes themselves.
    let loaded = Memo::new(move |_| dashboard.with(|d| d.is_some()));
    let refresh_status = move || {
        ctx.run(
            cmd::RefreshStatus {
                programme: id.get_value(),
            },
            move |_: ()| ctx.refresh.update(|n| *n += 1),
        );
    };
    // Ask the server who accepted and when pairs last synced, once on opening.
    refresh_status();
    let tab_button = move |t: Tab, id: &'static str, label: &'static str| {
        view! {
            <button id=id class="tab" class:active=move || tab.get() == t role="tab" aria-selected=move || (tab.get() == t).to_string()
                on:click=move |_| tab.set(t)>
                <Tr k=label />
            </button>
        }
    };
    view! {
        <button class="link back" id="back-home" on:click=move |_| ctx.go(Route::Home)>"← " <Tr k="nav.home" /></button>
        <header class="group-header">
            <h2 id="programme-name">{move || dashboard.get().map(|d| d.setup.name)}</h2>
            <p class="muted">{move || dashboard.get().map(|d| format!("{} · {}", d.setup.school, d.setup.academic_year))}</p>
            <button class="link" id="refresh-status" on:click=move |_| refresh_status()><Tr k="coord.refresh" /></button>
        </header>
        <nav class="tabs" role="tablist">
            {tab_button(Tab::Overview, "tab-overview", "coord.tab.overview")}
            {tab_button(Tab::People, "tab-people", "coord.tab.people")}
            {tab_button(Tab::Pairing, "tab-pairing", "coord.tab.pairing")}
            {tab_button(Tab::Setup, "tab-setup", "coord.tab.setup")}
            {tab_button(Tab::Circles, "tab-circles", "coord.tab.circles")}
            {tab_button(Tab::Evaluation, "tab-evaluation", "coord.tab.evaluation")}
        </nav>
        {move || loaded.get().then(|| match tab.get() {
            Tab::Overview => view! { <Overview dashboard=dashboard /> <ContactThreads programme=id.get_value() dashboard=dashboard /> }.into_any(),
            Tab::People => view! { <People programme=id.get_value() dashboard=dashboard /> }.into_any(),
            Tab::Pairing => view! { <PairingTab programme=id.get_value() dashboard=dashboard /> }.into_any(),
            Tab::Setup => view! { <SetupTab programme=id.get_value() dashboard=dashboard /> }.into_any(),
            Tab::Circles => view! { <CirclesTab programme=id.get_value() /> }.into_any(),
            Tab::Evaluation => view! { <EvaluationTab programme=id.get_value() /> }.into_any(),
        })}
    }
}

#[component]
fn Overview(dashboard: Memo<Option<Dashboard>>) -> impl IntoView {
    let ctx = use_ctx();
    let d = move || dashboard.get();
    let open_checklist = move || {
        d().map(|d| d.setup.checklist.iter().filter(|c| !c.done).count())
            .unwrap_or(0)
    };
    let has_open = move || open_checklist() != 0;
    view! {
        <section class="card" id="overview">
            <h3><Tr k="coord.pairs" /></h3>
            <p class="muted">
                {move || d().map(|d| format!("{} · ", d.pairs.len()))}<Tr k="coord.pairs_count" />
                " · " {move || d().map(|d| d.unpaired_mentees.len().to_string())} " " <Tr k="coord.unpaired" />
            </p>
            <Show when=has_open>
                <p class="hint" id="checklist-open">{open_checklist} " " <Tr k="coord.checklist_open" /></p>
            </Show>
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || ctx.t("coord.pairs")>
                <table id="pairs">
                    <thead>
                        <tr>
                            <th><Tr k="role.mentor" /></th>
                            <th><Tr k="role.mentee" /></th>
                            <th><Tr k="coord.held" /></th>
                            <th><Tr k="coord.due" /></th>
                            <th><Tr k="coord.last_sync" /></th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || d().map(|d| d.pairs).unwrap_or_default().into_iter().map(|p| view! {
                            <tr class="pair-row" data-group=p.group.clone()>
                                <td>{p.mentor.clone()}</td>
                                <td>{p.mentee.clone()}</td>
                                <td class="held">
                                    {if p.no_meeting_yet {
                                        view! { <span class="badge warn no-meeting"><Tr k="coord.no_meeting_yet" /></span> }.into_any()
                                    } else {
                                        view! { <ul>{p.held.iter().map(|h| view! { <li>{h.clone()}</li> }).collect_view()}</ul> }.into_any()
                                    }}
                                    {p.next.clone().map(|n| view! { <p class="hint"><Tr k="coord.next" /> " " {n}</p> })}
                                </td>
                                <td class="due">
                                    <ul>{p.attention.iter().map(|t| view! {
                                        <li class=format!("topic-inline {:?}", t.attention).to_lowercase()>{format!("{}. {} — {}", t.number, t.title, t.state)}</li>
                                    }).collect_view()}</ul>
                                </td>
                                <td class="last-sync">{p.last_sync.clone().map(|s| s.replace('T', " ").trim_end_matches('Z').to_owned()).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The participants' lines to her: the unanswered first, each with a box to answer in.
#[component]
fn ContactThreads(programme: String, dashboard: Memo<Option<Dashboard>>) -> impl IntoView {
    let ctx = use_ctx();
    let id = StoredValue::new(programme);
    let threads = move || dashboard.get().map(|d| d.contact).unwrap_or_default();
    view! {
        <Show when=move || !threads().is_empty()>
            <section class="card" id="contact-threads">
                <h3><Tr k="contact.threads" /></h3>
                {move || threads().into_iter().map(|thread| {
                    let answer = RwSignal::new(String::new());
                    let person = StoredValue::new(thread.person.clone());
                    let field = format!("answer-{}", thread.person);
                    let send = move |_| {
                        ctx.run(
                            cmd::AnswerContact {
                                programme: id.get_value(),
                                person: person.get_value(),
                                text: answer.get_untracked(),
                            },
                            move |_: Vec<ContactThread>| {
                                answer.set(String::new());
                                ctx.refresh.update(|n| *n += 1);
                            },
                        )
                    };
                    view! {
                        <article class="contact-thread" data-person=thread.person.clone() data-unanswered=thread.unanswered.to_string()>
                            <h4>{thread.name.clone()}
                                {thread.unanswered.then(|| view! { " " <span class="badge warn"><Tr k="contact.unanswered" /></span> })}
                            </h4>
                            <ul class="messages">
                                {thread.messages.iter().map(|m| view! {
                                    <li class="message" class:mine=m.mine>
                                        <p class="muted"><strong>{m.from.clone()}</strong> " · " {m.about.clone()} " · "
                                            {local_date_time(&m.sent_at).unwrap_or_default()}</p>
                                        <p class="message-text">{m.text.clone()}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <label for=field.clone()><Tr k="contact.answer_text" /></label>
                            <textarea id=field class="contact-answer" rows=2 prop:value=move || answer.get()
                                on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                            <button class="answer-contact" on:click=send><Tr k="contact.answer" /></button>
                        </article>
                    }
                }).collect_view()}
            </section>
        </Show>
    }
}

#[component]
fn People(programme: String, dashboard: Memo<Option<Dashboard>>) -> impl IntoView {
    let ctx = use_ctx();
    let role = RwSignal::new(Role::Mentor);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let result = RwSignal::new(None::<InviteResult>);
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let id = StoredValue::new(programme);
    let load_template = move || {
        ctx.run(
            cmd::InvitationTemplate {
                role: role.get_untracked(),
            },
            move |t: pm_domain::api::Template| {
                subject.set(t.subject);
                body.set(t.body);
            },
        );
    };
    load_template();
    let invite = move |_| {
        let save = cmd::SaveInvitationTemplate {
            role: role.get_untracked(),
            subject: subject.get_untracked(),
            body: body.get_untracked(),
        };
        let args = cmd::Invite {
            programme: id.get_value(),
            role: role.get_untracked(),
            name: name.get_untracked(),
            email: email.get_untracked(),
            days: 14,
        };
        ctx.run(save, move |_: ()| {
            ctx.run(args, move |r: InviteResult| {
                result.set(Some(r));
                name.set(String::new());
                email.set(String::new());
                ctx.refresh.update(|n| *n += 1);
            });
        });
    };
    let open_mail = move |email: Email| {
        ctx.run(
            cmd::OpenMail {
                mailto: email.mailto,
            },
            |_: ()| {},
        )
    };
    let list = RwSignal::new(String::new());
    let imported = RwSignal::new(None::<ClassListImport>);
    let import = move |_| {
        ctx.run(
            cmd::ImportClassList {
                programme: id.get_value(),
                text: list.get_untracked(),
                days: 14,
            },
            move |r: ClassListImport| {
                if r.problems.is_empty() {
                    list.set(String::new());
                    ctx.refresh.update(|n| *n += 1);
                }
                imported.set(Some(r));
            },
        )
    };
    view! {
        <section class="card" id="class-list">
            <h3><Tr k="class_list.title" /></h3>
            <p class="hint"><Tr k="class_list.hint" /></p>
            <label for="class-list-text"><Tr k="class_list.text" /></label>
            <textarea id="class-list-text" rows=5 placeholder="Naam;E-mail;Rol"
                prop:value=move || list.get() on:input=move |ev| list.set(event_target_value(&ev))></textarea>
            <button id="import-class-list" on:click=import><Tr k="class_list.import" /></button>
            {move || imported.get().map(|r| view! {
                <ul class="error-list" id="class-list-problems">
                    {r.problems.iter().map(|p| view! { <li class="error">{p.clone()}</li> }).collect_view()}
                </ul>
                <ul id="class-list-invited">
                    {r.invited.iter().map(|i| {
                        let email = i.email.clone();
                        view! {
                            <li class="invited">
                                <strong>{i.email.to.clone()}</strong> " " <code>{i.code.clone()}</code> " "
                                <button class="link" on:click=move |_| open_mail(email.clone())><Tr k="class_list.send" /></button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </section>
        <section class="card" id="invite-form">
            <h3><Tr k="coord.invite" /></h3>
            <p class="hint"><Tr k="coord.invite_hint" /></p>
            <label for="invite-role"><Tr k="coord.role" /></label>
            <select id="invite-role" on:change=move |ev| {
                role.set(match event_target_value(&ev).as_str() {
                    "mentee" => Role::Mentee,
                    "student" => Role::Student,
                    "professional" => Role::Professional,
                    "facilitator" => Role::Facilitator,
                    _ => Role::Mentor,
                });
                load_template();
            }>
                <option value="mentor" selected=true>{move || ctx.t("role.mentor")}</option>
                <option value="mentee">{move || ctx.t("role.mentee")}</option>
                <option value="student">{move || ctx.t("role.student")}</option>
                <option value="professional">{move || ctx.t("role.professional")}</option>
                <option value="facilitator">{move || ctx.t("role.facilitator")}</option>
            </select>
            <label for="invite-name"><Tr k="coord.name" /></label>
            <input id="invite-name" type="text" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            <label for="invite-email"><Tr k="coord.email" /></label>
            <input id="invite-email" type="email" prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
            <details class="template">
                <summary><Tr k="coord.template" /></summary>
                <label for="template-subject"><Tr k="invite.subject" /></label>
                <input id="template-subject" type="text" prop:value=move || subject.get() on:input=move |ev| subject.set(event_target_value(&ev)) />
                <label for="template-body"><Tr k="invite.body" /></label>
                <textarea id="template-body" rows=10 prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <p class="hint"><Tr k="coord.template_hint" /></p>
            </details>
            <button class="primary" id="send-invitation" on:click=invite><Tr k="coord.create_invitation" /></button>
            {move || result.get().map(|r| {
                let email = r.email.clone();
                view! {
                    <div class="invite-result" id="invite-result">
                        <p><Tr k="coord.code" /> " " <code id="invite-code">{r.code.clone()}</code></p>
                        <p><Tr k="coord.link" /> " " <code id="invite-link">{r.link.clone()}</code></p>
                        <p class="hint"><Tr k="join.valid_until" /> " " {r.expires.clone()}</p>
                        <button id="open-invite-mail" on:click=move |_| open_mail(email.clone())><Tr k="invite.open" /></button>
                    </div>
                }
            })}
        </section>
        <section class="card" id="people">
            <h3><Tr k="coord.people" /></h3>
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || ctx.t("coord.tab.people")>
                <table>
                    <thead><tr>
                        <th><Tr k="coord.name" /></th><th><Tr k="coord.role" /></th><th><Tr k="coord.state" /></th><th><Tr k="coord.code" /></th><th></th>
                    </tr></thead>
                    <tbody>
                        {move || dashboard.get().map(|d| d.people).unwrap_or_default().into_iter().map(|p| {
                            let state_key = match p.state.as_str() {
                                "accepted" => "state.accepted",
                                "declined" => "state.declined",
                                "revoked" => "state.revoked",
                                "expired" => "state.expired",
                                "withdrawn" => "state.withdrawn",
                                _ => "state.open",
                            };
                            let role_key = role_key(p.role);
                            let (invitation, person) = (p.invitation.clone(), p.person.clone());
                            let open = p.state == "open";
                            view! {
                                <tr class="person" data-state=p.state.clone()>
                                    <td>{p.name.clone()} <br /> <span class="hint">{p.email.clone()}</span></td>
                                    <td><Tr k=role_key /></td>
                                    <td><span class="badge state"><Tr k=state_key /></span>
                                        {p.paired.then(|| view! { " " <span class="badge"><Tr k="coord.paired" /></span> })}</td>
                                    <td><code>{if open { p.code.clone() } else { String::new() }}</code></td>
                                    <td>
                                        {open.then(|| {
                                            let invitation = invitation.clone();
                                            view! {
                                                <button class="link" on:click=move |_| ctx.run(cmd::RevokeInvitation { programme: id.get_value(), invitation: invitation.clone() },
                                                    move |_: ()| ctx.refresh.update(|n| *n += 1))>
                                                    <Tr k="coord.revoke" />
                                                </button>
                                            }
                                        })}
                                        {(p.state == "accepted").then(|| person.clone()).flatten().map(|person| view! {
                                            <button class="link" on:click=move |_| ctx.run(cmd::RemovePerson { programme: id.get_value(), person: person.clone() },
                                                move |_: ()| ctx.refresh.update(|n| *n += 1))>
                                                <Tr k="coord.remove" />
                                            </button>
                                        })}
                                        {(p.state == "withdrawn").then(|| person.clone()).flatten().map(|person| view! {
                                            <button class="link erase-who-left" on:click=move |_| ctx.run(cmd::EraseWhoLeft { programme: id.get_value(), person: person.clone() },
                                                move |_: ()| ctx.refresh.update(|n| *n += 1))>
                                                <Tr k="coord.erase_who_left" />
                                            </button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn PairingTab(programme: String, dashboard: Memo<Option<Dashboard>>) -> impl IntoView {
    let ctx = use_ctx();
    let id = StoredValue::new(programme);
    let selected = RwSignal::new(None::<String>);
    let suggestions = RwSignal::new(Vec::<SuggestionView>::new());
    let proposals = RwSignal::new(Vec::<ProposalView>::new());
    let matching = move || {
        dashboard
            .get()
            .is_some_and(|d| d.setup.settings.pairing == Pairing::Matching)
    };
    let load_proposals = move || {
        if matching() {
            ctx.run(
                cmd::Proposals {
                    programme: id.get_value(),
                },
                move |p: Vec<ProposalView>| proposals.set(p),
            );
        }
    };
    load_proposals();
    let choose = move |mentee: String| {
        selected.set(Some(mentee.clone()));
        ctx.run(
            cmd::Suggestions {
                programme: id.get_value(),
                mentee,
            },
            move |s: Vec<SuggestionView>| suggestions.set(s),
        );
    };
    let pair = move |mentor: String, mentee: String| {
        ctx.run(
            cmd::FormPair {
                programme: id.get_value(),
                mentor,
                mentee,
            },
            move |_: String| {
                selected.set(None);
                suggestions.set(Vec::new());
                load_proposals();
                ctx.refresh.update(|n| *n += 1);
            },
        );
    };
    let weights = RwSignal::new(Vec::<(String, u64)>::new());
    Effect::new(move |_| {
        weights.set(
            dashboard
                .get()
                .map(|d| d.setup.criteria)
                .unwrap_or_default(),
        )
    });
    let save_weights = move || {
        ctx.run(
            cmd::SaveCriteria {
                programme: id.get_value(),
                criteria: weights.get_untracked(),
            },
            move |_: ()| {
                if let Some(mentee) = selected.get_untracked() {
                    choose(mentee);
                }
            },
        )
    };
    view! {
        <Show when=matching>
            <section class="card" id="proposals">
                <h3><Tr k="pairing.proposals" /></h3>
                <p class="hint"><Tr k="pairing.proposals_hint" /></p>
                {move || {
                    let list = proposals.get();
                    if list.is_empty() {
                        return view! { <p class="muted"><Tr k="pairing.no_proposals" /></p> }.into_any();
                    }
                    view! { <ul>{list.into_iter().map(|p| {
                        let (mentor, mentee) = (p.mentor.clone(), p.mentee.clone());
                        view! {
                            <li class="proposal">{format!("{} + {}", p.mentor_name, p.mentee_name)} " "
                                <button on:click=move |_| pair(mentor.clone(), mentee.clone())><Tr k="pairing.confirm" /></button>
                            </li>
                        }
                    }).collect_view()}</ul> }.into_any()
                }}
            </section>
        </Show>
        <section class="card" id="preselection">
            <h3><Tr k="pairing.mentees" /></h3>
            <p class="hint"><Tr k="pairing.mentees_hint" /></p>
            <ul class="mentees">
                {move || dashboard.get().map(|d| d.unpaired_mentees).unwrap_or_default().into_iter().map(|m| {
                    let person = m.person.clone();
                    let is_selected = { let person = person.clone(); move || selected.get().as_deref() == Some(person.as_str()) };
                    view! {
                        <li>
                            <button class="link mentee-choice" class:active=is_selected data-person=person.clone()
                                on:click=move |_| choose(person.clone())>{m.name.clone()}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || selected.get().is_some()>
                <h4><Tr k="pairing.suggestions" /></h4>
                <ol class="suggestions" id="suggestions">
                    {move || suggestions.get().into_iter().map(|s| {
                        let (mentor, mentee) = (s.mentor.clone(), selected.get().unwrap_or_default());
                        view! {
                            <li class="suggestion" class:full=s.full data-mentor=s.mentor.clone()>
                                <strong>{s.name.clone()}</strong> " · " <Tr k="pairing.score" /> " " {s.score}
                                <ul class="reasons">{s.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
                                <button class="primary pair-button" disabled=s.full on:click=move |_| pair(mentor.clone(), mentee.clone())>
                                    <Tr k="pairing.pair" />
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </Show>
            <details class="criteria">
                <summary><Tr k="pairing.criteria" /></summary>
                <p class="hint"><Tr k="pairing.criteria_hint" /></p>
                {move || weights.get().into_iter().enumerate().map(|(i, (key, weight))| {
                    let label: &'static str = match key.as_str() {
                        "same_track" => "criterion.same_track",
                        "shared_interests" => "criterion.shared_interests",
                        _ => "criterion.self_check",
                    };
                    view! {
                        <label class="weight">
                            <Tr k=label />
                            <select on:change=move |ev| {
                                let w = event_target_value(&ev).parse().unwrap_or(0);
                                weights.update(|ws| if let Some(item) = ws.get_mut(i) { item.1 = w });
                                save_weights();
                            }>
                                {(0u64..=5).map(|n| view! { <option value=n.to_string() selected=n == weight>{n}</option> }).collect_view()}
                            </select>
                        </label>
                    }
                }).collect_view()}
            </details>
        </section>
        <section class="card" id="mentors">
            <h3><Tr k="pairing.mentors" /></h3>
            <ul>
                {move || dashboard.get().map(|d| d.mentors).unwrap_or_default().into_iter().map(|m| view! {
                    <li>{m.name.clone()} " · " {format!("{}/{}", m.paired, m.capacity)} " " <Tr k="pairing.places" />
                        " · " <Tr k="pairing.self_check" /> " " {m.self_check.clone()}</li>
                }).collect_view()}
            </ul>
        </section>
        <section class="card" id="current-pairs">
            <h3><Tr k="coord.pairs" /></h3>
            <ul>
                {move || dashboard.get().map(|d| d.pairs).unwrap_or_default().into_iter().map(|p| {
                    let group = p.group.clone();
                    view! {
                        <li>{format!("{} + {}", p.mentor, p.mentee)} " "
                            <button class="link dissolve" on:click=move |_| ctx.run(cmd::Dissolve { programme: id.get_value(), group: group.clone() },
                                move |_: ()| ctx.refresh.update(|n| *n += 1))>
                                <Tr k="pairing.dissolve" />
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn SetupTab(programme: String, dashboard: Memo<Option<Dashboard>>) -> impl IntoView {
    let ctx = use_ctx();
    let id = StoredValue::new(programme);
    let settings = RwSignal::new(Settings::default());
    let quarters = RwSignal::new(Vec::<(String, String)>::new());
    Effect::new(move |_| {
        if let Some(d) = dashboard.get() {
            settings.set(d.setup.settings);
            quarters.set(d.setup.quarters);
        }
    });
    let saved = RwSignal::new(false);
    let save = move |_| {
        let args = cmd::SaveSettings {
            programme: id.get_value(),
            settings: settings.get_untracked(),
            quarters: quarters.get_untracked(),
        };
        ctx.run(args, move |_: ()| {
            saved.set(true);
            ctx.refresh.update(|n| *n += 1);
        });
    };
    view! {
        <section class="card" id="checklist">
            <h3><Tr k="coord.checklist" /></h3>
            <p class="hint"><Tr k="coord.checklist_hint" /></p>
            {move || dashboard.get().map(|d| d.setup.checklist).unwrap_or_default().into_iter().map(|item| {
                let key = item.key.clone();
                view! {
                    <label class="check">
                        <input type="checkbox" id=format!("check-{}", item.key) prop:checked=item.done on:change=move |ev| {
                            ctx.run(cmd::SetChecklist { programme: id.get_value(), key: key.clone(), done: event_target_checked(&ev) },
                                move |_: ()| ctx.refresh.update(|n| *n += 1));
                        } />
                        {item.label.clone()}
                    </label>
                }
            }).collect_view()}
        </section>
        <section class="card" id="settings">
            <h3><Tr k="coord.settings" /></h3>
            <SettingsChoice settings=settings />
            <h4><Tr k="coord.quarters" /></h4>
            {move || quarters.get().into_iter().enumerate().map(|(i, (start, end))| view! {
                <div class="fields inline">
                    <label>{format!("{} {}", ctx.t("coord.quarter"), i + 1)}
                        <input type="date" id=format!("quarter-{i}-start") prop:value=start on:change=move |ev| {
                            let v = event_target_value(&ev);
                            quarters.update(|q| if let Some(q) = q.get_mut(i) { q.0 = v });
                        } />
                    </label>
                    <label>" – "
                        <input type="date" id=format!("quarter-{i}-end") prop:value=end on:change=move |ev| {
                            let v = event_target_value(&ev);
                            quarters.update(|q| if let Some(q) = q.get_mut(i) { q.1 = v });
                        } />
                    </label>
                </div>
            }).collect_view()}
            <button class="primary" id="save-settings" on:click=save><Tr k="coord.save" /></button>
            <Show when=move || saved.get()><p class="ok"><Tr k="profile.saved" /></p></Show>
        </section>
        <section class="card" id="guide">
            <h3><Tr k="coord.guide" /></h3>
            <p class="hint">
                {move || view! { <Tr k=if dashboard.get().is_some_and(|d| d.setup.guide_editable_by_coordinator) { "coord.guide_central" } else { "coord.guide_decentral" } /> }}
            </p>
            {move || {
                let editable = dashboard.get().is_some_and(|d| d.setup.guide_editable_by_coordinator);
                dashboard.get().map(|d| d.setup.guide).unwrap_or_default().into_iter().map(|topic| {
                    let title = RwSignal::new(topic.title.clone());
                    let tells = RwSignal::new(topic.tells.join("\n"));
                    let ask = RwSignal::new(topic.ask.join("\n"));
                    let topic_id = topic.topic.clone();
                    let save = move |_| {
                        let args = cmd::EditTopic {
                            programme: id.get_value(),
                            topic: topic_id.clone(),
                            title: title.get_untracked(),
                            tells: tells.get_untracked().lines().map(str::to_owned).collect(),
                            ask: ask.get_untracked().lines().map(str::to_owned).collect(),
                        };
                        ctx.run(args, move |_: ()| ctx.refresh.update(|n| *n += 1));
                    };
                    view! {
                        <details class="topic-edit">
                            <summary>{format!("{}. {} — {}", topic.number, topic.title, topic.timing)}</summary>
                            <label><Tr k="coord.topic_title" />
                                <input type="text" disabled=!editable prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) /></label>
                            <label><Tr k="coord.topic_tells" />
                                <textarea rows=3 disabled=!editable prop:value=move || tells.get() on:input=move |ev| tells.set(event_target_value(&ev))></textarea></label>
                            <label><Tr k="coord.topic_ask" />
                                <textarea rows=3 disabled=!editable prop:value=move || ask.get() on:input=move |ev| ask.set(event_target_value(&ev))></textarea></label>
                            {editable.then(|| view! { <button on:click=save><Tr k="coord.save" /></button> })}
                        </details>
                    }
                }).collect_view()
            }}
        </section>
        <ProgrammeEnd programme=id.get_value() dashboard=dashboard />
    }
}

/// The end of the year: archive (read-only for everyone), then erase (everything, everywhere;
/// the evaluation's figures stay with her).
#[component]
fn ProgrammeEnd(programme: String, dashboard: Memo<Option<Dashboard>>) -> impl IntoView {
    let ctx = use_ctx();
    let id = StoredValue::new(programme);
    let archived = move || dashboard.get().is_some_and(|d| d.archived);
    let understood = RwSignal::new(false);
    let archive = move |_| {
        ctx.run(
            cmd::ArchiveProgramme {
                programme: id.get_value(),
            },
            move |_: ()| ctx.refresh.update(|n| *n += 1),
        )
    };
    let erase = move |_| {
        ctx.run(
            cmd::EraseProgramme {
                programme: id.get_value(),
            },
            move |_: ()| {
                ctx.go(Route::Home);
                ctx.refresh.update(|n| *n += 1);
            },
        )
    };
    view! {
        <section class="card" id="programme-end">
            <h3><Tr k="end.title" /></h3>
            <Show when=archived fallback=move || view! {
                <p class="hint"><Tr k="end.archive_hint" /></p>
                <button id="archive-programme" on:click=archive><Tr k="end.archive" /></button>
            }>
                <p class="ok" id="programme-archived"><Tr k="end.archived" /></p>
                <p class="hint"><Tr k="end.erase_hint" /></p>
                <label class="check">
                    <input type="checkbox" id="erase-programme-understood" prop:checked=move || understood.get()
                        on:change=move |ev| understood.set(event_target_checked(&ev)) />
                    <Tr k="end.erase_understood" />
                </label>
                <button class="danger" id="erase-programme" prop:disabled=move || !understood.get() on:click=erase>
                    <Tr k="end.erase" />
                </button>
            </Show>
        </section>
    }
}

#[component]
fn EvaluationTab(programme: String) -> impl IntoView {
    let ctx = use_ctx();
    let exported = RwSignal::new(None::<String>);
    let id = StoredValue::new(programme);
    let summary = ctx.shown(move || cmd::EvaluationSummary {
        programme: id.get_value(),
    });
    let export = move |_| {
        ctx.run(
            cmd::ExportEvaluations {
                programme: id.get_value(),
            },
            move |f: SavedFile| exported.set(Some(f.path)),
        )
    };
    let export_programme = move |_| {
        ctx.run(
            cmd::ExportProgramme {
                programme: id.get_value(),
            },
            move |f: SavedFile| exported.set(Some(f.path)),
        )
    };
    view! {
        <section class="card" id="evaluation-summary">
            <h3><Tr k="coord.tab.evaluation" /></h3>
            {move || summary.get().map(|s| view! {
                <p>{s.responses} " " <Tr k="eval.responses" /> " (" {s.mentees} " " <Tr k="role.mentee" /> ", " {s.mentors} " " <Tr k="role.mentor" /> ")"</p>
                <p><Tr k="eval.overall" /> " " <strong>{s.overall.map(|a| format!("{a:.1}")).unwrap_or_else(|| "—".into())}</strong></p>
                <table id="topic-ratings">
                    <thead><tr><th><Tr k="eval.topic" /></th><th><Tr k="eval.average" /></th><th><Tr k="eval.count" /></th></tr></thead>
                    <tbody>{s.topics.iter().map(|t| view! {
                        <tr><td>{format!("{}. {}", t.number, t.title)}</td>
                            <td>{t.average.map(|a| format!("{a:.1}")).unwrap_or_else(|| "—".into())}</td>
                            <td>{t.count}</td></tr>
                    }).collect_view()}</tbody>
                </table>
                <h4><Tr k="eval.answers" /></h4>
                {s.answers.iter().map(|a| view! {
                    <article class="answer">
                        <p><strong><Tr k=role_key(a.role) /></strong></p>
                        <p>{a.experience.clone()}</p>
                        <p><Tr k="eval.good" /> " " {a.good.clone()}</p>
                        <p><Tr k="eval.less_good" /> " " {a.less_good.clone()}</p>
                    </article>
                }).collect_view()}
            })}
            <button id="export-evaluations" on:click=export><Tr k="eval.export" /></button>
            <button id="export-programme" on:click=export_programme><Tr k="eval.export_programme" /></button>
            {move || exported.get().map(|path| view! { <p class="saved" id="export-result"><Tr k="export.saved" /> " " <code>{path}</code></p> })}
        </section>
    }
}

/// The coordinator's tab: form circles from accepted students, professionals and teachers, and
/// follow their sessions (dates and attendance, never notes).
#[component]
pub fn CirclesTab(programme: String) -> impl IntoView {
    let ctx = use_ctx();
    let name = RwSignal::new(String::new());
    let organisation = RwSignal::new("VHTO".to_owned());
    let teacher = RwSignal::new(String::new());
    let students = RwSignal::new(Vec::<String>::new());
    let professionals = RwSignal::new(Vec::<String>::new());
    let setup = {
        let programme = programme.clone();
        ctx.shown(move || cmd::CircleSetup {
            programme: programme.clone(),
        })
    };
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
