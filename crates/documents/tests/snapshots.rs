//! Snapshot tests of the view values the window shows: the mentee's and the mentor's home, a
//! meeting page and the coordinator's row of a pair, built from the demo pair on a fixed day.
//! Ids are random, so each distinct id is written as `id-1`, `id-2`, … in order of appearance.
//! A change to what a screen shows fails here with the whole difference; when the change is
//! meant, `PM_UPDATE_SNAPSHOTS=1 cargo test -p pm-documents --test snapshots` rewrites the files.

use std::path::PathBuf;

use chrono::NaiveDate;
use pm_documents::demo::demo;
use pm_documents::monitoring::{PairSeen, pair_row};
use pm_documents::views::{self, GroupHomeInput, MeetingPageInput, Names};
use pm_domain::api::TextValue;
use pm_domain::model::{Language, MeetingStatus, Role};
use serde::Serialize;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date")
}

/// The value as pretty JSON, with every 32-hex-digit id replaced by a stable name.
fn stable_json(value: &impl Serialize) -> String {
    let json = serde_json::to_string_pretty(value).expect("view values serialize");
    let mut names: Vec<String> = Vec::new();
    let mut out = String::new();
    let mut rest = json.as_str();
    while let Some(start) = rest.find(|c: char| c.is_ascii_hexdigit()) {
        out.push_str(&rest[..start]);
        let run = rest[start..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + run];
        let bounded = !rest[..start].ends_with(|c: char| c.is_ascii_alphanumeric());
        if run == 32 && bounded {
            let n = match names.iter().position(|n| n == word) {
                Some(i) => i + 1,
                None => {
                    names.push(word.to_owned());
                    names.len()
                }
            };
            out.push_str(&format!("id-{n}"));
        } else {
            out.push_str(word);
        }
        rest = &rest[start + run..];
    }
    out.push_str(rest);
    out + "\n"
}

fn check(name: &str, value: &impl Serialize) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.json"));
    let actual = stable_json(value);
    if std::env::var_os("PM_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).expect("write the snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; write it with PM_UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    assert!(
        actual == expected,
        "{name} differs from {}:\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

fn text(text: &str) -> TextValue {
    TextValue {
        text: text.to_owned(),
        base: String::new(),
        edit_base: String::new(),
    }
}

/// Her own name and the demo partner's, as the session gives them.
fn names(d: &pm_documents::demo::Demo, language: Language) -> Names {
    Names::new(
        [("me".to_owned(), "Sanne".to_owned()), d.partner.clone()],
        language,
    )
}

fn home(role: Role, language: Language) -> pm_domain::api::GroupHome {
    let d = demo(day(), "me", role, language);
    views::group_home(
        GroupHomeInput {
            group_id: "group",
            programme: &d.programme,
            group: &d.group,
            notes: &d.notes,
            me: "me",
            names: &names(&d, language),
            reflections: text(""),
            shared_notes: d.shared_notes.clone(),
        },
        day(),
        language,
    )
}

#[test]
fn the_mentees_home_in_dutch() {
    check("home-mentee-nl", &home(Role::Mentee, Language::Nl));
}

#[test]
fn the_mentors_home_in_english() {
    check("home-mentor-en", &home(Role::Mentor, Language::En));
}

#[test]
fn a_held_meeting_page() {
    let d = demo(day(), "me", Role::Mentor, Language::Nl);
    let (held, notes) = d
        .group
        .meetings
        .iter()
        .filter(|(_, m)| m.status == MeetingStatus::Held)
        .map(|(id, _)| {
            let notes = d
                .shared_notes
                .iter()
                .find(|(m, _)| m == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            (id.clone(), notes)
        })
        .min_by_key(|(id, _)| d.group.meetings[id].date.clone())
        .expect("the demo has a held meeting");
    let page = views::meeting_page(
        MeetingPageInput {
            group_id: "group",
            programme: &d.programme,
            group: &d.group,
            notes: &d.notes,
            me: "me",
            names: &names(&d, Language::Nl),
            meeting_id: &held,
            shared_notes: text(&notes),
            private_notes: text(""),
            conflicts: Vec::new(),
        },
        day(),
        Language::Nl,
    )
    .expect("the meeting is in the group");
    check("meeting-held-nl", &page);
}

#[test]
fn the_coordinators_row_of_a_pair() {
    let d = demo(day(), "me", Role::Mentor, Language::Nl);
    let row = pair_row(
        &d.programme,
        PairSeen {
            group_id: "group",
            group: &d.group,
            formed_on: "2026-09-01",
            last_sync: Some("2026-11-29T10:00:00Z".into()),
        },
        &names(&d, Language::Nl),
        day(),
        Language::Nl,
    );
    check("dashboard-row-nl", &row);
}
