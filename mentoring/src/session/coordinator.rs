//! Running a programme as its coordinator: setting it up on a server, the preconditions
//! checklist and the guide, inviting people (voluntary: they accept or decline), pairing by
//! preselection or from mutual preferences within each mentor's capacity, dissolving pairs,
//! monitoring progress and collecting evaluations. The coordinator's device holds progress,
//! profiles and evaluations, never the pairs' notes: the server makes and keeps those.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use url::Url;

use super::settings::{Setting, template_key};
use super::{ActionError, Session, check_name, parse_date, parse_server};
use crate::access::DocEntry;
use crate::api::{
    ChecklistItem, ClassListImport, Dashboard, EvaluationSummary, GuideTopicEdit, InviteResult,
    MentorRow, PersonRef, PersonRow, ProgrammeSetup, ProposalView, SuggestionView,
};
use crate::client::ServerApi;
use crate::docs::{
    self, CHECKLIST, EvaluationDoc, GroupDoc, MENTOR_CHECKLIST, PairDoc, PreparationDoc,
    ProfileDoc, ProgrammeDoc, RosterDoc,
};
use crate::i18n::{format_date, t, tf};
use crate::matching::{self, Criteria, Mentee, Mentor, Reason};
use crate::model::{DocKind, Language, Pairing, Role, Settings, Steering};
use crate::wire::{
    CreateGroup, CreateInvitation, CreateInvitations, CreateProgramme, InvitationCreated,
    ProgrammeStatus, RevokeInvitation, SetMatching, Withdraw,
};
use crate::{class_list, guide, mail, monitoring, views};

pub use crate::api::ProgrammeForm;

/// The documents of a programme the coordinator keeps.
pub(super) struct Programme {
    pub(super) doc: String,
    pub(super) programme: ProgrammeDoc,
    pub(super) roster_doc: String,
    pub(super) roster: RosterDoc,
}

fn days_from(rfc3339: &str) -> Option<NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.date_naive())
}

impl Session {
    /// Sets up a programme on a server: the server makes it with her as coordinator and gives
    /// this device a credential; the programme, its roster and the mentors' preparation are made
    /// here and registered.
    pub async fn create_programme(
        &self,
        form: ProgrammeForm,
        today: NaiveDate,
    ) -> Result<String, ActionError> {
        let server = parse_server(&form.server)?;
        let my_name = check_name(&form.coordinator_name)?;
        let name = check_name(&form.name)?;
        let year = guide::academic_year_of(today);
        let quarters: [(String, String); 4] = if form
            .quarters
            .iter()
            .all(|(a, b)| a.is_empty() && b.is_empty())
        {
            guide::default_quarters(year).map(|q| (q.start.to_string(), q.end.to_string()))
        } else {
            let mut parsed = Vec::new();
            for (start, end) in &form.quarters {
                let (start, end) = (parse_date(start)?, parse_date(end)?);
                if end < start {
                    return Err(ActionError::BadDate(end.to_string()));
                }
                parsed.push((start.to_string(), end.to_string()));
            }
            parsed
                .try_into()
                .map_err(|_| ActionError::BadDate("four quarters are needed".into()))?
        };
        let programme_id = docs::new_id();
        let known = self.credential_for(&server)?;
        let credential = ServerApi::new(&server)
            .create_programme(
                known.as_deref(),
                &CreateProgramme {
                    setup_key: form.setup_key.trim().to_owned(),
                    programme: programme_id.clone(),
                    name: name.clone(),
                    school: form.school.trim().to_owned(),
                    coordinator_name: my_name.clone(),
                    peer: self.device.peer_id(),
                },
            )
            .await?;
        self.set_setting(&Setting::Name, &my_name)?;
        self.set_setting(&Setting::Onboarded, "yes")?;
        self.join_server(&server, &credential.credential, &credential.person)?;
        let academic_year = if form.academic_year.trim().is_empty() {
            format!("{year}-{}", year + 1)
        } else {
            form.academic_year.trim().to_owned()
        };
        let mut programme = ProgrammeDoc::new(
            &name,
            form.school.trim(),
            &academic_year,
            form.settings,
            &quarters,
        );
        programme.programme_id = programme_id.clone();
        programme.coordinator_name = my_name;
        let entry = |kind| DocEntry {
            kind,
            programme: programme_id.clone(),
            group: None,
            owner: None,
        };
        programme.preparation_doc = self
            .create_registered(&PreparationDoc::new(), &name, entry(DocKind::Preparation))
            .await?;
        let programme_doc = self
            .create_registered(&programme, &name, entry(DocKind::Programme))
            .await?;
        let roster = RosterDoc::new(&programme_id, &programme_doc);
        let roster_doc = self
            .create_registered(&roster, &name, entry(DocKind::Roster))
            .await?;
        self.set_setting(&Setting::Roster(programme_doc.to_owned()), &roster_doc)?;
        self.sync_directory().await?;
        Ok(programme_doc)
    }

