//! Taking part by choice: looking at an invitation, accepting or declining it, filling in one's
//! profile and self-check, the closing evaluation, and leaving a programme.

use chrono::NaiveDate;

use super::settings::Setting;
use super::{ActionError, Session, check_name, parse_server};
use crate::access::DocEntry;
use crate::api::{EvaluationForm, InvitationView, PersonRef, ProfileForm, ProgrammeCard};
use crate::client::ServerApi;
use crate::codes;
use crate::docs::{self, EvaluationDoc, MENTOR_CHECKLIST, ProfileDoc, ProgrammeDoc};
use crate::i18n::{format_date, t};
use crate::model::{DocKind, Role};
use crate::views;
use crate::wire::{AcceptInvitation, Devices, JoinDevice, LinkCode, Withdraw};

/// Reads what a person pasted or typed: a code, or an invitation link
/// (`https://server/join/CODE`), and a server address (the link's, if it had one).
fn read_invitation(server: &str, typed: &str) -> Result<(url::Url, String), ActionError> {
    let typed = typed.trim();
    if let Some((base, code)) = typed.split_once("/join/") {
        return Ok((parse_server(base)?, codes::normalize(code)?));
    }
    Ok((parse_server(server)?, codes::normalize(typed)?))
}

/// The day an RFC 3339 time falls on.
fn day_of(rfc3339: &str) -> Option<NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.date_naive())
}

impl Session {
    /// What an invitation is about, so she can decide. Nothing changes yet.
    pub async fn lookup_invitation(
        &self,
        server: &str,
        code: &str,
    ) -> Result<InvitationView, ActionError> {
        let (server, code) = read_invitation(server, code)?;
        let info = ServerApi::new(&server).lookup_invitation(&code).await?;
        let language = self.language()?;
        let purpose_key = match info.role {
            Role::Mentor => "invitation.purpose.mentor",
            Role::Mentee => "invitation.purpose.mentee",
            _ => "invitation.purpose.other",
        };
        Ok(InvitationView {
            server: server.to_string(),
            code: codes::display(&code),
            programme_name: info.programme_name,
            school: info.school,
            coordinator_name: info.coordinator_name,
            role: info.role,
            name: info.name,
            expires: day_of(&info.expires_at)
                .map(|d| format_date(language, d))
                .unwrap_or(info.expires_at),
            purpose: t(language, purpose_key)
                .split('\n')
                .map(str::to_owned)
                .collect(),
        })
    }

    /// Accepts an invitation: this device joins the programme's server with its own credential,
    /// fetches the programme, and makes her profile.
    pub async fn accept_invitation(
        &self,
        server: &str,
        code: &str,
        name: &str,
    ) -> Result<String, ActionError> {
        let (server, code) = read_invitation(server, code)?;
        let name = check_name(name)?;
        let api = ServerApi::new(&server);
        let known = self.credential_for(&server)?;
        let attempt_key = Setting::AcceptAttempt(code.to_string());
        let attempt = self.attempt(&attempt_key)?;
        let accepted = api
            .accept_invitation(
                known.as_deref(),
                &AcceptInvitation {
                    code,
                    name: name.clone(),
                    peer: self.device.peer_id(),
                    attempt,
                },
            )
            .await?;
        self.set_setting(&Setting::Name, &name)?;
        self.set_setting(&Setting::Onboarded, "yes")?;
        self.join_server(&server, &accepted.credential, &accepted.person)?;
        self.remove_setting(&attempt_key)?;
        self.sync_directory().await?;
        let programme_doc = self.programme_doc_of(&accepted.programme)?;
        let profile_doc =
            ProfileDoc::new(&accepted.person, &accepted.programme, accepted.role, &name);
        let entry = DocEntry {
            kind: DocKind::Profile,
            programme: accepted.programme.clone(),
            group: None,
            owner: Some(accepted.person),
        };
        let id = self
            .create_registered(&profile_doc, "profile", entry)
            .await?;
        self.set_setting(&Setting::Profile(accepted.programme.clone()), &id)?;
        Ok(programme_doc.unwrap_or_default())
    }

