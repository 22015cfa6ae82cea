//! A line to the programme's contact person: a mentor or mentee writes to the coordinator (a
//! question, or a concern about her pair), offline too; the coordinator sees which lines wait
//! for an answer and answers in the same document. Nobody else may read it (the server's
//! access rule), and nothing from her notes is attached.

use chrono::{DateTime, Utc};

use super::settings::Setting;
use super::{ActionError, Session};
use crate::access::DocEntry;
use crate::api::{ContactMessage, ContactThread};
use crate::contact;
use crate::docs::{self, ContactDoc, MessageDoc, ProgrammeDoc};
use crate::model::DocKind;

/// Longest message accepted, in characters.
pub const MAX_MESSAGE: usize = 4000;

fn check_message(text: &str) -> Result<String, ActionError> {
    let text = text.trim();
    if text.is_empty() {
        Err(ActionError::TextRequired)
    } else if text.chars().count() > MAX_MESSAGE {
        Err(ActionError::BadField("text".into()))
    } else {
        Ok(text.to_owned())
    }
}

impl Session {
    /// The contact documents on this device of one programme (by its id), of `owner` if given.
    /// Whose a document is, and in which programme, is what the server registered (the
    /// directory), never what the document says (anyone may write anything into her own); and
    /// only her messages and the coordinator's count. Her own document that waits for its
    /// registration (written offline) is hers.
    async fn contact_docs(
        &self,
        programme_id: &str,
        owner: Option<&str>,
    ) -> Result<Vec<(String, ContactDoc)>, ActionError> {
        let me = self.profile()?.person_id;
        let directory = self.directory()?.unwrap_or_default();
        let mut registered: Vec<(String, String)> = directory
            .documents
            .iter()
            .filter(|d| d.entry.kind == DocKind::Contact && d.entry.programme == programme_id)
            .filter_map(|d| Some((d.id.clone(), d.entry.owner.clone()?)))
            .collect();
        if let Some(mine) = self.setting(&Setting::Contact(programme_id.to_owned()))?
            && !registered.iter().any(|(id, _)| *id == mine)
        {
            registered.push((mine, me.clone()));
        }
        let coordinators: Vec<String> = directory
            .people
            .iter()
            .filter(|p| p.role == crate::model::Role::Coordinator)
            .map(|p| p.person.clone())
            .chain(
                directory
                    .memberships
                    .iter()
                    .any(|m| {
                        m.programme == programme_id && m.role == crate::model::Role::Coordinator
                    })
                    .then(|| me.clone()),
            )
            .collect();
        let mut found = Vec::new();
        for (id, registered_owner) in registered {
            if owner.is_some_and(|o| o != registered_owner) {
                continue;
            }
            if let Ok(mut doc) = self.device.read::<ContactDoc>(&id).await {
                doc.messages
                    .retain(|_, m| m.from == registered_owner || coordinators.contains(&m.from));
                doc.owner = registered_owner;
                doc.programme_id = programme_id.to_owned();
                found.push((id, doc));
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(found)
    }

    /// Adds a message to a contact document.
    async fn post_message(
        &self,
        id: &str,
        from: String,
        about: &str,
        text: String,
        now: DateTime<Utc>,
    ) -> Result<(), ActionError> {
        let message = MessageDoc {
            from,
            sent_at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            about: about.to_owned(),
            text,
        };
        self.device
            .change::<ContactDoc, _>(id, move |c| {
                c.messages.insert(docs::new_id(), message);
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Her messages with the contact person in a programme, oldest first.
    pub async fn contact_messages(
        &self,
        programme_doc: &str,
    ) -> Result<Vec<ContactMessage>, ActionError> {
        let programme: ProgrammeDoc = self.device.read(programme_doc).await?;
        let me = self.profile()?.person_id;
        let docs: Vec<ContactDoc> = self
            .contact_docs(&programme.programme_id, Some(&me))
            .await?
            .into_iter()
            .map(|(_, d)| d)
            .collect();
        Ok(contact::messages(
            &docs,
            &me,
            &self.names()?,
            self.language()?,
        ))
    }

    /// Writes to the contact person (`about`: a question, or a concern about her pair). Her
    /// contact document is made on first use, on this device, and registered with the server
    /// when it can be reached.
    pub async fn send_contact_message(
        &self,
        programme_doc: &str,
        about: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<ContactMessage>, ActionError> {
        if !contact::ABOUT.contains(&about) {
            return Err(ActionError::BadField("about".into()));
        }
        let text = check_message(text)?;
        let programme: ProgrammeDoc = self.device.read(programme_doc).await?;
        let me = self.profile()?.person_id;
        let key = Setting::Contact(programme.programme_id.clone());
        let id = match self.setting(&key)?.filter(|id| self.device.has(id)) {
            Some(id) => id,
            None => {
                let entry = DocEntry {
                    kind: DocKind::Contact,
                    programme: programme.programme_id.clone(),
                    group: None,
                    owner: Some(me.clone()),
                };
                let id = self
                    .create_registered(
                        &ContactDoc::new(&me, &programme.programme_id),
                        "contact",
                        entry,
                    )
                    .await?;
                self.set_setting(&key, &id)?;
                id
            }
        };
        self.post_message(&id, me, about, text, now).await?;
        self.contact_messages(programme_doc).await
    }

    /// Every participant's line (the coordinator's view), the unanswered first.
    pub async fn contact_threads(
        &self,
        programme_doc: &str,
    ) -> Result<Vec<ContactThread>, ActionError> {
        let programme: ProgrammeDoc = self.device.read(programme_doc).await?;
        let me = self.profile()?.person_id;
        let docs: Vec<ContactDoc> = self
            .contact_docs(&programme.programme_id, None)
            .await?
            .into_iter()
            .map(|(_, d)| d)
            .collect();
        Ok(contact::threads(
            &docs,
            &me,
            &self.names()?,
            self.language()?,
        ))
    }

    /// The coordinator answers a participant, in her (first) contact document.
    pub async fn answer_contact(
        &self,
        programme_doc: &str,
        person: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<ContactThread>, ActionError> {
        let text = check_message(text)?;
        let programme: ProgrammeDoc = self.device.read(programme_doc).await?;
        let me = self.profile()?.person_id;
        let (id, _) = self
            .contact_docs(&programme.programme_id, Some(person))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| ActionError::BadField("person".into()))?;
        self.post_message(&id, me, "answer", text, now).await?;
        self.contact_threads(programme_doc).await
    }
}
