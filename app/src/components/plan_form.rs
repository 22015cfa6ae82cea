//! The form that plans a pair's next meeting (on the home screen and the meeting page).

use leptos::prelude::*;
use pm_domain::commands as cmd;

use crate::components::Tr;
use crate::use_ctx;

/// Plans a meeting on the next topic of the guide: date, time, place.
#[component]
pub fn PlanForm(group: String, prefix: &'static str) -> impl IntoView {
    let ctx = use_ctx();
    let date = RwSignal::new(String::new());
    let time = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let plan = move |_| {
        let args = cmd::PlanMeeting {
            group: group.clone(),
            date: date.get_untracked(),
            time: time.get_untracked(),
            place: place.get_untracked(),
        };
        ctx.run(args, move |_: String| {
            date.set(String::new());
            time.set(String::new());
            place.set(String::new());
            ctx.refresh.update(|n| *n += 1);
        });
    };
    let id = move |name: &str| format!("{prefix}-{name}");
    view! {
        <div class="fields plan">
            <label for=id("date")><Tr k="plan.date" /></label>
            <input id=id("date") type="date" prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) on:change=move |ev| date.set(event_target_value(&ev)) />
            <label for=id("time")><Tr k="plan.time" /></label>
            <input id=id("time") type="time" prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev)) on:change=move |ev| time.set(event_target_value(&ev)) />
            <label for=id("place")><Tr k="plan.place" /></label>
            <input id=id("place") type="text" prop:value=move || place.get() on:input=move |ev| place.set(event_target_value(&ev)) />
            <button class="primary" id=id("plan") on:click=plan><Tr k="plan.button" /></button>
        </div>
    }
}
