//! Every text the app shows, in Dutch (the default) and English: the window's labels and whatever
//! the device writes for people (e-mails, calendar entries, certificates). A key without a text
//! shows as `⟦key⟧`, which the app tests look for.

use crate::model::Language;

/// (key, Dutch, English)
const TEXTS: &[(&str, &str, &str)] = &[
    ("app.name", "Peer Mentoring", "Peer Mentoring"),
    ("lang.switch", "English", "Nederlands"),
    ("sync.off", "Alleen op dit apparaat", "Only on this device"),
    ("sync.connecting", "Verbinden…", "Connecting…"),
    ("sync.offline", "Offline", "Offline"),
    ("sync.syncing", "Synchroniseren…", "Syncing…"),
    ("sync.synced", "Gesynchroniseerd", "Synced"),
    (
        "sync.refused",
        "Geweigerd door de server",
        "Refused by the server",
    ),
    (
        "sync.pending",
        "{n} wijziging(en) nog niet verstuurd",
        "{n} change(s) not sent yet",
    ),
    ("sync.last", "laatst om {time}", "last at {time}"),
    (
        "storage.error",
        "Opslaan op dit apparaat lukt niet: {detail}. Je werk wordt bewaard en opnieuw geprobeerd.",
        "Saving on this device fails: {detail}. Your work is kept and saving is retried.",
    ),
    ("home.welcome", "Welkom", "Welcome"),
    (
        "home.intro",
        "Je programma's, afspraken en notities staan op dit apparaat en werken ook zonder internet.",
        "Your programmes, meetings and notes live on this device and work without internet too.",
    ),
    ("home.documents", "Op dit apparaat", "On this device"),
    (
        "home.no_documents",
        "Nog niets op dit apparaat.",
        "Nothing on this device yet.",
    ),
    (
        "error.storage_unavailable",
        "De opslag van dit apparaat kan niet worden geopend",
        "This device's storage cannot be opened",
    ),
    ("error.generic", "Er ging iets mis", "Something went wrong"),
];

/// The text for `key` in `language`.
pub fn t(language: Language, key: &str) -> String {
    match TEXTS.iter().find(|(k, _, _)| *k == key) {
        Some((_, nl, en)) => match language {
            Language::Nl => (*nl).to_owned(),
            Language::En => (*en).to_owned(),
        },
        None => format!("⟦{key}⟧"),
    }
}

/// The text for `key` with `{name}` placeholders filled in.
pub fn tf(language: Language, key: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(t(language, key), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_every_text_exists_in_both_languages() {
        for (i, (key, nl, en)) in TEXTS.iter().enumerate() {
            assert!(!nl.is_empty() && !en.is_empty(), "{key}");
            assert!(
                TEXTS[i + 1..].iter().all(|(k, _, _)| k != key),
                "duplicate {key}"
            );
        }
    }

    #[test]
    fn a_missing_key_is_visible() {
        assert_eq!(t(Language::En, "nope"), "⟦nope⟧");
        assert_eq!(
            tf(Language::Nl, "sync.pending", &[("n", "3")]),
            "3 wijziging(en) nog niet verstuurd"
        );
    }
}