    /// A short-lived, single-use code that links another device to her (shown on this one).
    pub async fn link_code(&self) -> Result<LinkCode, ActionError> {
        let (api, credential) = self.api()?;
        Ok(api.link_device(&credential).await?)
    }

    /// A recovery code for her to keep: on a device that lost its data (a browser that cleared
    /// it, a new phone) it brings everything back, as a linking code does. Single use, a year; a
    /// new one replaces the last.
    pub async fn recovery_code(&self) -> Result<LinkCode, ActionError> {
        let (api, credential) = self.api()?;
        Ok(api.recovery_code(&credential).await?)
    }

    /// Makes this new device one of hers with a linking code from a device she already has:
    /// it gets its own credential, and everything she may have (her private notes too) syncs.
    pub async fn join_as_linked_device(
        &self,
        server: &str,
        code: &str,
        label: &str,
    ) -> Result<(), ActionError> {
        if self.setting(&Setting::Credential)?.is_some() {
            return Err(ActionError::AlreadyLinked);
        }
        let server = parse_server(server)?;
        let code = codes::normalize(code)?;
        let attempt_key = Setting::LinkAttempt(code.to_string());
        let attempt = self.attempt(&attempt_key)?;
        let joined = ServerApi::new(&server)
            .join_device(&JoinDevice {
                code,
                peer: self.device.peer_id(),
                label: label.trim().to_owned(),
                attempt,
            })
            .await?;
        self.set_setting(&Setting::Onboarded, "yes")?;
        self.join_server(&server, &joined.credential, &joined.person)?;
        self.remove_setting(&attempt_key)?;
        self.sync_directory().await
    }

    /// The secret of a network step that must be safe to repeat, kept under `key` before the
    /// step is first asked for, so that a retry after a lost answer or a crash is the same request.
    fn attempt(&self, key: &Setting) -> Result<String, ActionError> {
        if let Some(attempt) = self.setting(key)? {
            return Ok(attempt);
        }
        let attempt = format!("{}{}", docs::new_id(), docs::new_id());
        self.set_setting(key, &attempt)?;
        Ok(attempt)
    }

    /// Her devices, as the server knows them.
    pub async fn devices(&self) -> Result<Devices, ActionError> {
        let (api, credential) = self.api()?;
        Ok(api.devices(&credential).await?)
    }

    /// Takes a device of hers off: its credential stops working at once.
    pub async fn remove_device(&self, peer: &str) -> Result<Devices, ActionError> {
        let (api, credential) = self.api()?;
        api.remove_device(&credential, peer).await?;
        Ok(api.devices(&credential).await?)
    }

    /// Declines an invitation. Nothing about her is kept but that it was declined.
    pub async fn decline_invitation(&self, server: &str, code: &str) -> Result<(), ActionError> {
        let (server, code) = read_invitation(server, code)?;
        Ok(ServerApi::new(&server).decline_invitation(&code).await?)
    }

    /// Leaves a programme: the server stops sharing all of it with her at once.
    pub async fn withdraw(&self, programme_doc: &str) -> Result<(), ActionError> {
        let programme: ProgrammeDoc = self.device.read(programme_doc).await?;
        let (api, credential) = self.api()?;
        api.withdraw(
            &credential,
            &Withdraw {
                programme: programme.programme_id,
                person: None,
            },
        )
        .await?;
        match self.sync_directory().await {
            // She left her last programme there: the server revoked this device's credential.
            Err(ActionError::Api(e)) if e.code() == "unauthorized" => {
                let none = serde_json::to_string(&crate::wire::Directory::default())
                    .map_err(|e| ActionError::BadField(e.to_string()))?;
                self.device.set_read_only(Default::default());
                self.set_setting(&Setting::Directory, &none)
            }
            other => other,
        }
    }

    /// The local programme document of a programme on the server, if it is on this device.
    pub(super) fn programme_doc_of(
        &self,
        programme_id: &str,
    ) -> Result<Option<String>, ActionError> {
        let directory = self.directory()?.unwrap_or_default();
        Ok(directory
            .documents
            .into_iter()
            .find(|d| d.entry.kind == DocKind::Programme && d.entry.programme == programme_id)
            .map(|d| d.id))
    }

