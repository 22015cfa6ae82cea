//! A participant's line to the programme's contact person: her messages and the coordinator's
//! answers, as she and the coordinator see them, and which lines wait for an answer.

use chrono::{DateTime, FixedOffset};
use pm_domain::api::{ContactMessage, ContactThread};
use pm_domain::i18n::t;
use pm_domain::model::Language;

use crate::docs::ContactDoc;
use crate::views::Names;

/// What a message is about, as the writer chose it: a question, or a concern about her pair.
pub const ABOUT: [&str; 2] = ["question", "pair"];

/// The messages of her contact documents (one per device that started one), oldest first, as
/// `reader` sees them.
pub fn messages(
    docs: &[ContactDoc],
    reader: &str,
    names: &Names,
    language: Language,
) -> Vec<ContactMessage> {
    let mut messages: Vec<ContactMessage> = docs
        .iter()
        .flat_map(|doc| doc.messages.iter())
        .map(|(id, m)| ContactMessage {
            id: id.clone(),
            from: names.of(&m.from),
            mine: m.from == reader,
            about: t(language, &format!("contact.about.{}", m.about)),
            sent_at: m.sent_at.clone(),
            text: m.text.clone(),
        })
        .collect();
    messages.sort_by(|a, b| (moment(&a.sent_at), &a.id).cmp(&(moment(&b.sent_at), &b.id)));
    messages
}

/// When a message was sent (an unreadable time sorts first).
fn moment(sent_at: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(sent_at).ok()
}

/// Whether her last message has no answer yet: none came after it (an answer sent in the same
/// moment counts as one).
pub fn unanswered(docs: &[ContactDoc]) -> bool {
    let last = |hers: bool| {
        docs.iter()
            .flat_map(|doc| {
                doc.messages
                    .values()
                    .filter(move |m| (m.from == doc.owner) == hers)
            })
            .map(|m| moment(&m.sent_at))
            .max()
    };
    match (last(true), last(false)) {
        (Some(hers), Some(answer)) => hers > answer,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Every participant's line, for the coordinator: the unanswered first, then by name.
pub fn threads(
    docs: &[ContactDoc],
    coordinator: &str,
    names: &Names,
    language: Language,
) -> Vec<ContactThread> {
    let mut owners: Vec<&str> = docs.iter().map(|d| d.owner.as_str()).collect();
    owners.sort_unstable();
    owners.dedup();
    let mut threads: Vec<ContactThread> = owners
        .into_iter()
        .map(|owner| {
            let hers: Vec<ContactDoc> = docs.iter().filter(|d| d.owner == owner).cloned().collect();
            ContactThread {
                person: owner.to_owned(),
                name: names.of(owner),
                messages: messages(&hers, coordinator, names, language),
                unanswered: unanswered(&hers),
            }
        })
        .filter(|thread| !thread.messages.is_empty())
        .collect();
    threads.sort_by(|a, b| (!a.unanswered, &a.name).cmp(&(!b.unanswered, &b.name)));
    threads
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::MessageDoc;

    fn message(from: &str, at: &str, about: &str, text: &str) -> MessageDoc {
        MessageDoc {
            from: from.into(),
            sent_at: at.into(),
            about: about.into(),
            text: text.into(),
        }
    }

    #[test]
    fn her_line_waits_for_an_answer_until_the_coordinator_writes_after_her() {
        let names = Names::new(
            [("e".into(), "Aylin".into()), ("c".into(), "Carla".into())],
            Language::Nl,
        );
        let mut laptop = ContactDoc::new("e", "p");
        laptop.messages.insert(
            "1".into(),
            message(
                "e",
                "2026-11-30T10:00:00Z",
                "pair",
                "Mijn mentor reageert niet",
            ),
        );
        let mut phone = ContactDoc::new("e", "p");
        assert!(unanswered(&[laptop.clone(), phone.clone()]));
        let threads = threads(&[laptop.clone(), phone.clone()], "c", &names, Language::Nl);
        assert_eq!(threads.len(), 1);
        assert!(threads[0].unanswered);
        assert_eq!(threads[0].name, "Aylin");
        assert_eq!(threads[0].messages[0].about, "Zorg over mijn duo");
        phone.messages.insert(
            "2".into(),
            message("c", "2026-11-30T11:00:00Z", "answer", "Ik bel haar vandaag"),
        );
        let both = [laptop.clone(), phone.clone()];
        assert!(!unanswered(&both), "answered in the other document");
        let seen = messages(&both, "e", &names, Language::Nl);
        assert_eq!(
            seen.iter()
                .map(|m| (m.from.as_str(), m.mine))
                .collect::<Vec<_>>(),
            [("Aylin", true), ("Carla", false)]
        );
        laptop.messages.insert(
            "3".into(),
            message("e", "2026-11-30T12:00:00Z", "question", "Dank je!"),
        );
        assert!(unanswered(&[laptop.clone(), phone.clone()]));
        phone.messages.insert(
            "4".into(),
            message("c", "2026-11-30T12:00:00Z", "answer", "Graag gedaan"),
        );
        assert!(
            !unanswered(&[laptop, phone]),
            "an answer in the same second answers"
        );
    }
}
