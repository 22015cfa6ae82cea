//! A circle session's own screen (agenda, circle notes, her reflection, attendance) and the
//! circle leaflet.

use leptos::prelude::*;
use pm_domain::api::SavedFile;
use pm_domain::circle::LEAFLET_SECTIONS;
use pm_domain::commands as cmd;
use pm_domain::model::MeetingStatus;

use crate::components::{NoteEditor, Tr, role_key, saver};
use crate::shell::call;
use crate::{Route, use_ctx};

/// A circle session's own screen.
#[component]
pub fn CircleSession(group: String, meeting: String) -> impl IntoView {
    let ctx = use_ctx();
    let page = {
        let (group, meeting) = (group.clone(), meeting.clone());
        ctx.shown(move || cmd::CircleSession {
            group: group.clone(),
            meeting: meeting.clone(),
        })
    };
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