    /// The programmes on this device: those she coordinates, and those she takes part in.
    pub(super) async fn programme_cards(
        &self,
    ) -> Result<(Vec<ProgrammeCard>, Vec<ProgrammeCard>), ActionError> {
        let directory = self.directory()?.unwrap_or_default();
        let (mut coordinated, mut joined) = (Vec::new(), Vec::new());
        for membership in directory.memberships.iter().filter(|m| m.active) {
            let Some(doc) = self.programme_doc_of(&membership.programme)? else {
                continue;
            };
            let Ok(programme) = self.device.read::<ProgrammeDoc>(&doc).await else {
                continue;
            };
            let card = ProgrammeCard {
                programme: doc,
                name: programme.name,
                school: programme.school,
                academic_year: programme.academic_year,
                role: membership.role,
            };
            if membership.role == Role::Coordinator {
                coordinated.push(card);
            } else {
                joined.push(card);
            }
        }
        Ok((coordinated, joined))
    }

    /// Her own profile or evaluation document, if this device has it.
    async fn own_doc(&self, setting: Setting) -> Result<Option<String>, ActionError> {
        let id = self.setting(&setting)?;
        Ok(id.filter(|id| self.device.has(id)))
    }

    // -- Profile and self-check ---------------------------------------------------------------

    /// Her profile in a programme, with the mentor checklist and (in matching programmes) the
    /// people she can rank.
    pub async fn profile_form(&self, programme_doc: &str) -> Result<ProfileForm, ActionError> {
        let programme: ProgrammeDoc = self.device.read(programme_doc).await?;
        let language = self.language()?;
        let me = self.profile()?.person_id;
        let profile = match self
            .own_doc(Setting::Profile(programme.programme_id.clone()))
            .await?
        {
            Some(id) => self.device.read::<ProfileDoc>(&id).await?,
            None => return Err(ActionError::NoServer),
        };
        let other_role = if profile.role == Role::Mentor {
            Role::Mentee
        } else {
            Role::Mentor
        };
        let matching = programme.settings.pairing == crate::model::Pairing::Matching;
        Ok(ProfileForm {
            programme: programme_doc.to_owned(),
            role: profile.role,
            name: profile.name,
            track: profile.track,
            year: profile.year,
            interests: profile.interests,
            about: profile.about,
            self_check: MENTOR_CHECKLIST
                .iter()
                .map(|key| {
                    (
                        (*key).to_owned(),
                        t(language, &format!("check.{key}")),
                        profile.self_check.get(*key).copied().unwrap_or(false),
                    )
                })
                .collect(),
            capacity: profile.capacity,
            matching,
            // In a matching programme the server's directory lists its participants.
            candidates: self
                .directory()?
                .map(|d| d.people)
                .unwrap_or_default()
                .into_iter()
                .filter(|p| matching && p.role == other_role && p.person != me)
                .map(|p| PersonRef {
                    person: p.person,
                    name: p.name,
                })
                .collect(),
            preferences: profile.preferences,
        })
    }

    /// Saves her profile.
    pub async fn save_profile_form(&self, form: ProfileForm) -> Result<ProfileForm, ActionError> {
        let programme: ProgrammeDoc = self.device.read(&form.programme).await?;
        let id = self
            .own_doc(Setting::Profile(programme.programme_id.clone()))
            .await?
            .ok_or(ActionError::NoServer)?;
        let name = check_name(&form.name)?;
        let update = form.clone();
        self.device
            .change::<ProfileDoc, _>(&id, move |p| {
                p.name = name;
                p.track = update.track.trim().to_owned();
                p.year = update.year.min(10);
                p.interests = update
                    .interests
                    .iter()
                    .map(|i| i.trim().to_owned())
                    .filter(|i| !i.is_empty())
                    .collect();
                p.about = update.about;
                p.self_check = update
                    .self_check
                    .iter()
                    .filter(|(key, _, _)| MENTOR_CHECKLIST.contains(&key.as_str()))
                    .map(|(key, _, ticked)| (key.clone(), *ticked))
                    .collect();
                if p.role == Role::Mentor {
                    p.capacity = update.capacity.clamp(1, 5);
                }
                p.preferences = update.preferences;
                Ok(())
            })
            .await?;
        self.profile_form(&form.programme).await
    }

