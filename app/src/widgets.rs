//! Small pieces every screen uses: translated text, the sync indicator, the note editor.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use leptos::html::Textarea;
use leptos::prelude::*;
use leptos::task::spawn_local;
use pm_domain::api::{SyncState, SyncStatus, TextValue};
use pm_domain::i18n::{t, tf};

use crate::tauri::CommandError;
use crate::{Ctx, use_ctx};

/// A translated label. Carries its key in `data-i18n`, so tests can check every label switches.
#[component]
pub fn Tr(k: &'static str) -> impl IntoView {
    let ctx = use_ctx();
    view! { <span data-i18n=k>{move || t(ctx.lang.get(), k)}</span> }
}

/// A translated label with `{name}` values filled in.
#[component]
pub fn TrF(
    k: &'static str,
    #[prop(into)] values: Signal<Vec<(&'static str, String)>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let text = move || {
        let values = values.get();
        let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tf(ctx.lang.get(), k, &pairs)
    };
    view! { <span data-i18n=k data-i18n-args="1">{text}</span> }
}

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

/// "30-11-2026 14:32" in the device's time zone, from an RFC 3339 time.
pub fn local_date_time(rfc3339: &str) -> Option<String> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return None;
    }
    Some(format!(
        "{:02}-{:02}-{} {:02}:{:02}",
        date.get_date(),
        date.get_month() + 1,
        date.get_full_year(),
        date.get_hours(),
        date.get_minutes()
    ))
}

/// "14:32" in the device's time zone, from an RFC 3339 time.
fn local_time(rfc3339: &str) -> Option<String> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return None;
    }
    Some(format!("{:02}:{:02}", date.get_hours(), date.get_minutes()))
}

/// Saves a text: (base, text) → the merged text.
pub type Saver =
    Rc<dyn Fn(String, String) -> Pin<Box<dyn Future<Output = Result<TextValue, CommandError>>>>>;

/// The state of one note editor; every field is a cheap handle, so it is `Copy`.
#[derive(Clone, Copy)]
struct Editor {
    text: RwSignal<String>,
    /// The document state the shown text was read at (or the saved text is exact at).
    base: StoredValue<String>,
    /// Keystrokes so far, and how many of them are saved.
    edits: StoredValue<u64>,
    saved_edits: StoredValue<u64>,
    in_flight: StoredValue<bool>,
    state: RwSignal<&'static str>,
    area: NodeRef<Textarea>,
    save: StoredValue<Saver, LocalStorage>,
    ctx: Ctx,
}

impl Editor {
    fn unsaved(self) -> bool {
        self.edits.get_value() != self.saved_edits.get_value() || self.in_flight.get_value()
    }

    /// Shows `new`, keeping the caret where it was.
    fn show(self, new: String) {
        if self.text.get_untracked() == new {
            return;
        }
        let area = self.area.get_untracked();
        let caret = area.as_ref().map(|a| {
            (
                a.selection_start().ok().flatten(),
                a.selection_end().ok().flatten(),
            )
        });
        self.text.set(new.clone());
        if let (Some(a), Some((Some(start), Some(end)))) = (area, caret) {
            a.set_value(&new);
            let len = new.encode_utf16().count() as u32;
            let _ = a.set_selection_range(start.min(len), end.min(len));
        }
    }

    /// Saves what is unsaved; one save at a time, the next one continuing from the last.
    fn flush(self) {
        if self.in_flight.get_value() || self.edits.get_value() == self.saved_edits.get_value() {
            return;
        }
        self.in_flight.set_value(true);
        self.state.set("saving");
        let sent = self.edits.get_value();
        let future = self
            .save
            .with_value(|save| save(self.base.get_value(), self.text.get_untracked()));
        let ctx = self.ctx;
        spawn_local(async move {
            let result = future.await;
            self.in_flight.set_value(false);
            match result {
                Ok(saved) => {
                    self.saved_edits.set_value(sent);
                    if self.edits.get_value() == sent {
                        self.base.set_value(saved.base);
                        self.show(saved.text);
                        self.state.set("saved");
                    } else {
                        // She typed on meanwhile: continue from exactly what was saved.
                        self.base.set_value(saved.edit_base);
                        self.flush();
                    }
                }
                Err(e) => {
                    self.state.set("failed");
                    ctx.fail(e);
                }
            }
        });
    }
}

/// A text area that saves as the person types (after a pause, and when she leaves it), sends the
/// state it was read at with every save so merged text is kept, and takes in text that arrived
/// from elsewhere whenever she has nothing unsaved.
#[component]
pub fn NoteEditor(
    #[prop(into)] id: String,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] value: Signal<Option<TextValue>>,
    save: Saver,
    #[prop(default = 6)] rows: u32,
) -> impl IntoView {
    let ctx = use_ctx();
    let editor = Editor {
        text: RwSignal::new(String::new()),
        base: StoredValue::new(String::new()),
        edits: StoredValue::new(0),
        saved_edits: StoredValue::new(0),
        in_flight: StoredValue::new(false),
        state: RwSignal::new("saved"),
        area: NodeRef::new(),
        save: StoredValue::new_local(save),
        ctx,
    };
    Effect::new(move |_| {
        if let Some(v) = value.get()
            && !editor.unsaved()
        {
            editor.base.set_value(v.base.clone());
            editor.show(v.text);
        }
    });
    let on_input = move |ev| {
        editor.text.set(event_target_value(&ev));
        editor.edits.update_value(|n| *n += 1);
        editor.state.set("editing");
        let mine = editor.edits.get_value();
        set_timeout(
            move || {
                if editor.edits.get_value() == mine {
                    editor.flush();
                }
            },
            Duration::from_millis(500),
        );
    };
    let state = editor.state;
    view! {
        <div class="field note">
            <label for=id.clone()><Tr k=label /></label>
            {hint.map(|h| view! { <p class="hint"><Tr k=h /></p> })}
            <textarea
                id=id
                rows=rows
                node_ref=editor.area
                prop:value=move || editor.text.get()
                on:input=on_input
                on:blur=move |_| editor.flush()
            ></textarea>
            <p class="save-state" data-state=move || state.get()>
                {move || {
                    let key = match state.get() {
                        "saving" | "editing" => "note.saving",
                        "failed" => "note.failed",
                        _ => "note.saved",
                    };
                    view! { <Tr k=key /> }
                }}
            </p>
        </div>
    }
}

/// A boxed future for a [`Saver`].
pub fn saver<F, Fut>(f: F) -> Saver
where
    F: Fn(String, String) -> Fut + 'static,
    Fut: Future<Output = Result<TextValue, CommandError>> + 'static,
{
    Rc::new(move |base, text| Box::pin(f(base, text)))
}