    pub(super) async fn programme(&self, programme_doc: &str) -> Result<Programme, ActionError> {
        let programme: ProgrammeDoc = self.device.read(programme_doc).await?;
        let roster_doc = match self.setting(&Setting::Roster(programme_doc.to_owned()))? {
            Some(id) if self.device.has(&id) => id,
            _ => self
                .directory()?
                .unwrap_or_default()
                .documents
                .into_iter()
                .find(|d| {
                    d.entry.kind == DocKind::Roster && d.entry.programme == programme.programme_id
                })
                .map(|d| d.id)
                .ok_or(ActionError::NotCoordinator)?,
        };
        let roster: RosterDoc = self.device.read(&roster_doc).await?;
        Ok(Programme {
            doc: programme_doc.to_owned(),
            programme,
            roster_doc,
            roster,
        })
    }

    // -- Set-up: settings, quarters, guide, checklist -------------------------------------------

    /// The programme's settings, guide and checklist as she edits them.
    pub async fn programme_setup(
        &self,
        programme_doc: &str,
        today: NaiveDate,
    ) -> Result<ProgrammeSetup, ActionError> {
        let p = self.programme(programme_doc).await?;
        Ok(setup_view(&p, self.language()?, today))
    }

    /// Ticks or unticks a precondition.
    pub async fn set_checklist(
        &self,
        programme_doc: &str,
        key: &str,
        done: bool,
    ) -> Result<(), ActionError> {
        if !CHECKLIST.contains(&key) {
            return Err(ActionError::BadField(key.to_owned()));
        }
        self.programme(programme_doc).await?;
        let key = key.to_owned();
        self.device
            .change::<ProgrammeDoc, _>(programme_doc, move |p| {
                p.checklist.insert(key, done);
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Changes the four settings and the quarter dates.
    pub async fn save_settings(
        &self,
        programme_doc: &str,
        settings: Settings,
        quarters: Vec<(String, String)>,
    ) -> Result<(), ActionError> {
        self.programme(programme_doc).await?;
        let mut parsed = BTreeMap::new();
        for (i, (start, end)) in quarters.iter().enumerate().take(4) {
            let (start, end) = (parse_date(start)?, parse_date(end)?);
            if end < start {
                return Err(ActionError::BadDate(end.to_string()));
            }
            parsed.insert(
                (i + 1).to_string(),
                docs::QuarterDoc {
                    start: start.to_string(),
                    end: end.to_string(),
                },
            );
        }
        self.device
            .change::<ProgrammeDoc, _>(programme_doc, move |p| {
                p.settings = settings;
                if parsed.len() == 4 {
                    p.quarters = parsed;
                }
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Rewrites a topic of the guide (central programmes: the coordinator owns the guide).
    /// Empty fields go back to the toolbox's text.
    pub async fn edit_topic(
        &self,
        programme_doc: &str,
        topic: &str,
        title: &str,
        tells: Vec<String>,
        ask: Vec<String>,
    ) -> Result<(), ActionError> {
        let p = self.programme(programme_doc).await?;
        if p.programme.settings.steering == Steering::Decentral {
            return Err(ActionError::BadField(
                "in a decentral programme, mentors adapt the guide".into(),
            ));
        }
        let (topic, title) = (topic.to_owned(), title.trim().to_owned());
        let clean = |lines: Vec<String>| -> Vec<String> {
            lines
                .into_iter()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect()
        };
        let (tells, ask) = (clean(tells), clean(ask));
        self.device
            .change::<ProgrammeDoc, _>(programme_doc, move |p| {
                let t = p
                    .guide
                    .get_mut(&topic)
                    .ok_or_else(|| docs::DocError::Write(format!("no topic {topic}")))?;
                t.title = title;
                t.mentor_tells = tells;
                t.ask_mentee = ask;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Changes the preselection criteria's weights (0 to 5).
    pub async fn save_criteria(
        &self,
        programme_doc: &str,
        criteria: Vec<(String, u64)>,
    ) -> Result<(), ActionError> {
        let p = self.programme(programme_doc).await?;
        self.device
            .change::<RosterDoc, _>(&p.roster_doc, move |r| {
                for (key, weight) in criteria {
                    if docs::CRITERIA.contains(&key.as_str()) {
                        r.criteria.insert(key, weight.min(5));
                    }
                }
                Ok(())
            })
            .await?;
        Ok(())
    }

    // -- Invitations --------------------------------------------------------------------------

    /// Invites a person: the server gives a single-use code that expires; the e-mail to send it
    /// with is prepared from the (editable) template for her role.
    pub async fn invite(
        &self,
        programme_doc: &str,
        role: Role,
        name: &str,
        email: &str,
        valid_days: u32,
    ) -> Result<InviteResult, ActionError> {
        let p = self.programme(programme_doc).await?;
        let name = check_name(name)?;
        let email = email.trim().to_owned();
        if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
            return Err(ActionError::BadField("email".into()));
        }
        let (api, credential) = self.api()?;
        let created = api
            .create_invitation(
                &credential,
                &CreateInvitation {
                    programme: p.programme.programme_id.clone(),
                    role,
                    name: name.clone(),
                    email: email.clone(),
                    valid_days: valid_days.clamp(1, 60),
                },
            )
            .await?;
        let invited = self.invited(&p, created, &name, &email, role)?;
        if let Err(e) = self.refresh_status(programme_doc).await {
            tracing::debug!(error = %e, "the list of invitations follows at the next refresh");
        }
        Ok(invited)
    }

    /// Invites everyone on a class list (CSV: name, e-mail address, role) at once, each with her
    /// e-mail ready; a list with a problem invites nobody and says which lines to fix.
    pub async fn import_class_list(
        &self,
        programme_doc: &str,
        text: &str,
        valid_days: u32,
    ) -> Result<ClassListImport, ActionError> {
        let p = self.programme(programme_doc).await?;
        let language = self.language()?;
        let people = match class_list::read(text, super::MAX_NAME) {
            Ok(people) if !people.is_empty() => people,
            Ok(_) => return Err(ActionError::TextRequired),
            Err(problems) => {
                return Ok(ClassListImport {
                    invited: Vec::new(),
                    problems: problems
                        .iter()
                        .map(|p| class_list_problem(p, language))
                        .collect(),
                });
            }
        };
        let (api, credential) = self.api()?;
        let created = api
            .create_invitations(
                &credential,
                &CreateInvitations {
                    programme: p.programme.programme_id.clone(),
                    people: people.clone(),
                    valid_days: valid_days.clamp(1, 60),
                },
            )
            .await?;
        let mut invited = Vec::with_capacity(people.len());
        for (person, created) in people.into_iter().zip(created.created) {
            invited.push(self.invited(&p, created, &person.name, &person.email, person.role)?);
        }
        if let Err(e) = self.refresh_status(programme_doc).await {
            tracing::debug!(error = %e, "the list of invitations follows at the next refresh");
        }
        Ok(ClassListImport {
            invited,
            problems: Vec::new(),
        })
    }

    /// An invitation the server made, with its e-mail ready from her template; its code as
    /// shown is kept on this device to send again (the server keeps only its hash).
    fn invited(
        &self,
        p: &Programme,
        created: InvitationCreated,
        name: &str,
        email: &str,
        role: Role,
    ) -> Result<InviteResult, ActionError> {
        self.set_setting(&Setting::InvitationCode(created.id.clone()), &created.code)?;
        let language = self.language()?;
        let server = Url::parse(&self.setting(&Setting::Server)?.unwrap_or_default())
            .map_err(|_| ActionError::NoServer)?;
        let link = server
            .join(&format!("join/{}", created.code))
            .map(|u| u.to_string())
            .unwrap_or_default();
        let expires = days_from(&created.expires_at)
            .map(|d| format_date(language, d))
            .unwrap_or_default();
        let (subject, body) = self.invitation_template(role)?;
        let fill = |text: &str| {
            text.replace("{name}", name)
                .replace("{programme}", &p.programme.name)
                .replace("{school}", &p.programme.school)
                .replace("{coordinator}", &p.programme.coordinator_name)
                .replace("{code}", &created.code)
                .replace("{link}", &link)
                .replace("{server}", server.as_str())
                .replace("{expires}", &expires)
        };
        let (subject, body) = (fill(&subject), fill(&body));
        Ok(InviteResult {
            invitation: created.id,
            code: created.code,
            link,
            expires,
            email: crate::api::Email {
                mailto: mail::mailto(email, &subject, &body),
                to: email.to_owned(),
                subject,
                body,
            },
        })
    }

    /// The e-mail template for inviting someone in `role`: her own edit, or the default.
    pub fn invitation_template(&self, role: Role) -> Result<(String, String), ActionError> {
        let key = template_key(role);
        let language = self.language()?;
        Ok((
            self.setting(&Setting::InvitationSubject(role))?
                .unwrap_or_else(|| t(language, &format!("mail.invite.{key}.subject"))),
            self.setting(&Setting::InvitationBody(role))?
                .unwrap_or_else(|| t(language, &format!("mail.invite.{key}.body"))),
        ))
    }

    /// Saves her own version of an invitation template.
    pub fn save_invitation_template(
        &self,
        role: Role,
        subject: &str,
        body: &str,
    ) -> Result<(), ActionError> {
        self.set_setting(&Setting::InvitationSubject(role), subject)?;
        self.set_setting(&Setting::InvitationBody(role), body)
    }

    /// Withdraws an invitation that was not yet accepted.
    pub async fn revoke_invitation(
        &self,
        programme_doc: &str,
        invitation: &str,
    ) -> Result<(), ActionError> {
        let p = self.programme(programme_doc).await?;
        let (api, credential) = self.api()?;
        api.revoke_invitation(
            &credential,
            &RevokeInvitation {
                programme: p.programme.programme_id.clone(),
                id: invitation.to_owned(),
            },
        )
        .await?;
        self.refresh_status(programme_doc).await
    }

    /// Asks the server who accepted, declined or withdrew, and when each device last synced;
    /// the roster and (in matching programmes) the programme's participant list follow.
    pub async fn refresh_status(&self, programme_doc: &str) -> Result<(), ActionError> {
        let p = self.programme(programme_doc).await?;
        let (api, credential) = self.api()?;
        let status = api
            .programme_status(&credential, &p.programme.programme_id)
            .await?;
        let json =
            serde_json::to_string(&status).map_err(|e| ActionError::BadField(e.to_string()))?;
        self.set_setting(&Setting::Status(programme_doc.to_owned()), &json)?;
        self.set_setting(
            &Setting::StatusAt(programme_doc.to_owned()),
            &Utc::now().to_rfc3339(),
        )?;
        // Codes of invitations no longer open are of no use: they go from this device.
        for invitation in status.invitations.iter().filter(|i| i.state != "open") {
            self.remove_setting(&Setting::InvitationCode(invitation.id.clone()))?;
        }
        let matching = p.programme.settings.pairing == Pairing::Matching;
        let told = Setting::MatchingTold(p.programme.programme_id.clone());
        if self.setting(&told)?.as_deref() != Some(if matching { "yes" } else { "no" }) {
            api.set_matching(
                &credential,
                &SetMatching {
                    programme: p.programme.programme_id.clone(),
                    matching,
                },
            )
            .await?;
            self.set_setting(&told, if matching { "yes" } else { "no" })?;
        }
        self.sync_directory().await
    }

    pub(super) fn cached_status(
        &self,
        programme_doc: &str,
    ) -> Result<ProgrammeStatus, ActionError> {
        Ok(self
            .setting(&Setting::Status(programme_doc.to_owned()))?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    /// Ends someone's part in the programme (she can also withdraw herself).
    pub async fn remove_person(
        &self,
        programme_doc: &str,
        person: &str,
    ) -> Result<(), ActionError> {
        let p = self.programme(programme_doc).await?;
        let (api, credential) = self.api()?;
        api.withdraw(
            &credential,
            &Withdraw {
                programme: p.programme.programme_id.clone(),
                person: Some(person.to_owned()),
            },
        )
        .await?;
        self.refresh_status(programme_doc).await
    }

    // -- Pairing ------------------------------------------------------------------------------

    /// Profiles of the programme's participants, by person.
    pub(super) async fn profiles(
        &self,
        p: &Programme,
    ) -> Result<BTreeMap<String, ProfileDoc>, ActionError> {
        let mut profiles = BTreeMap::new();
        for entry in self.device.documents()? {
            if entry.kind != DocKind::Profile.as_str() {
                continue;
            }
            if let Ok(profile) = self.device.read::<ProfileDoc>(&entry.doc_id).await
                && profile.programme_id == p.programme.programme_id
            {
                profiles.insert(profile.owner.clone(), profile);
            }
        }
        Ok(profiles)
    }

    /// Accepted, active participants of a role: (person, name).
    pub(super) fn participants(
        &self,
        p: &Programme,
        role: Role,
    ) -> Result<Vec<PersonRef>, ActionError> {
        let status = self.cached_status(&p.doc)?;
        Ok(status
            .members
            .into_iter()
            .filter(|m| m.role == role && m.active)
            .map(|m| PersonRef {
                person: m.person,
                name: m.name,
            })
            .collect())
    }

    fn active_pairs(p: &Programme) -> impl Iterator<Item = (&String, &PairDoc)> {
        p.roster
            .pairs
            .iter()
            .filter(|(_, pair)| pair.dissolved_on.is_none())
    }

    async fn mentors(&self, p: &Programme) -> Result<Vec<Mentor>, ActionError> {
        let profiles = self.profiles(p).await?;
        Ok(self
            .participants(p, Role::Mentor)?
            .into_iter()
            .map(|m| {
                let profile = profiles.get(&m.person);
                Mentor {
                    paired: Self::active_pairs(p)
                        .filter(|(_, pair)| pair.mentor == m.person)
                        .count() as u32,
                    track: profile.map(|p| p.track.clone()).unwrap_or_default(),
                    interests: profile.map(|p| p.interests.clone()).unwrap_or_default(),
                    self_check: (
                        profile
                            .map(|p| p.self_check.values().filter(|v| **v).count())
                            .unwrap_or(0),
                        MENTOR_CHECKLIST.len(),
                    ),
                    capacity: profile.map(|p| p.capacity as u32).unwrap_or(1).max(1),
                    person: m.person,
                    name: m.name,
                }
            })
            .collect())
    }

    fn criteria(p: &Programme) -> Criteria {
        let weight = |key: &str| p.roster.criteria.get(key).copied().unwrap_or(0) as u32;
        Criteria {
            same_track: weight("same_track"),
            shared_interests: weight("shared_interests"),
            self_check: weight("self_check"),
        }
    }

    /// Mentors for a mentee, ranked by the coordinator's criteria, with the reasons.
    pub async fn suggestions(
        &self,
        programme_doc: &str,
        mentee: &str,
    ) -> Result<Vec<SuggestionView>, ActionError> {
        let p = self.programme(programme_doc).await?;
        let language = self.language()?;
        let profiles = self.profiles(&p).await?;
        let name = self
            .participants(&p, Role::Mentee)?
            .into_iter()
            .find(|m| m.person == mentee)
            .ok_or(ActionError::NotAccepted)?
            .name;
        let profile = profiles.get(mentee);
        let mentee = Mentee {
            person: mentee.to_owned(),
            name,
            track: profile.map(|p| p.track.clone()).unwrap_or_default(),
            interests: profile.map(|p| p.interests.clone()).unwrap_or_default(),
        };
        Ok(
            matching::suggest(&mentee, &self.mentors(&p).await?, Self::criteria(&p))
                .into_iter()
                .map(|s| SuggestionView {
                    reasons: s.reasons.iter().map(|r| reason_text(r, language)).collect(),
                    mentor: s.mentor,
                    name: s.name,
                    score: s.score,
                    full: s.full,
                })
                .collect(),
        )
    }

    /// Pairs proposed from mutual preferences (matching programmes), for the coordinator to
    /// confirm one by one.
    pub async fn proposals(&self, programme_doc: &str) -> Result<Vec<ProposalView>, ActionError> {
        let p = self.programme(programme_doc).await?;
        let profiles = self.profiles(&p).await?;
        let paired: Vec<&String> = Self::active_pairs(&p)
            .map(|(_, pair)| &pair.mentee)
            .collect();
        let mentees: BTreeMap<String, Vec<String>> = self
            .participants(&p, Role::Mentee)?
            .into_iter()
            .filter(|m| !paired.contains(&&m.person))
            .map(|m| {
                let prefs = profiles
                    .get(&m.person)
                    .map(|p| p.preferences.clone())
                    .unwrap_or_default();
                (m.person, prefs)
            })
            .collect();
        let mentor_list = self.mentors(&p).await?;
        let mentors: BTreeMap<String, (u32, Vec<String>)> = mentor_list
            .iter()
            .map(|m| {
                let prefs = profiles
                    .get(&m.person)
                    .map(|p| p.preferences.clone())
                    .unwrap_or_default();
                (m.person.clone(), (m.free(), prefs))
            })
            .collect();
        let names: BTreeMap<String, String> = self
            .participants(&p, Role::Mentee)?
            .into_iter()
            .chain(self.participants(&p, Role::Mentor)?)
            .map(|m| (m.person, m.name))
            .collect();
        Ok(matching::stable_pairs(&mentees, &mentors)
            .into_iter()
            .map(|(mentor, mentee)| ProposalView {
                mentor_name: names.get(&mentor).cloned().unwrap_or_default(),
                mentee_name: names.get(&mentee).cloned().unwrap_or_default(),
                mentor,
                mentee,
            })
            .collect())
    }

    /// Forms a pair. The mentor's capacity is never exceeded and a mentee is in one pair at a
    /// time. The server makes the pair's notes, for the pair alone.
    pub async fn form_pair(
        &self,
        programme_doc: &str,
        mentor: &str,
        mentee: &str,
        today: NaiveDate,
    ) -> Result<String, ActionError> {
        let p = self.programme(programme_doc).await?;
        let mentors = self.mentors(&p).await?;
        let mentor_info = mentors
            .iter()
            .find(|m| m.person == mentor)
            .ok_or(ActionError::NotAccepted)?;
        if !self
            .participants(&p, Role::Mentee)?
            .iter()
            .any(|m| m.person == mentee)
        {
            return Err(ActionError::NotAccepted);
        }
        if mentor_info.free() == 0 {
            return Err(ActionError::MentorFull);
        }
        if Self::active_pairs(&p).any(|(_, pair)| pair.mentee == mentee) {
            return Err(ActionError::AlreadyPaired);
        }
        let group = GroupDoc::new_pair(programme_doc, "", mentor, mentee);
        // The device index keeps no names: they live in the server's registry only.
        let title = p.programme.name.clone();
        let group_doc = self
            .form_group(
                &p,
                group,
                &title,
                vec![mentor.to_owned(), mentee.to_owned()],
            )
            .await?;
        // A repeated attempt continues the group of the first one.
        let group_id = self.device.read::<GroupDoc>(&group_doc).await?.group_id;
        let pair = PairDoc {
            group_doc: group_doc.clone(),
            mentor: mentor.to_owned(),
            mentee: mentee.to_owned(),
            formed_on: today.to_string(),
            dissolved_on: None,
        };
        self.device
            .change::<RosterDoc, _>(&p.roster_doc, move |r| {
                r.pairs.insert(group_id, pair);
                Ok(())
            })
            .await?;
        Ok(group_doc)
    }

    /// Makes a pair's or circle's group document, has the server form the group (it makes the
    /// group's notes, which this device never holds) and shares it. Returns the document id.
    ///
    /// Safe to repeat: when the server's answer is lost (or it cannot answer now), the group
    /// document and the request are kept, and the next attempt for the same members sends the
    /// identical request, which the server answers with the group it formed.
    pub(super) async fn form_group(
        &self,
        p: &Programme,
        group: GroupDoc,
        title: &str,
        members: Vec<String>,
    ) -> Result<String, ActionError> {
        let forming = Setting::Forming {
            programme: p.programme.programme_id.clone(),
            members: members.clone(),
        };
        let earlier = self
            .setting(&forming)?
            .and_then(|json| serde_json::from_str::<CreateGroup>(&json).ok())
            .filter(|request| self.device.has(&request.group_doc));
        let request = match earlier {
            Some(request) => request,
            None => {
                let group_doc = self
                    .device
                    .create(&group, title, crate::device::Sharing::Later)
                    .await?;
                let request = CreateGroup {
                    programme: p.programme.programme_id.clone(),
                    group: group.group_id.clone(),
                    kind: group.group_kind,
                    members,
                    group_doc,
                };
                let json = serde_json::to_string(&request)
                    .map_err(|e| ActionError::BadField(e.to_string()))?;
                self.set_setting(&forming, &json)?;
                request
            }
        };
        let group_doc = request.group_doc.clone();
        let (api, credential) = self.api()?;
        let created = match api.create_group(&credential, &request).await {
            Ok(created) => created,
            Err(e) if e.worth_retrying() => return Err(e.into()),
            Err(e) => {
                self.device.forget(&group_doc)?;
                self.remove_setting(&forming)?;
                return Err(e.into());
            }
        };
        self.remove_setting(&forming)?;
        self.device
            .change::<GroupDoc, _>(&group_doc, move |g| {
                g.notes_doc = created.notes_doc;
                Ok(())
            })
            .await?;
        self.device.publish(&group_doc)?;
        // The members' devices look for the group on the server as soon as they hear of it.
        if !self
            .device
            .wait_on_server(&group_doc, std::time::Duration::from_secs(10))
            .await
        {
            tracing::warn!(%group_doc, "the server does not have the new group yet; it follows when it can");
        }
        Ok(group_doc)
    }

    /// Dissolves a pair (given by its group document): both lose access to its documents at once;
    /// both can be paired again.
    pub async fn dissolve(
        &self,
        programme_doc: &str,
        group_doc: &str,
        today: NaiveDate,
    ) -> Result<(), ActionError> {
        let p = self.programme(programme_doc).await?;
        let group = p
            .roster
            .pairs
            .iter()
            .find(|(id, pair)| pair.group_doc == group_doc || id.as_str() == group_doc)
            .map(|(id, _)| id.clone())
            .ok_or_else(|| ActionError::UnknownGroup(group_doc.to_owned()))?;
        let (api, credential) = self.api()?;
        api.dissolve_group(&credential, &group).await?;
        self.device
            .change::<RosterDoc, _>(&p.roster_doc, move |r| {
                if let Some(pair) = r.pairs.get_mut(&group) {
                    pair.dissolved_on = Some(today.to_string());
                }
                Ok(())
            })
            .await?;
        Ok(())
    }

    // -- Monitoring and evaluation ------------------------------------------------------------

    /// The overview: setup, people, mentors' room, unpaired mentees, and each pair's progress.
    pub async fn dashboard(
        &self,
        programme_doc: &str,
        today: NaiveDate,
    ) -> Result<Dashboard, ActionError> {
        let p = self.programme(programme_doc).await?;
        let language = self.language()?;
        let status = self.cached_status(programme_doc)?;
        let last_seen = |person: &str| {
            status
                .members
                .iter()
                .find(|m| m.person == person)
                .and_then(|m| m.last_seen.clone())
        };
        let names = self.names()?;
        let mut pairs = Vec::new();
        for (_, pair) in Self::active_pairs(&p) {
            let Ok(group) = self.device.read::<GroupDoc>(&pair.group_doc).await else {
                continue;
            };
            let last_sync = [last_seen(&pair.mentor), last_seen(&pair.mentee)]
                .into_iter()
                .flatten()
                .max();
            pairs.push(monitoring::pair_row(
                &p.programme,
                monitoring::PairSeen {
                    group_id: &pair.group_doc,
                    group: &group,
                    formed_on: &pair.formed_on,
                    last_sync,
                },
                &names,
                today,
                language,
            ));
        }
        let paired_mentees: Vec<&String> = Self::active_pairs(&p)
            .map(|(_, pair)| &pair.mentee)
            .collect();
        let paired = |person: &str| {
            Self::active_pairs(&p).any(|(_, pair)| pair.mentor == person || pair.mentee == person)
        };
        let withdrawn = |person: &str| {
            status
                .members
                .iter()
                .any(|m| m.person == person && !m.active)
        };
        let mut people: Vec<PersonRow> = status
            .invitations
            .iter()
            .map(|i| {
                let expired =
                    i.state == "open" && days_from(&i.expires_at).is_some_and(|d| d < today);
                let state = match &i.person {
                    _ if expired => "expired".to_owned(),
                    Some(person) if withdrawn(person) => "withdrawn".to_owned(),
                    _ => i.state.clone(),
                };
                PersonRow {
                    invitation: i.id.clone(),
                    person: i.person.clone(),
                    name: i.name.clone(),
                    email: i.email.clone(),
                    role: i.role,
                    state,
                    code: self
                        .setting(&Setting::InvitationCode(i.id.clone()))
                        .ok()
                        .flatten()
                        .unwrap_or_default(),
                    expires: days_from(&i.expires_at)
                        .map(|d| format_date(language, d))
                        .unwrap_or_default(),
                    paired: i.person.as_deref().is_some_and(paired),
                }
            })
            .collect();
        // Members whose invitation is past retention: the server keeps them, not the invitation.
        for m in &status.members {
            let listed = status
                .invitations
                .iter()
                .any(|i| i.person.as_ref() == Some(&m.person));
            if m.role != Role::Coordinator && !listed {
                people.push(PersonRow {
                    invitation: m.invitation.clone().unwrap_or_default(),
                    person: Some(m.person.clone()),
                    name: m.name.clone(),
                    email: String::new(),
                    role: m.role,
                    state: if m.active { "accepted" } else { "withdrawn" }.to_owned(),
                    code: String::new(),
                    expires: String::new(),
                    paired: paired(&m.person),
                });
            }
        }
        let mentors = self
            .mentors(&p)
            .await?
            .into_iter()
            .map(|m| MentorRow {
                self_check: format!("{}/{}", m.self_check.0, m.self_check.1),
                person: m.person,
                name: m.name,
                capacity: m.capacity,
                paired: m.paired,
            })
            .collect();
        let unpaired_mentees = self
            .participants(&p, Role::Mentee)?
            .into_iter()
            .filter(|m| !paired_mentees.contains(&&m.person))
            .collect();
        Ok(Dashboard {
            setup: setup_view(&p, language, today),
            people,
            mentors,
            unpaired_mentees,
            pairs,
            quarter_now: guide::quarter_of(today, &views::quarters(&p.programme, today)),
            status_checked_at: self.setting(&Setting::StatusAt(programme_doc.to_owned()))?,
            contact: self.contact_threads(programme_doc).await?,
            archived: self
                .directory()?
                .unwrap_or_default()
                .memberships
                .iter()
                .any(|m| m.programme == p.programme.programme_id && m.archived),
        })
    }

    async fn evaluations(&self, p: &Programme) -> Result<Vec<EvaluationDoc>, ActionError> {
        let mut evaluations = Vec::new();
        for entry in self.device.documents()? {
            if entry.kind != DocKind::Evaluation.as_str() {
                continue;
            }
            if let Ok(e) = self.device.read::<EvaluationDoc>(&entry.doc_id).await
                && e.programme_id == p.programme.programme_id
            {
                evaluations.push(e);
            }
        }
        Ok(evaluations)
    }

    /// The evaluation results, per topic and in total.
    pub async fn evaluation_summary(
        &self,
        programme_doc: &str,
    ) -> Result<EvaluationSummary, ActionError> {
        let p = self.programme(programme_doc).await?;
        Ok(monitoring::evaluation_summary(
            &p.programme,
            &self.evaluations(&p).await?,
            self.language()?,
        ))
    }

    /// The evaluation results as CSV.
    pub async fn evaluation_csv(&self, programme_doc: &str) -> Result<String, ActionError> {
        let p = self.programme(programme_doc).await?;
        Ok(monitoring::evaluation_csv(
            &p.programme,
            &self.evaluations(&p).await?,
            self.language()?,
        ))
    }
}

/// A class list's problem, in her language.
fn class_list_problem(p: &class_list::LineProblem, language: Language) -> String {
    use class_list::Problem;
    let line = p.line.to_string();
    let (key, value) = match &p.problem {
        Problem::NoName => ("class_list.no_name", String::new()),
        Problem::NameTooLong => ("class_list.name_too_long", String::new()),
        Problem::BadEmail(e) => ("class_list.bad_email", e.clone()),
        Problem::UnknownRole(r) => ("class_list.unknown_role", r.clone()),
        Problem::Twice(e) => ("class_list.twice", e.clone()),
        Problem::TooMany => ("class_list.too_many", String::new()),
    };
    tf(language, key, &[("line", &line), ("value", &value)])
}

fn setup_view(p: &Programme, language: Language, today: NaiveDate) -> ProgrammeSetup {
    let quarters = views::quarters(&p.programme, today);
    ProgrammeSetup {
        programme: p.doc.clone(),
        name: p.programme.name.clone(),
        school: p.programme.school.clone(),
        academic_year: p.programme.academic_year.clone(),
        settings: p.programme.settings,
        quarters: quarters
            .iter()
            .map(|q| (q.start.to_string(), q.end.to_string()))
            .collect(),
        guide: views::ordered_topics(&p.programme)
            .into_iter()
            .map(|(id, topic)| {
                let text = views::topic_text(topic, language);
                GuideTopicEdit {
                    topic: id.clone(),
                    number: u8::try_from(topic.number).unwrap_or(0),
                    title: text.title,
                    tells: text.tells,
                    ask: text.ask,
                    timing: views::timing_label(topic, language),
                    first_quarter: u8::try_from(topic.first_quarter).unwrap_or(0),
                    last_quarter: u8::try_from(topic.last_quarter).unwrap_or(0),
                }
            })
            .collect(),
        guide_editable_by_coordinator: p.programme.settings.steering == Steering::Central,
        checklist: CHECKLIST
            .iter()
            .map(|key| ChecklistItem {
                key: (*key).to_owned(),
                label: t(language, &format!("checklist.{key}")),
                done: p.programme.checklist.get(*key).copied().unwrap_or(false),
            })
            .collect(),
        criteria: docs::CRITERIA
            .iter()
            .map(|key| {
                (
                    (*key).to_owned(),
                    p.roster.criteria.get(*key).copied().unwrap_or(0),
                )
            })
            .collect(),
    }
}

/// A reason for a suggestion, in words.
fn reason_text(reason: &Reason, language: Language) -> String {
    match reason {
        Reason::SameTrack { track, points } => tf(
            language,
            "reason.same_track",
            &[("track", track), ("points", &points.to_string())],
        ),
        Reason::SharedInterests { interests, points } => tf(
            language,
            "reason.shared_interests",
            &[
                ("interests", &interests.join(", ")),
                ("points", &points.to_string()),
            ],
        ),
        Reason::SelfCheck { ticked, of, points } => tf(
            language,
            "reason.self_check",
            &[
                ("ticked", &ticked.to_string()),
                ("of", &of.to_string()),
                ("points", &points.to_string()),
            ],
        ),
        Reason::Capacity { free: 0 } => t(language, "reason.full"),
        Reason::Capacity { free } => tf(language, "reason.free", &[("free", &free.to_string())]),
    }
}
