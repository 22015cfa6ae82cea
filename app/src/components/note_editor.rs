//! The note editor: saves as she types, keeps what arrived from elsewhere, never loses her text.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use leptos::html::Textarea;
use leptos::prelude::*;
use leptos::task::spawn_local;
use pm_domain::api::TextValue;

use crate::components::Tr;
use crate::shell::CommandError;
use crate::{Ctx, use_ctx};

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
