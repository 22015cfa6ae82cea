//! # app
//!
//! The Peer Mentoring window, a Leptos client-side app. It shows what the device shell hands it
//! (view values from `pm_domain::api`) and asks the shell to act; it decides nothing itself.

mod components;
mod pages;
mod shell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use pm_domain::api::{Profile, SyncStatus};
use pm_domain::commands::{self as cmd, Command};
use pm_domain::i18n::{has, t};
use pm_domain::model::Language;

use crate::components::{SyncIndicator, Tr};
use crate::pages::{
    circle, contact, coordinator, first_contact, home, joining, meeting, preparation, welcome,
};
use crate::shell::{CommandError, call, invitation_from_link, on_event, remember_invitation};

/// Where the person is in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Loading,
    Welcome,
    Home,
    Meeting { group: String, meeting: String },
    Invite { group: String },
    Preparation { group: String },
    Join,
    NewProgramme,
    Programme { programme: String },
    Profile { programme: String },
    Evaluation { programme: String },
    CircleSession { group: String, meeting: String },
    Leaflet,
    Devices,
    Contact { programme: String },
}

/// What every screen shares.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub lang: RwSignal<Language>,
    pub route: RwSignal<Route>,
    /// Bumped whenever a document changed, here or on another device: screens reload.
    pub refresh: RwSignal<u64>,
    /// The last error, already in the person's language.
    pub error: RwSignal<Option<String>>,
    pub profile: RwSignal<Option<Profile>>,
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        t(self.lang.get(), key)
    }

    /// Shows a command's error in the person's language.
    pub fn fail(&self, error: CommandError) {
        let key = format!("error.{}", error.code);
        let lang = self.lang.get_untracked();
        let message = if has(&key) {
            t(lang, &key)
        } else {
            format!("{}: {}", t(lang, "error.generic"), error.detail)
        };
        self.error.set(Some(message));
    }

    /// Runs a command; on success clears the error and hands over the answer.
    pub fn run<C: Command + 'static>(self, command: C, then: impl FnOnce(C::Output) + 'static) {
        spawn_local(async move {
            match call(&command).await {
                Ok(answer) => {
                    self.error.set(None);
                    then(answer);
                }
                Err(e) => self.fail(e),
            }
        });
    }

    /// What a screen shows: a resource asking `command` again after every change (`refresh`),
    /// read through a memo that keeps the last answer while the next is on its way or when it
    /// fails (the error is shown then), and that tells the screen only about real changes. A load
    /// that succeeds leaves an error on screen alone, so a sync arriving just after a refused
    /// action does not hide the message that explains it.
    pub fn shown<C>(self, command: impl Fn() -> C + 'static) -> Memo<Option<C::Output>>
    where
        C: Command + 'static,
        C::Output: Clone + PartialEq + Send + Sync + 'static,
    {
        let resource = LocalResource::new(move || {
            self.refresh.track();
            let command = command();
            async move {
                match call(&command).await {
                    Ok(answer) => Some(answer),
                    Err(e) => {
                        self.fail(e);
                        None
                    }
                }
            }
        });
        Memo::new(
            move |last: Option<&Option<C::Output>>| match resource.get() {
                Some(Some(answer)) => Some(answer),
                _ => last.cloned().flatten(),
            },
        )
    }

    pub fn go(&self, route: Route) {
        self.error.set(None);
        self.route.set(route);
        scroll_to_top();
    }
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

fn scroll_to_top() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let ctx = Ctx {
        lang: RwSignal::new(Language::Nl),
        route: RwSignal::new(Route::Loading),
        refresh: RwSignal::new(0),
        error: RwSignal::new(None),
        profile: RwSignal::new(None),
    };
    provide_context(ctx);
    let status = RwSignal::new(None::<SyncStatus>);
    let startup_error = RwSignal::new(None::<String>);

    spawn_local(async move {
        if let Ok(info) = call(&cmd::AppInfo {}).await {
            startup_error.set(info.startup_error);
        }
        if let Ok(s) = call(&cmd::SyncStatus {}).await {
            status.set(Some(s));
        }
        match call(&cmd::Profile {}).await {
            Ok(profile) => {
                ctx.lang.set(profile.language);
                ctx.route.set(if invitation_from_link().is_some() {
                    Route::Join
                } else if profile.onboarded {
                    Route::Home
                } else {
                    Route::Welcome
                });
                ctx.profile.set(Some(profile));
            }
            Err(e) => ctx.fail(e),
        }
    });
    on_event("sync-status", move |s: SyncStatus| status.set(Some(s)));
    // An invitation link opened the app while it runs (a phone app): its join page, with the code.
    on_event("invitation-link", move |code: String| {
        remember_invitation(code);
        ctx.go(Route::Join);
    });
    // Coalesce bursts of changes into one reload.
    let pending = StoredValue::new(false);
    on_event("doc-changed", move |_: String| {
        if !pending.get_value() {
            pending.set_value(true);
            set_timeout(
                move || {
                    pending.set_value(false);
                    ctx.refresh.update(|n| *n += 1);
                },
                std::time::Duration::from_millis(150),
            );
        }
    });

    let switch_language = move |_| {
        let next = match ctx.lang.get_untracked() {
            Language::Nl => Language::En,
            Language::En => Language::Nl,
        };
        ctx.lang.set(next);
        ctx.run(cmd::SetLanguage { language: next }, move |p: Profile| {
            ctx.profile.set(Some(p));
            ctx.refresh.update(|n| *n += 1);
        });
    };

    let notices = ctx.shown(|| cmd::Notices {});
    view! {
        <header class="topbar">
            <button class="brand" on:click=move |_| {
                if ctx.profile.get_untracked().is_some_and(|p| p.onboarded) { ctx.go(Route::Home) }
            }>
                <Tr k="app.name" />
            </button>
            <SyncIndicator status=status />
            <button id="language-switch" class="link" on:click=switch_language>
                <Tr k="lang.switch" />
            </button>
        </header>
        <main>
            {move || startup_error.get().map(|e| view! {
                <p class="error" role="alert"><Tr k="error.storage_unavailable" /> ": " {e}</p>
            })}
            {move || ctx.error.get().map(|e| view! {
                <p id="error" class="error" role="alert">{e}</p>
            })}
            {move || notices.get().filter(|n| !n.is_empty()).map(|list| view! {
                <section id="notices" class="card notice" role="status">
                    {list.into_iter().map(|n| view! { <p>{n}</p> }).collect_view()}
                    <button id="dismiss-notices" on:click=move |_| ctx.run(cmd::DismissNotices {}, move |_: ()| ctx.refresh.update(|n| *n += 1))>
                        <Tr k="notice.dismiss" />
                    </button>
                </section>
            })}
            {move || match ctx.route.get() {
                Route::Loading => view! { <p class="muted"><Tr k="app.loading" /></p> }.into_any(),
                Route::Welcome => view! { <welcome::Welcome /> }.into_any(),
                Route::Home => view! { <home::Home /> }.into_any(),
                Route::Meeting { group, meeting } => view! { <meeting::Meeting group=group meeting=meeting /> }.into_any(),
                Route::Invite { group } => view! { <first_contact::Invite group=group /> }.into_any(),
                Route::Preparation { group } => view! { <preparation::Preparation group=group /> }.into_any(),
                Route::Join => view! { <joining::Join /> }.into_any(),
                Route::NewProgramme => view! { <coordinator::NewProgramme /> }.into_any(),
                Route::Programme { programme } => view! { <coordinator::Programme programme=programme /> }.into_any(),
                Route::Profile { programme } => view! { <joining::ProfilePage programme=programme /> }.into_any(),
                Route::Evaluation { programme } => view! { <joining::EvaluationPage programme=programme /> }.into_any(),
                Route::CircleSession { group, meeting } => view! { <circle::CircleSession group=group meeting=meeting /> }.into_any(),
                Route::Leaflet => view! { <circle::Leaflet /> }.into_any(),
                Route::Devices => view! { <joining::DevicesPage /> }.into_any(),
                Route::Contact { programme } => view! { <contact::ContactPage programme=programme /> }.into_any(),
            }}
        </main>
    }
}
