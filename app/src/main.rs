//! # app
//!
//! The Peer Mentoring window, a Leptos client-side app. It shows what the device shell hands it
//! (view values from `mentoring::api`) and asks the shell to act; it decides nothing itself.

mod tauri;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mentoring::api::{SyncState, SyncStatus};
use mentoring::model::Language;
use serde::Deserialize;

use crate::tauri::{CommandError, NoArgs, call, on_event};
use mentoring::i18n::{t, tf};

#[derive(Debug, Clone, Deserialize)]
struct AppInfo {
    startup_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct DocumentEntry {
    id: String,
    kind: String,
    title: String,
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let language = RwSignal::new(Language::Nl);
    provide_context(language);
    let status = RwSignal::new(None::<SyncStatus>);
    let documents = RwSignal::new(Vec::<DocumentEntry>::new());
    let startup_error = RwSignal::new(None::<String>);

    let load_documents = move || {
        spawn_local(async move {
            if let Ok(list) = call::<_, Vec<DocumentEntry>>("documents", &NoArgs {}).await {
                documents.set(list);
            }
        })
    };
    spawn_local(async move {
        if let Ok(info) = call::<_, AppInfo>("app_info", &NoArgs {}).await {
            startup_error.set(info.startup_error);
        }
        match call::<_, SyncStatus>("sync_status", &NoArgs {}).await {
            Ok(s) => status.set(Some(s)),
            Err(CommandError { detail, .. }) => startup_error.set(Some(detail)),
        }
    });
    load_documents();
    on_event("sync-status", move |s: SyncStatus| status.set(Some(s)));
    on_event("doc-changed", move |_: String| load_documents());

    let tr = move |key: &'static str| move || t(language.get(), key);
    view! {
        <header class="topbar">
            <h1 class="brand">{tr("app.name")}</h1>
            <SyncIndicator status=status />
            <button
                id="language-switch"
                class="link"
                on:click=move |_| {
                    language.update(|l| *l = if *l == Language::Nl { Language::En } else { Language::Nl })
                }
            >
                {tr("lang.switch")}
            </button>
        </header>
        <main id="home">
            <Show when=move || startup_error.get().is_some()>
                <p class="error" role="alert">
                    {tr("error.storage_unavailable")} ": " {move || startup_error.get().unwrap_or_default()}
                </p>
            </Show>
            <h2>{tr("home.welcome")}</h2>
            <p>{tr("home.intro")}</p>
            <h3>{tr("home.documents")}</h3>
            <Show
                when=move || !documents.get().is_empty()
                fallback=move || view! { <p class="muted">{tr("home.no_documents")}</p> }
            >
                <ul class="documents">
                    <For
                        each=move || documents.get()
                        key=|d| d.id.clone()
                        children=move |d| view! { <li data-kind=d.kind.clone()>{d.title.clone()}</li> }
                    />
                </ul>
            </Show>
        </main>
    }
}

/// The persistent sync indicator: state, unsent changes, last sync time, storage trouble.
#[component]
fn SyncIndicator(status: RwSignal<Option<SyncStatus>>) -> impl IntoView {
    let language = expect_context::<RwSignal<Language>>();
    let state = move || {
        status
            .get()
            .map(|s| s.state)
            .unwrap_or(SyncState::Connecting)
    };
    let label = move || {
        let lang = language.get();
        let Some(s) = status.get() else {
            return t(lang, "sync.connecting");
        };
        let mut parts = vec![t(lang, &format!("sync.{}", s.state.as_str()))];
        if s.pending_changes > 0 {
            parts.push(tf(
                lang,
                "sync.pending",
                &[("n", &s.pending_changes.to_string())],
            ));
        }
        if let Some(at) = s.last_synced.as_deref().and_then(local_time)
            && s.state != SyncState::Off
        {
            parts.push(tf(lang, "sync.last", &[("time", &at)]));
        }
        parts.join(" · ")
    };
    let storage_error = move || {
        status
            .get()
            .and_then(|s| s.storage_error)
            .map(|detail| tf(language.get(), "storage.error", &[("detail", &detail)]))
    };
    view! {
        <div id="sync-status" class="sync" data-state=move || state().as_str() role="status" aria-live="polite">
            <span class="dot" aria-hidden="true"></span>
            <span class="label">{label}</span>
        </div>
        {move || storage_error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
    }
}

/// "14:32" in the device's time zone, from an RFC 3339 time.
fn local_time(rfc3339: &str) -> Option<String> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    let ms = date.get_time();
    if ms.is_nan() {
        return None;
    }
    Some(format!("{:02}:{:02}", date.get_hours(), date.get_minutes()))
}
