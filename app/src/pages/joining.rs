//! Taking part by choice: opening an invitation and accepting or declining it; a participant's
//! profile and self-check; her closing evaluation; leaving a programme; her devices (linking a
//! new one with a code from one she has, and removing one).

use leptos::prelude::*;
use pm_domain::api::{EvaluationForm, InvitationView, Profile, ProfileForm, SavedFile};
use pm_domain::commands as cmd;
use pm_domain::model::Role;
use pm_domain::wire::{DeviceInfo, Devices, LinkCode};

use crate::components::{Tr, local_date_time};
use crate::shell::invitation_from_link;
use crate::{Route, use_ctx};

/// Opening an invitation: the code (or the link), what it is about, then yes or no.
#[component]
pub fn Join() -> impl IntoView {
    let ctx = use_ctx();
    let server = RwSignal::new(String::new());
    // An invitation link (`/join/CODE`, which opens the web app) brings its code along, and
    // the invitation is looked up at once.
    let from_link = invitation_from_link();
    let code = RwSignal::new(from_link.clone().unwrap_or_default());
    let name = RwSignal::new(
        ctx.profile
            .get_untracked()
            .map(|p| p.name)
            .unwrap_or_default(),
    );
    let invitation = RwSignal::new(None::<InvitationView>);
    let declined = RwSignal::new(false);
    let look_up = move || {
        let args = cmd::LookupInvitation {
            server: server.get_untracked(),
            code: code.get_untracked(),
        };
        ctx.run(args, move |v: InvitationView| invitation.set(Some(v)));
    };
    let lookup = move |_| look_up();
    ctx.run(cmd::Home {}, move |h: pm_domain::api::Home| {
        if server.get_untracked().is_empty() {
            server.set(h.server.unwrap_or_default());
        }
    });
    if from_link.is_some() {
        // Once, as soon as the server's address is known.
        Effect::new(move |looked: Option<bool>| {
            if looked == Some(true) || server.get().is_empty() {
                return looked.unwrap_or(false);
            }
            look_up();
            true
        });
    }
    let accept = move |_| {
        let args = cmd::AcceptInvitation {
            server: server.get_untracked(),
            code: code.get_untracked(),
            name: name.get_untracked(),
        };
        ctx.run(args, move |_: String| {
            ctx.run(cmd::Profile {}, move |p: Profile| {
                ctx.profile.set(Some(p));
                ctx.go(Route::Home);
            });
        });
    };
    let decline = move |_| {
        let args = cmd::DeclineInvitation {
            server: server.get_untracked(),
            code: code.get_untracked(),
        };
        ctx.run(args, move |_: ()| declined.set(true));
    };
    let link_code = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let join_as_device = move |_| {
        let args = cmd::JoinAsLinkedDevice {
            server: server.get_untracked(),
            code: link_code.get_untracked(),
            label: label.get_untracked(),
        };
        ctx.run(args, move |_: ()| {
            ctx.run(cmd::Profile {}, move |p: Profile| {
                ctx.profile.set(Some(p));
                ctx.go(Route::Home);
            });
        });
    };
    view! {
        <button class="link back" id="back-home" on:click=move |_| ctx.go(Route::Home)>"← " <Tr k="nav.home" /></button>
        <section id="join-page" class="card narrow">
            <h2><Tr k="join.title" /></h2>
            <p><Tr k="join.intro" /></p>
            <label for="join-server"><Tr k="join.server" /></label>
            <input id="join-server" type="text" inputmode="url" prop:value=move || server.get()
                on:input=move |ev| server.set(event_target_value(&ev)) />
            <label for="join-code"><Tr k="join.code" /></label>
            <input id="join-code" type="text" autocapitalize="characters" autocomplete="off" prop:value=move || code.get()
                placeholder="ABCD-EFGH-JKMN-P" on:input=move |ev| { code.set(event_target_value(&ev)); invitation.set(None); } />
            <button class="primary" id="lookup-invitation" on:click=lookup><Tr k="join.lookup" /></button>
        </section>
        {move || invitation.get().map(|v| {
            let role_key = match v.role { Role::Mentor => "role.mentor", Role::Mentee => "role.mentee", _ => "role.participant" };
            view! {
                <section id="invitation" class="card narrow highlight">
                    <h3>{v.programme_name.clone()}</h3>
                    <p class="muted">{v.school.clone()}</p>
                    <p><Tr k="join.invited_as" /> " " <strong><Tr k=role_key /></strong>
                       " · " <Tr k="join.by" /> " " {v.coordinator_name.clone()}</p>
                    {v.purpose.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
                    <p class="hint"><Tr k="join.valid_until" /> " " {v.expires.clone()}</p>
                    <Show when=move || !declined.get() fallback=|| view! { <p class="ok" id="declined"><Tr k="join.declined" /></p> }>
                        <label for="join-name"><Tr k="welcome.name" /></label>
                        <input id="join-name" type="text" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                        <div class="buttons">
                            <button class="primary" id="accept-invitation" on:click=accept><Tr k="join.accept" /></button>
                            <button id="decline-invitation" on:click=decline><Tr k="join.decline" /></button>
                        </div>
                        <p class="hint"><Tr k="join.voluntary" /></p>
                    </Show>
                </section>
            }
        })}
        <section id="link-device" class="card narrow">
            <h3><Tr k="join.device_title" /></h3>
            <p class="hint"><Tr k="join.device_intro" /></p>
            <label for="link-device-code"><Tr k="join.device_code" /></label>
            <input id="link-device-code" type="text" autocapitalize="characters" autocomplete="off"
                prop:value=move || link_code.get() on:input=move |ev| link_code.set(event_target_value(&ev)) />
            <label for="link-device-label"><Tr k="join.device_label" /></label>
            <input id="link-device-label" type="text" prop:value=move || label.get()
                on:input=move |ev| label.set(event_target_value(&ev)) />
            <button class="primary" id="join-as-device" on:click=join_as_device><Tr k="join.device_button" /></button>
        </section>
    }
}

/// Her devices: which ones have her notes, when each was last seen; a code to link a new one;
/// removing one she lost (it gets nothing more from that moment on).
#[component]
pub fn DevicesPage() -> impl IntoView {
    let ctx = use_ctx();
    let devices = RwSignal::new(None::<Vec<DeviceInfo>>);
    let code = RwSignal::new(None::<LinkCode>);
    let load = move || {
        ctx.run(cmd::Devices {}, move |d: Devices| {
            devices.set(Some(d.devices))
        })
    };
    load();
    let make_code = move |_| ctx.run(cmd::LinkCode {}, move |c: LinkCode| code.set(Some(c)));
    let recovery = RwSignal::new(None::<LinkCode>);
    let make_recovery = move |_| {
        ctx.run(cmd::RecoveryCode {}, move |c: LinkCode| {
            recovery.set(Some(c))
        })
    };
    let remove = move |peer: String| {
        ctx.run(cmd::RemoveDevice { peer }, move |d: Devices| {
            devices.set(Some(d.devices))
        });
    };
    let exported = RwSignal::new(None::<String>);
    let export = move |_| {
        ctx.run(cmd::ExportMyData {}, move |f: SavedFile| {
            exported.set(Some(f.path))
        })
    };
    let understood = RwSignal::new(false);
    let erasing = RwSignal::new(false);
    let erase = move |_| {
        erasing.set(true);
        // The app starts again by itself once everything is erased.
        ctx.run(cmd::EraseMyData {}, |_: ()| {});
    };
    view! {
        <button class="link back" id="back-home" on:click=move |_| ctx.go(Route::Home)>"← " <Tr k="nav.home" /></button>
        <section id="devices-page" class="card narrow">
            <h2><Tr k="devices.title" /></h2>
            <p class="hint"><Tr k="devices.intro" /></p>
            <ul id="device-list" class="devices">
                {move || devices.get().unwrap_or_default().into_iter().map(|d| {
                    let peer = d.peer.clone();
                    let seen = d.last_seen.as_deref().and_then(local_date_time);
                    view! {
                        <li class="device" data-peer=d.peer.clone()>
                            <strong class="device-label">{d.label.clone()}</strong>
                            {d.this_device.then(|| view! { " " <span class="tag"><Tr k="devices.this" /></span> })}
                            <div class="muted">
                                <Tr k="devices.added" /> " " {local_date_time(&d.added_at).unwrap_or_default()} " · "
                                {match seen {
                                    Some(at) => view! { <Tr k="devices.last_seen" /> " " {at} }.into_any(),
                                    None => view! { <Tr k="devices.never_seen" /> }.into_any(),
                                }}
                            </div>
                            {(!d.this_device).then(|| view! {
                                <button class="remove-device" on:click=move |_| remove(peer.clone())><Tr k="devices.remove" /></button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section id="link-new-device" class="card narrow">
            <h3><Tr k="devices.link" /></h3>
            <p class="hint"><Tr k="devices.link_hint" /></p>
            <button class="primary" id="make-link-code" on:click=make_code><Tr k="devices.make_code" /></button>
            {move || code.get().map(|c| view! {
                <p class="code-box"><strong id="link-code">{c.code.clone()}</strong></p>
                <p class="hint"><Tr k="devices.code_valid" /> " " {local_date_time(&c.expires_at).unwrap_or_default()}</p>
            })}
            <button id="refresh-devices" on:click=move |_| load()><Tr k="devices.refresh" /></button>
        </section>
        <section id="my-data" class="card narrow">
            <h3><Tr k="data.title" /></h3>
            <p class="hint"><Tr k="data.export_hint" /></p>
            <button id="export-my-data" on:click=export><Tr k="data.export" /></button>
            {move || exported.get().map(|path| view! { <p class="saved" id="export-my-data-result"><Tr k="export.saved" /> " " <code>{path}</code></p> })}
            <h4><Tr k="data.erase_title" /></h4>
            <p class="hint"><Tr k="data.erase_hint" /></p>
            <label class="check">
                <input type="checkbox" id="erase-understood" prop:checked=move || understood.get()
                    on:change=move |ev| understood.set(event_target_checked(&ev)) />
                <Tr k="data.erase_understood" />
            </label>
            <button class="danger" id="erase-my-data" prop:disabled=move || !understood.get() || erasing.get() on:click=erase>
                <Tr k="data.erase" />
            </button>
            <Show when=move || erasing.get()>
                <p class="hint" id="erasing" role="status"><Tr k="data.erasing" /></p>
            </Show>
        </section>
        <section id="recovery" class="card narrow">
            <h3><Tr k="devices.recovery" /></h3>
            <p class="hint"><Tr k="devices.recovery_hint" /></p>
            <button id="make-recovery-code" on:click=make_recovery><Tr k="devices.make_recovery" /></button>
            {move || recovery.get().map(|c| view! {
                <p class="code-box"><strong id="recovery-code">{c.code.clone()}</strong></p>
                <p class="hint"><Tr k="devices.code_valid" /> " " {local_date_time(&c.expires_at).unwrap_or_default()}</p>
            })}
        </section>
    }
}

/// Her profile in a programme: about her, for matching; mentors also fill in their capacity and
/// the toolbox's mentor checklist as a self-check; in matching programmes, her preferences.
#[component]
pub fn ProfilePage(programme: String) -> impl IntoView {
    let ctx = use_ctx();
    let form = RwSignal::new(None::<ProfileForm>);
    let saved = RwSignal::new(false);
    ctx.run(
        cmd::ProfileForm {
            programme: programme.clone(),
        },
        move |f: ProfileForm| form.set(Some(f)),
    );
    let save = move |_| {
        if let Some(f) = form.get_untracked() {
            ctx.run(cmd::SaveProfileForm { form: f }, move |f: ProfileForm| {
                form.set(Some(f));
                saved.set(true);
            });
        }
    };
    let edit = move |change: Box<dyn FnOnce(&mut ProfileForm)>| {
        saved.set(false);
        form.update(|f| {
            if let Some(f) = f {
                change(f)
            }
        });
    };
    let withdraw_id = programme.clone();
    let withdraw = move |_| {
        ctx.run(
            cmd::Withdraw {
                programme: withdraw_id.clone(),
            },
            move |_: ()| ctx.go(Route::Home),
        );
    };
    let loaded = move || form.with(|f| f.as_ref().map(|f| f.role));
    view! {
        <button class="link back" id="back-home" on:click=move |_| ctx.go(Route::Home)>"← " <Tr k="nav.home" /></button>
        {move || loaded().map(|role| view! {
            <section id="profile-page" class="card narrow">
                <h2><Tr k="profile.title" /></h2>
                <p class="hint"><Tr k="profile.intro" /></p>
                <label for="profile-track"><Tr k="profile.track" /></label>
                <input id="profile-track" type="text" prop:value=move || form.get().map(|f| f.track).unwrap_or_default()
                    on:change=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |f| f.track = v)) } />
                <label for="profile-interests"><Tr k="profile.interests" /></label>
                <input id="profile-interests" type="text" prop:value=move || form.get().map(|f| f.interests.join(", ")).unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        edit(Box::new(move |f| f.interests = v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()))
                    } />
                <label for="profile-about"><Tr k="profile.about" /></label>
                <textarea id="profile-about" rows=3 prop:value=move || form.get().map(|f| f.about).unwrap_or_default()
                    on:change=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |f| f.about = v)) }></textarea>
                {(role == Role::Mentor).then(|| view! {
                    <label for="profile-capacity"><Tr k="profile.capacity" /></label>
                    <select id="profile-capacity" on:change=move |ev| {
                        let v = event_target_value(&ev).parse().unwrap_or(1);
                        edit(Box::new(move |f| f.capacity = v))
                    }>
                        {(1u64..=3).map(|n| view! {
                            <option value=n.to_string() selected=move || form.get().is_some_and(|f| f.capacity == n)>{n}</option>
                        }).collect_view()}
                    </select>
                    <fieldset id="self-check">
                        <legend><Tr k="profile.self_check" /></legend>
                        <p class="hint"><Tr k="profile.self_check_hint" /></p>
                        {move || form.get().map(|f| f.self_check).unwrap_or_default().into_iter().enumerate().map(|(i, (key, label, ticked))| view! {
                            <label class="check">
                                <input type="checkbox" id=format!("check-{key}") prop:checked=ticked on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    edit(Box::new(move |f| if let Some(item) = f.self_check.get_mut(i) { item.2 = on }))
                                } />
                                {label}
                            </label>
                        }).collect_view()}
                    </fieldset>
                })}
                <Show when=move || form.get().is_some_and(|f| f.matching)>
                    <fieldset id="preferences">
                        <legend><Tr k="profile.preferences" /></legend>
                        <p class="hint"><Tr k="profile.preferences_hint" /></p>
                        {move || form.get().map(|f| {
                            f.candidates.into_iter().map(|c| {
                                let rank = f.preferences.iter().position(|p| *p == c.person).map(|r| (r + 1).to_string()).unwrap_or_default();
                                let person = c.person.clone();
                                view! {
                                    <label class="pref">
                                        <input type="number" min="1" max="9" class="rank" prop:value=rank on:change=move |ev| {
                                            let wanted: Option<usize> = event_target_value(&ev).parse().ok();
                                            let person = person.clone();
                                            edit(Box::new(move |f| {
                                                f.preferences.retain(|p| *p != person);
                                                if let Some(r) = wanted.filter(|r| *r >= 1) {
                                                    let at = (r - 1).min(f.preferences.len());
                                                    f.preferences.insert(at, person);
                                                }
                                            }))
                                        } />
                                        " " {c.name}
                                    </label>
                                }
                            }).collect_view()
                        })}
                    </fieldset>
                </Show>
                <div class="buttons">
                    <button class="primary" id="save-profile-form" on:click=save><Tr k="profile.save" /></button>
                </div>
                <Show when=move || saved.get()><p class="ok" id="profile-saved"><Tr k="profile.saved" /></p></Show>
            </section>
            <section class="card narrow" id="leave">
                <h3><Tr k="profile.leave" /></h3>
                <p class="hint"><Tr k="profile.leave_hint" /></p>
                <button id="withdraw" on:click=withdraw.clone()><Tr k="profile.leave_button" /></button>
            </section>
        })}
    }
}

