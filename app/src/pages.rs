//! The smaller screens: first launch, the first-contact e-mail, and the mentors' preparation.

use leptos::prelude::*;
use pm_domain::api::{Email, PreparationPage, Profile};
use pm_domain::commands as cmd;
use pm_domain::model::Role;

use crate::tauri::call;
use crate::widgets::{NoteEditor, Tr, saver};
use crate::{Route, use_ctx};

/// First launch: her name, and three ways in: an invitation, setting up a programme, the demo.
#[component]
pub fn Welcome() -> impl IntoView {
    let ctx = use_ctx();
    let name = RwSignal::new(
        ctx.profile
            .get_untracked()
            .map(|p| p.name)
            .unwrap_or_default(),
    );
    let role = RwSignal::new(ctx.profile.get_untracked().and_then(|p| p.role));
    // Saves what she filled in (nothing is needed for the demo), then goes on.
    let go = move |next: Route, demo: bool| {
        let typed = name.get_untracked();
        let chosen = role.get_untracked();
        let after = move || {
            ctx.run(cmd::Profile {}, move |p: Profile| {
                ctx.profile.set(Some(p));
                if demo {
                    ctx.run(cmd::OpenDemo {}, move |_: String| ctx.go(Route::Home));
                } else {
                    ctx.go(next.clone());
                }
            });
        };
        if typed.trim().is_empty() {
            if demo {
                ctx.run(cmd::SaveProfileRole { role: chosen }, move |_: ()| after());
            } else {
                after();
            }
        } else {
            ctx.run(
                cmd::SaveProfile {
                    name: typed,
                    role: chosen,
                },
                move |_: Profile| after(),
            );
        }
    };
    view! {
        <section id="welcome" class="card narrow">
            <h2><Tr k="welcome.title" /></h2>
            <p><Tr k="welcome.intro" /></p>
            <label for="profile-name"><Tr k="welcome.name" /></label>
            <input id="profile-name" type="text" autocomplete="given-name" prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev)) />
            <div class="welcome-choices">
                <div class="choice">
                    <h3><Tr k="start.join" /></h3>
                    <p><Tr k="start.join_hint" /></p>
                    <button class="primary" id="welcome-join" on:click=move |_| go(Route::Join, false)>
                        <Tr k="start.join_button" />
                    </button>
                </div>
                <div class="choice">
                    <h3><Tr k="start.coordinate" /></h3>
                    <p><Tr k="start.coordinate_hint" /></p>
                    <button id="welcome-coordinate" on:click=move |_| go(Route::NewProgramme, false)>
                        <Tr k="start.coordinate_button" />
                    </button>
                </div>
                <div class="choice">
                    <h3><Tr k="start.demo" /></h3>
                    <p><Tr k="start.demo_hint" /></p>
                    <fieldset class="roles">
                        <legend><Tr k="welcome.demo_as" /></legend>
                        <label class="check">
                            <input type="radio" name="role" id="role-mentee" prop:checked=move || role.get() != Some(Role::Mentor)
                                on:change=move |_| role.set(Some(Role::Mentee)) />
                            <Tr k="role.mentee" />
                        </label>
                        <label class="check">
                            <input type="radio" name="role" id="role-mentor" prop:checked=move || role.get() == Some(Role::Mentor)
                                on:change=move |_| role.set(Some(Role::Mentor)) />
                            <Tr k="role.mentor" />
                        </label>
                    </fieldset>
                    <button id="welcome-demo" on:click=move |_| go(Route::Home, true)>
                        <Tr k="welcome.demo" />
                    </button>
                </div>
            </div>
            <p class="hint"><Tr k="welcome.privacy" /></p>
        </section>
    }
}

