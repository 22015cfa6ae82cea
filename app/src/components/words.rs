//! Translated text and local times: the words every screen shows.

use leptos::prelude::*;
use pm_domain::i18n::{t, tf};
use pm_domain::model::Role;

use crate::use_ctx;

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
pub fn local_time(rfc3339: &str) -> Option<String> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return None;
    }
    Some(format!("{:02}:{:02}", date.get_hours(), date.get_minutes()))
}

/// The translation key of a role's name.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Student => "role.student",
        Role::Professional => "role.professional",
        Role::Facilitator => "role.facilitator",
        Role::Coordinator => "role.coordinator",
        Role::Mentor => "role.mentor",
        Role::Mentee => "role.mentee",
    }
}
