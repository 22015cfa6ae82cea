//! The mentor's first e-mail to her mentee, with proposed dates.

use leptos::prelude::*;
use pm_domain::api::Email;
use pm_domain::commands as cmd;

use crate::components::Tr;
use crate::{Route, use_ctx};

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