/// The mentor's first e-mail to her mentee: proposed times, an editable template, then the mail
/// client opens with everything filled in.
#[component]
pub fn Invite(group: String) -> impl IntoView {
    let ctx = use_ctx();
    let to = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let proposals: [(RwSignal<String>, RwSignal<String>); 3] =
        std::array::from_fn(|_| (RwSignal::new(String::new()), RwSignal::new(String::new())));
    let email = RwSignal::new(None::<Email>);
    ctx.run(
        cmd::FirstContactTemplate {},
        move |t: pm_domain::api::Template| {
            subject.set(t.subject);
            body.set(t.body);
        },
    );
    let prepare = move |_| {
        let args = cmd::FirstContactEmail {
            group: group.clone(),
            to: to.get_untracked(),
            subject: subject.get_untracked(),
            body: body.get_untracked(),
            proposals: proposals
                .iter()
                .map(|(d, t)| pm_domain::api::Proposal {
                    date: d.get_untracked(),
                    time: t.get_untracked(),
                })
                .collect(),
        };
        ctx.run(args, move |e: Email| email.set(Some(e)));
    };
    let open = move |_| {
        if let Some(e) = email.get_untracked() {
            ctx.run(cmd::OpenMail { mailto: e.mailto }, |_: ()| {});
        }
    };
    view! {
        <button class="link back" id="back-home" on:click=move |_| ctx.go(Route::Home)>"← " <Tr k="nav.home" /></button>
        <section id="invite-page" class="card narrow">
            <h2><Tr k="invite.title" /></h2>
            <p><Tr k="invite.intro" /></p>
            <label for="invite-to"><Tr k="invite.to" /></label>
            <input id="invite-to" type="email" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
            <fieldset>
                <legend><Tr k="invite.times" /></legend>
                {proposals.into_iter().enumerate().map(|(i, (date, time))| view! {
                    <div class="fields inline">
                        <input id=format!("proposal-date-{i}") type="date" aria-label=move || ctx.t("plan.date")
                            prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) on:change=move |ev| date.set(event_target_value(&ev)) />
                        <input id=format!("proposal-time-{i}") type="time" aria-label=move || ctx.t("plan.time")
                            prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev)) on:change=move |ev| time.set(event_target_value(&ev)) />
                    </div>
                }).collect_view()}
            </fieldset>
            <label for="invite-subject"><Tr k="invite.subject" /></label>
            <input id="invite-subject" type="text" prop:value=move || subject.get() on:input=move |ev| subject.set(event_target_value(&ev)) />
            <label for="invite-body"><Tr k="invite.body" /></label>
            <textarea id="invite-body" rows=12 prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            <p class="hint"><Tr k="invite.placeholders" /></p>
            <button class="primary" id="prepare-mail" on:click=prepare><Tr k="invite.prepare" /></button>
            {move || email.get().map(|e| view! {
                <div class="mail-preview" id="mail-preview">
                    <p><strong>{e.subject.clone()}</strong></p>
                    <pre>{e.body.clone()}</pre>
                    <a id="mailto" href=e.mailto.clone() on:click=move |ev| { ev.prevent_default(); open(ev) }>
                        <Tr k="invite.open" />
                    </a>
                </div>
            })}
        </section>
    }
}

/// The mentors' shared preparation, one page per guide topic; not visible to mentees.
#[component]
pub fn Preparation(group: String) -> impl IntoView {
    let ctx = use_ctx();
    let pages = RwSignal::new(None::<Vec<PreparationPage>>);
    {
        let group = group.clone();
        Effect::new(move |_| {
            ctx.refresh.track();
            ctx.lang.track();
            ctx.load(
                cmd::Preparation {
                    group: group.clone(),
                },
                move |p: Vec<PreparationPage>| pages.set(Some(p)),
            );
        });
    }
    let topics = Memo::new(move |_| {
        pages.with(|p| {
            p.as_ref()
                .map(|p| p.iter().map(|t| t.topic.clone()).collect::<Vec<_>>())
        })
    });
    view! {
        <button class="link back" id="back-home" on:click=move |_| ctx.go(Route::Home)>"← " <Tr k="nav.home" /></button>
        <section id="preparation-page">
            <h2><Tr k="prep.title" /></h2>
            <p><Tr k="prep.intro" /></p>
            <For
                each=move || topics.get().unwrap_or_default()
                key=|t| t.clone()
                children=move |topic| {
                    let page = {
                        let topic = topic.clone();
                        Memo::new(move |_| pages.with(|p| p.as_ref().and_then(|p| p.iter().find(|t| t.topic == topic).cloned())))
                    };
                    let value = Signal::derive(move || page.get().map(|p| p.text));
                    let (group, topic_id) = (group.clone(), topic.clone());
                    let save = saver(move |base, text| {
                        let command = cmd::WritePreparation { group: group.clone(), topic: topic_id.clone(), base, text };
                        async move { call(&command).await }
                    });
                    let id = format!("prep-{topic}");
                    view! {
                        <article class="card">
                            <h3>{move || page.get().map(|p| format!("{}. {}", p.number, p.title))}</h3>
                            <ul class="prompts">{move || page.get().map(|p| p.tells.into_iter().chain(p.ask).map(|t| view! { <li>{t}</li> }).collect_view())}</ul>
                            <NoteEditor id=id label="prep.notes" value=value save=save rows=5 />
                        </article>
                    }
                }
            />
        </section>
    }
}