/// Her closing evaluation: the toolbox's questions and a 1-5 rating per topic.
#[component]
pub fn EvaluationPage(programme: String) -> impl IntoView {
    let ctx = use_ctx();
    let form = RwSignal::new(None::<EvaluationForm>);
    ctx.run(
        cmd::EvaluationForm { programme },
        move |f: EvaluationForm| form.set(Some(f)),
    );
    let save = move |submit: bool| {
        move |_| {
            if let Some(f) = form.get_untracked() {
                ctx.run(
                    cmd::SaveEvaluation { form: f, submit },
                    move |f: EvaluationForm| form.set(Some(f)),
                );
            }
        }
    };
    let text = move |id: &'static str,
                     label: &'static str,
                     get: fn(&EvaluationForm) -> String,
                     set: fn(&mut EvaluationForm, String)| {
        view! {
            <label for=id><Tr k=label /></label>
            <textarea id=id rows=3 prop:value=move || form.get().map(|f| get(&f)).unwrap_or_default()
                on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| if let Some(f) = f { set(f, v) }) }></textarea>
        }
    };
    view! {
        <button class="link back" id="back-home" on:click=move |_| ctx.go(Route::Home)>"← " <Tr k="nav.home" /></button>
        <Show when=move || form.get().is_some()>
            <section id="evaluation-page" class="card narrow">
                <h2><Tr k="eval.title" /></h2>
                <p class="hint"><Tr k="eval.intro" /></p>
                {text("eval-experience", "eval.experience", |f| f.experience.clone(), |f, v| f.experience = v)}
                {text("eval-good", "eval.good", |f| f.good.clone(), |f, v| f.good = v)}
                {text("eval-less-good", "eval.less_good", |f| f.less_good.clone(), |f, v| f.less_good = v)}
                {text("eval-useful", "eval.useful", |f| f.useful_topics.clone(), |f, v| f.useful_topics = v)}
                {text("eval-less-useful", "eval.less_useful", |f| f.less_useful_topics.clone(), |f, v| f.less_useful_topics = v)}
                <fieldset id="ratings">
                    <legend><Tr k="eval.ratings" /></legend>
                    {move || form.get().map(|f| f.ratings).unwrap_or_default().into_iter().enumerate().map(|(i, (topic, number, title, rating))| view! {
                        <div class="rating">
                            <label for=format!("rating-{topic}")>{format!("{number}. {title}")}</label>
                            <select id=format!("rating-{topic}") on:change=move |ev| {
                                let r: Option<u8> = event_target_value(&ev).parse().ok();
                                form.update(|f| if let Some(f) = f && let Some(item) = f.ratings.get_mut(i) { item.3 = r });
                            }>
                                <option value="" selected=rating.is_none()>"–"</option>
                                {(1u8..=5).map(|n| view! { <option value=n.to_string() selected=rating == Some(n)>{n}</option> }).collect_view()}
                            </select>
                        </div>
                    }).collect_view()}
                </fieldset>
                <div class="buttons">
                    <button id="save-evaluation" on:click=save(false)><Tr k="eval.save" /></button>
                    <button class="primary" id="submit-evaluation" on:click=save(true)><Tr k="eval.submit" /></button>
                </div>
                {move || form.get().and_then(|f| f.submitted_on).map(|on| view! {
                    <p class="ok" id="evaluation-submitted"><Tr k="eval.submitted" /> " " {on}</p>
                })}
            </section>
        </Show>
    }
}
