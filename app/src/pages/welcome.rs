//! The first screen: her name and role, or joining with an invitation, or the demo.

use leptos::prelude::*;
use pm_domain::api::Profile;
use pm_domain::commands as cmd;
use pm_domain::model::Role;

use crate::components::Tr;
use crate::{Route, use_ctx};

/// First launch: her name, and three ways in: an invitation, setting up a programme, the demo.
#[component]
pub fn Welcome() -> impl IntoView {
    let ctx = use_ctx();
    let name = RwSignal::new(
        ctx.profile
            .get_untracked()
            .map(|p| p.name)
            .unwrap_or_default(),
    );
    let role = RwSignal::new(ctx.profile.get_untracked().and_then(|p| p.role));
    // Saves what she filled in (nothing is needed for the demo), then goes on.
    let go = move |next: Route, demo: bool| {
        let typed = name.get_untracked();
        let chosen = role.get_untracked();
        let after = move || {
            ctx.run(cmd::Profile {}, move |p: Profile| {
                ctx.profile.set(Some(p));
                if demo {
                    ctx.run(cmd::OpenDemo {}, move |_: String| ctx.go(Route::Home));
                } else {
                    ctx.go(next.clone());
                }
            });
        };
        if typed.trim().is_empty() {
            if demo {
                ctx.run(cmd::SaveProfileRole { role: chosen }, move |_: ()| after());
            } else {
                after();
            }
        } else {
            ctx.run(
                cmd::SaveProfile {
                    name: typed,
                    role: chosen,
                },
                move |_: Profile| after(),
            );
        }
    };
    view! {
        <section id="welcome" class="card narrow">
            <h2><Tr k="welcome.title" /></h2>
            <p><Tr k="welcome.intro" /></p>
            <label for="profile-name"><Tr k="welcome.name" /></label>
            <input id="profile-name" type="text" autocomplete="given-name" prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev)) />
            <div class="welcome-choices">
                <div class="choice">
                    <h3><Tr k="start.join" /></h3>
                    <p><Tr k="start.join_hint" /></p>
                    <button class="primary" id="welcome-join" on:click=move |_| go(Route::Join, false)>
                        <Tr k="start.join_button" />
                    </button>
                </div>
                <div class="choice">
                    <h3><Tr k="start.coordinate" /></h3>
                    <p><Tr k="start.coordinate_hint" /></p>
                    <button id="welcome-coordinate" on:click=move |_| go(Route::NewProgramme, false)>
                        <Tr k="start.coordinate_button" />
                    </button>
                </div>
                <div class="choice">
                    <h3><Tr k="start.demo" /></h3>
                    <p><Tr k="start.demo_hint" /></p>
                    <fieldset class="roles">
                        <legend><Tr k="welcome.demo_as" /></legend>
                        <label class="check">
                            <input type="radio" name="role" id="role-mentee" prop:checked=move || role.get() != Some(Role::Mentor)
                                on:change=move |_| role.set(Some(Role::Mentee)) />
                            <Tr k="role.mentee" />
                        </label>
                        <label class="check">
                            <input type="radio" name="role" id="role-mentor" prop:checked=move || role.get() == Some(Role::Mentor)
                                on:change=move |_| role.set(Some(Role::Mentor)) />
                            <Tr k="role.mentor" />
                        </label>
                    </fieldset>
                    <button id="welcome-demo" on:click=move |_| go(Route::Home, true)>
                        <Tr k="welcome.demo" />
                    </button>
                </div>
            </div>
            <p class="hint"><Tr k="welcome.privacy" /></p>
        </section>
    }
}
