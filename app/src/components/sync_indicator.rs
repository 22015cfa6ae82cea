//! The sync indicator: online, offline, waiting changes, a disk that refuses writes.

use leptos::prelude::*;
use pm_domain::api::{SyncState, SyncStatus};
use pm_domain::i18n::{t, tf};

use crate::components::local_time;
use crate::use_ctx;

/// The persistent sync indicator: state, unsent changes, last sync time, storage trouble.
#[component]
pub fn SyncIndicator(status: RwSignal<Option<SyncStatus>>) -> impl IntoView {
    let ctx = use_ctx();
    let state = move || {
        status
            .get()
            .map(|s| s.state)
            .unwrap_or(SyncState::Connecting)
    };
    let label = move || {
        let lang = ctx.lang.get();
        let Some(s) = status.get() else {
            return t(lang, "sync.connecting");
        };
        let mut parts = vec![t(lang, &format!("sync.{}", s.state.as_str()))];
        if let Some(at) = s.last_synced.as_deref().and_then(local_time)
            && s.state != SyncState::Off
        {
            parts.push(tf(lang, "sync.last", &[("time", &at)]));
        }
        if s.pending_changes > 0 {
            parts.push(tf(
                lang,
                "sync.pending",
                &[("n", &s.pending_changes.to_string())],
            ));
        }
        if s.not_accepted_changes > 0 {
            parts.push(tf(
                lang,
                "sync.not_accepted",
                &[("n", &s.not_accepted_changes.to_string())],
            ));
        }
        parts.join(" · ")
    };
    let storage_error = move || {
        status
            .get()
            .and_then(|s| s.storage_error)
            .map(|detail| tf(ctx.lang.get(), "storage.error", &[("detail", &detail)]))
    };
    view! {
        <div id="sync-status" class="sync" data-state=move || state().as_str() role="status" aria-live="polite">
            <span class="dot" aria-hidden="true"></span>
            <span class="label">{label}</span>
        </div>
        {move || storage_error().map(|e| view! { <p class="error storage" role="alert">{e}</p> })}
    }
}
