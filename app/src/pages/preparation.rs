//! The mentor's preparation for each topic of the guide.

use leptos::prelude::*;
use pm_domain::commands as cmd;

use crate::components::{NoteEditor, Tr, saver};
use crate::shell::call;
use crate::{Route, use_ctx};

/// The mentors' shared preparation, one page per guide topic; not visible to mentees.
#[component]
pub fn Preparation(group: String) -> impl IntoView {
    let ctx = use_ctx();
    let pages = {
        let group = group.clone();
        ctx.shown(move || cmd::Preparation {
            group: group.clone(),
        })
    };
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