    // -- Closing evaluation -------------------------------------------------------------------

    /// Her evaluation of the programme (made on first use).
    pub async fn evaluation_form(
        &self,
        programme_doc: &str,
    ) -> Result<EvaluationForm, ActionError> {
        let programme: ProgrammeDoc = self.device.read(programme_doc).await?;
        let language = self.language()?;
        let id = match self
            .own_doc(Setting::Evaluation(programme.programme_id.clone()))
            .await?
        {
            Some(id) => id,
            None => {
                let me = self.profile()?.person_id;
                let role = self
                    .directory()?
                    .and_then(|d| {
                        d.memberships
                            .into_iter()
                            .find(|m| m.programme == programme.programme_id)
                    })
                    .map(|m| m.role)
                    .unwrap_or(Role::Mentee);
                let doc = EvaluationDoc::new(&me, &programme.programme_id, role);
                let entry = DocEntry {
                    kind: DocKind::Evaluation,
                    programme: programme.programme_id.clone(),
                    group: None,
                    owner: Some(me),
                };
                let id = self.create_registered(&doc, "evaluation", entry).await?;
                self.set_setting(&Setting::Evaluation(programme.programme_id.clone()), &id)?;
                id
            }
        };
        let evaluation: EvaluationDoc = self.device.read(&id).await?;
        Ok(EvaluationForm {
            programme: programme_doc.to_owned(),
            role: evaluation.role,
            ratings: views::ordered_topics(&programme)
                .into_iter()
                .map(|(topic, doc)| {
                    (
                        topic.clone(),
                        u8::try_from(doc.number).unwrap_or(0),
                        views::topic_text(doc, language).title,
                        evaluation
                            .ratings
                            .get(topic)
                            .and_then(|r| u8::try_from(*r).ok()),
                    )
                })
                .collect(),
            experience: evaluation.experience,
            good: evaluation.good,
            less_good: evaluation.less_good,
            useful_topics: evaluation.useful_topics,
            less_useful_topics: evaluation.less_useful_topics,
            submitted_on: evaluation.submitted_on,
        })
    }

    /// Saves her evaluation; `submit` marks it as finished.
    pub async fn save_evaluation(
        &self,
        form: EvaluationForm,
        submit: bool,
        today: NaiveDate,
    ) -> Result<EvaluationForm, ActionError> {
        let programme: ProgrammeDoc = self.device.read(&form.programme).await?;
        let id = self
            .own_doc(Setting::Evaluation(programme.programme_id.clone()))
            .await?
            .ok_or(ActionError::NoServer)?;
        let update = form.clone();
        self.device
            .change::<EvaluationDoc, _>(&id, move |e| {
                e.experience = update.experience;
                e.good = update.good;
                e.less_good = update.less_good;
                e.useful_topics = update.useful_topics;
                e.less_useful_topics = update.less_useful_topics;
                e.ratings = update
                    .ratings
                    .iter()
                    .filter_map(|(topic, _, _, r)| {
                        r.filter(|r| (1..=5).contains(r))
                            .map(|r| (topic.clone(), u64::from(r)))
                    })
                    .collect();
                if submit {
                    e.submitted_on = Some(today.to_string());
                }
                Ok(())
            })
            .await?;
        self.evaluation_form(&form.programme).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_link_gives_both_server_and_code() {
        let code = codes::new_code();
        let link = format!("https://sync.school.nl/join/{}", codes::display(&code));
        let (server, read) = read_invitation("ignored.example", &link).unwrap();
        assert_eq!(server.as_str(), "https://sync.school.nl/");
        assert_eq!(read, code);
        let (server, _) =
            read_invitation("127.0.0.1:3030", &codes::display(&code).to_lowercase()).unwrap();
        assert_eq!(server.as_str(), "https://127.0.0.1:3030/");
        let (server, _) = read_invitation("http://127.0.0.1:3030", &code).unwrap();
        assert_eq!(server.as_str(), "http://127.0.0.1:3030/");
        assert!(matches!(
            read_invitation("", &code),
            Err(ActionError::BadServer(_))
        ));
        assert!(matches!(
            read_invitation("http://x", "ABCD"),
            Err(ActionError::Code(_))
        ));
    }
}
