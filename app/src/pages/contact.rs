//! A line to the contact person: a mentor or mentee writes to the programme's coordinator (a
//! question, or a concern about her pair) and reads the answers. Works offline: the message is
//! kept on the device and goes once there is a connection.

use leptos::prelude::*;
use pm_domain::api::ContactMessage;
use pm_domain::commands as cmd;

use crate::components::{Tr, local_date_time};
use crate::{Route, use_ctx};

#[component]
pub fn ContactPage(programme: String) -> impl IntoView {
    let ctx = use_ctx();
    let id = StoredValue::new(programme);
    let loaded = ctx.shown(move || cmd::ContactMessages {
        programme: id.get_value(),
    });
    let messages = move || loaded.get().unwrap_or_default();
    let about = RwSignal::new("question".to_owned());
    let text = RwSignal::new(String::new());
    let send = move |_| {
        ctx.run(
            cmd::SendContactMessage {
                programme: id.get_value(),
                about: about.get_untracked(),
                text: text.get_untracked(),
            },
            move |_: Vec<ContactMessage>| {
                text.set(String::new());
                ctx.refresh.update(|n| *n += 1);
            },
        )
    };
    view! {
        <button class="link back" id="back-home" on:click=move |_| ctx.go(Route::Home)>"← " <Tr k="nav.home" /></button>
        <section id="contact-page" class="card narrow">
            <h2><Tr k="contact.title" /></h2>
            <p class="hint"><Tr k="contact.intro" /></p>
            <ul id="contact-messages" class="messages">
                {move || {
                    let list = messages();
                    if list.is_empty() {
                        view! { <li class="muted"><Tr k="contact.none" /></li> }.into_any()
                    } else {
                        list.into_iter().map(|m| view! {
                            <li class="message" class:mine=m.mine data-mine=m.mine.to_string()>
                                <p class="muted">
                                    <strong>{m.from.clone()}</strong> " · " {m.about.clone()} " · "
                                    {local_date_time(&m.sent_at).unwrap_or_default()}
                                </p>
                                <p class="message-text">{m.text.clone()}</p>
                            </li>
                        }).collect_view().into_any()
                    }
                }}
            </ul>
            <label for="contact-about"><Tr k="contact.about" /></label>
            <select id="contact-about" on:change=move |ev| about.set(event_target_value(&ev))>
                <option value="question" selected=move || about.get() == "question"><Tr k="contact.about.question" /></option>
                <option value="pair" selected=move || about.get() == "pair"><Tr k="contact.about.pair" /></option>
            </select>
            <label for="contact-text"><Tr k="contact.text" /></label>
            <textarea id="contact-text" rows=4 prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <button class="primary" id="contact-send" on:click=send><Tr k="contact.send" /></button>
        </section>
    }
}
