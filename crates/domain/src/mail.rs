//! E-mails the app prepares for people to send themselves (from their own mail client): the
//! mentor's first invitation to her mentee. Templates are editable; `{name}` placeholders are
//! filled in here.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::i18n::t;
use crate::model::Language;

/// What can be filled into a template.
pub struct Fill<'a> {
    pub mentee: &'a str,
    pub mentor: &'a str,
    pub programme: &'a str,
    /// One proposed time per line, already written out.
    pub proposed_times: &'a [String],
}

/// The default first-contact template in `language`: (subject, body).
pub fn first_contact_template(language: Language) -> (String, String) {
    (
        t(language, "mail.first.subject"),
        t(language, "mail.first.body"),
    )
}

/// Fills a template's placeholders.
pub fn fill(template: &str, fill: &Fill<'_>) -> String {
    let times = fill
        .proposed_times
        .iter()
        .map(|time| format!("- {time}"))
        .collect::<Vec<_>>()
        .join("\n");
    template
        .replace("{mentee}", fill.mentee)
        .replace("{mentor}", fill.mentor)
        .replace("{programme}", fill.programme)
        .replace("{proposed_times}", &times)
}

/// A `mailto:` address (RFC 6068) with subject and body filled in.
pub fn mailto(to: &str, subject: &str, body: &str) -> String {
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "mailto:{}?subject={}&body={}",
        encode(to.trim()),
        encode(subject),
        encode(&body)
    )
}

/// Everything but unreserved characters and `@` is percent-encoded (RFC 6068 leaves `@` as is).
const MAILTO: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

fn encode(text: &str) -> String {
    utf8_percent_encode(text, MAILTO).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dutch_invitation_names_both_and_lists_the_proposed_times() {
        let (subject, body) = first_contact_template(Language::Nl);
        let times = [
            "di 22 september 2026, 14:30".to_owned(),
            "do 24 september 2026, 10:00".to_owned(),
        ];
        let f = Fill {
            mentee: "Aylin",
            mentor: "Sanne",
            programme: "Peer mentoring HBO-ICT",
            proposed_times: &times,
        };
        let body = fill(&body, &f);
        assert!(body.starts_with("Hoi Aylin,"), "{body}");
        assert!(
            body.contains("- di 22 september 2026, 14:30\n- do 24 september 2026, 10:00"),
            "{body}"
        );
        assert!(body.trim_end().ends_with("Sanne"), "{body}");
        assert!(!fill(&subject, &f).contains('{'));
    }

    #[test]
    fn mailto_encodes_everything_a_mail_client_could_misread() {
        let url = mailto(
            " aylin@student.nl ",
            "Kennismaken & plannen",
            "Hoi,\nzullen we?",
        );
        assert_eq!(
            url,
            "mailto:aylin@student.nl?subject=Kennismaken%20%26%20plannen&body=Hoi%2C%0D%0Azullen%20we%3F"
        );
    }
}
