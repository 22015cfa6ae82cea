//! The offer to turn on reminders on a phone: the day before a meeting, a notification. Shown
//! only where the browser has not asked her yet (the desktop app shows them without asking).

use leptos::prelude::*;

use crate::components::Tr;
use crate::shell::{reminders_can_be_offered, turn_on_reminders};

#[component]
pub fn ReminderOffer() -> impl IntoView {
    let offered = RwSignal::new(reminders_can_be_offered());
    let turn_on = move |_| turn_on_reminders(move |_| offered.set(false));
    view! {
        <Show when=move || offered.get()>
            <section class="card" id="reminder-offer">
                <p><Tr k="reminders.ask" /></p>
                <button class="primary" id="turn-on-reminders" on:click=turn_on>
                    <Tr k="reminders.turn_on" />
                </button>
            </section>
        </Show>
    }
}
