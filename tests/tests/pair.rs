//! A pair formed by the coordinator and used through sessions on the mentor's and the mentee's
//! devices, syncing through the real server: the guide's "ask first" rule, and a meeting field
//! changed on both devices while apart.

use std::time::Duration;

use mentoring::api::SyncState;
use mentoring::docs::{self, GroupDoc, MeetingDoc};
use mentoring::model::{MeetingStatus, Role};
use mentoring::session::ActionError;
use system_tests::programme::{People, Person, mentor_and_mentee, today};
use system_tests::{InProcessServer, SyncServer, eventually, is, wait_status};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pair_shares_meetings_keeps_the_guides_rule_and_shows_a_double_change_until_one_is_chosen()
 {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let People {
        coordinator,
        programme,
        mentor: mentor_person,
        mentee: mentee_person,
    } = mentor_and_mentee(tmp.path(), &server).await;
    let group = coordinator
        .session
        .form_pair(
            &programme,
            &mentor_person.id(),
            &mentee_person.id(),
            today(),
        )
        .await
        .unwrap();
    wait_status(
        &coordinator.device,
        "coordinator synced",
        is(SyncState::Synced),
    )
    .await;
    let (mentor_device, mentee_device) =
        (mentor_person.device.clone(), mentee_person.device.clone());
    let (mentor, mentee) = (&mentor_person.session, &mentee_person.session);
    mentor.sync_directory().await.unwrap();
    mentee.sync_directory().await.unwrap();
    let home = mentee.home(today()).await.unwrap();
    assert_eq!(home.groups.len(), 1, "the mentee sees her pair");
    assert_eq!(home.groups[0].partner, "Sanne");
    assert_eq!(home.groups[0].my_role, Role::Mentee);
    assert!(
        !mentee_device
            .documents()
            .unwrap()
            .iter()
            .any(|d| d.kind == "preparation"),
        "a mentee does not receive the mentors' preparation"
    );
    assert!(
        mentor_device
            .documents()
            .unwrap()
            .iter()
            .any(|d| d.kind == "preparation"),
        "a mentor does"
    );

    // A meeting; the guide's rule holds: no "held" before asking about her experience.
    let day = today() + chrono::Duration::days(7);
    let meeting = mentor
        .plan_meeting(&group, &day.to_string(), "14:30", "Bibliotheek")
        .await
        .unwrap();
    assert!(matches!(
        mentor.plan_meeting(&group, "31-02-2027", "", "").await,
        Err(ActionError::BadDate(_))
    ));
    assert!(matches!(
        mentor
            .plan_meeting(&group, &day.to_string(), "25:61", "")
            .await,
        Err(ActionError::BadTime(_))
    ));
    assert!(matches!(
        mentor.mark_held(&group, &meeting, today()).await,
        Err(ActionError::AskFirst)
    ));
    mentor.set_asked(&group, &meeting, true).await.unwrap();
    mentor.mark_held(&group, &meeting, today()).await.unwrap();
    wait_status(&mentor_device, "mentor synced", is(SyncState::Synced)).await;
    // "Synced" says the server has all the mentee's changes, not that she has all of his: wait
    // until the held meeting reached her before they go apart.
    within_30s("the mentee has the held meeting", async {
        while !mentee
            .meeting_page(&group, &meeting, today())
            .await
            .is_ok_and(|p| p.meeting.status == MeetingStatus::Held)
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    wait_status(&mentee_device, "mentee synced", is(SyncState::Synced)).await;

    // Apart, both change the place.
    server.stop();
    wait_status(&mentor_device, "mentor offline", is(SyncState::Offline)).await;
    wait_status(&mentee_device, "mentee offline", is(SyncState::Offline)).await;
    mentor
        .set_meeting_field(&group, &meeting, "place", "Kantine")
        .await
        .unwrap();
    mentee
        .set_meeting_field(&group, &meeting, "place", "Online (Teams)")
        .await
        .unwrap();
    server.restart().await;
    wait_status(&mentor_device, "mentor synced", is(SyncState::Synced)).await;
    wait_status(&mentee_device, "mentee synced", is(SyncState::Synced)).await;
    let page = within_30s("the mentee sees the double change", async {
        loop {
            let page = mentee
                .meeting_page(&group, &meeting, today())
                .await
                .unwrap();
            if !page.conflicts.is_empty() {
                break page;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    let conflict = &page.conflicts[0];
    assert_eq!(conflict.field, "place");
    let mut both = vec![conflict.shown.clone(), conflict.others[0].clone()];
    both.sort();
    assert_eq!(both, vec!["Kantine", "Online (Teams)"]);
    assert_eq!(
        page.meeting.place, conflict.shown,
        "the page shows the winning value"
    );

    // The mentee restores the other value: it wins everywhere and the conflict is gone.
    let other = conflict.others[0].clone();
    mentee
        .set_meeting_field(&group, &meeting, "place", &other)
        .await
        .unwrap();
    within_30s("the restored value reaches the mentor, settled", async {
        loop {
            let page = mentor
                .meeting_page(&group, &meeting, today())
                .await
                .unwrap();
            if page.meeting.place == other && page.conflicts.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
}

async fn within_30s<T>(what: &str, f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .unwrap_or_else(|_| panic!("timed out after 30 s waiting until {what}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pairing_again_after_a_lost_answer_forms_one_group_not_two() {
    use system_tests::{Fault, FlakyProxy};

    let tmp = tempfile::tempdir().unwrap();
    let server = InProcessServer::start(&tmp.path().join("server")).await;
    let People {
        coordinator,
        programme,
        mentor,
        mentee,
    } = mentor_and_mentee(tmp.path(), &server).await;
    // The coordinator's network loses the server's answer to "form this pair".
    let proxy = FlakyProxy::start(server.port, "POST /api/groups", Fault::DropResponse).await;
    coordinator
        .device
        .store()
        .set_setting("server", proxy.url().as_str())
        .unwrap();
    let first = coordinator
        .session
        .form_pair(&programme, &mentor.id(), &mentee.id(), today())
        .await;
    assert!(first.is_err(), "the answer was lost: {first:?}");
    let group = coordinator
        .session
        .form_pair(&programme, &mentor.id(), &mentee.id(), today())
        .await
        .expect("pairing again goes through");
    // One group on the server: the mentee's directory lists one group and one notes document.
    eventually(
        Duration::from_secs(20),
        "the mentee has her pair",
        || async { mentee.session.sync_directory().await.is_ok() && mentee.device.has(&group) },
    )
    .await;
    let kinds: Vec<String> = mentee
        .device
        .documents()
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "group").count(),
        1,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| *k == "notes").count(),
        1,
        "{kinds:?}"
    );
    let home = mentee.session.home(today()).await.unwrap();
    assert_eq!(home.groups.len(), 1, "one pair on her home screen");
}

/// Soak seed 200646: the mentee's device had a meeting (the pair's document) before that
/// meeting's notes text (the notes document) and made a second text of its own; merging the two
/// later brought back a deletion. Writing now waits for the text, and refuses while it is missing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_of_a_meeting_that_arrived_before_its_text_are_not_given_a_second_text() {
    let tmp = tempfile::tempdir().unwrap();
    let server = InProcessServer::start(&tmp.path().join("server")).await;
    let People {
        coordinator,
        programme,
        mentor,
        mentee,
    } = mentor_and_mentee(tmp.path(), &server).await;
    let group = coordinator
        .session
        .form_pair(&programme, &mentor.id(), &mentee.id(), today())
        .await
        .unwrap();
    for person in [&mentor, &mentee] {
        eventually(
            Duration::from_secs(20),
            "the pair is on both devices",
            || async { person.session.sync_directory().await.is_ok() && person.device.has(&group) },
        )
        .await;
    }
    let notes = mentor
        .device
        .read::<GroupDoc>(&group)
        .await
        .unwrap()
        .notes_doc;
    // The meeting, with its text still on its way.
    mentor
        .device
        .change::<GroupDoc, _>(&group, |g| {
            g.meetings.insert("late".into(), MeetingDoc::planned(None));
            Ok(())
        })
        .await
        .unwrap();
    eventually(
        Duration::from_secs(20),
        "the meeting reaches the mentee",
        || async {
            mentee
                .device
                .read::<GroupDoc>(&group)
                .await
                .is_ok_and(|g| g.meetings.contains_key("late"))
        },
    )
    .await;
    let refused = mentee
        .session
        .write_shared_note(&group, "late", "", "wat ik typte")
        .await;
    assert!(
        matches!(refused, Err(ActionError::NotesNotArrived)),
        "{refused:?}"
    );
    let has_text = |person: &Person| {
        let (device, notes) = (person.device.clone(), notes.clone());
        async move {
            device
                .with_doc(&notes, |d| {
                    docs::has_text(d, &docs::shared_note_path("late"))
                })
                .await
                .unwrap()
        }
    };
    assert!(!has_text(&mentee).await, "the refused write made no text");
    // The text arrives; now both write into that one text.
    mentor
        .device
        .with_doc(&notes, |d| {
            docs::write_text(d, &docs::shared_note_path("late"), &[], "").map(|_| ())
        })
        .await
        .unwrap();
    eventually(
        Duration::from_secs(20),
        "the text reaches the mentee",
        || async { has_text(&mentee).await },
    )
    .await;
    mentee
        .session
        .write_shared_note(&group, "late", "", "Aylin: ")
        .await
        .unwrap();
    // Both see one text with both edits (two texts would show one after the other).
    let expected = "Aylin: Sanne.";
    eventually(Duration::from_secs(20), "one text with both", || async {
        let page = mentor.session.meeting_page(&group, "late", today()).await;
        let Ok(page) = page else { return false };
        if page.shared_notes.text == "Aylin: " {
            mentor
                .session
                .write_shared_note(&group, "late", &page.shared_notes.edit_base, expected)
                .await
                .unwrap();
        }
        let mentee_page = mentee.session.meeting_page(&group, "late", today()).await;
        mentee_page.is_ok_and(|p| p.shared_notes.text == expected)
    })
    .await;
}

/// The day before a planned meeting both get a reminder, each device once it showed it; not
/// the day itself, not two days before; a meeting moved later is reminded of again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_day_before_a_meeting_mentor_and_mentee_are_reminded_once() {
    let tmp = tempfile::tempdir().unwrap();
    let server = InProcessServer::start(&tmp.path().join("server")).await;
    let People {
        coordinator,
        programme,
        mentor,
        mentee,
    } = mentor_and_mentee(tmp.path(), &server).await;
    let group = coordinator
        .session
        .form_pair(&programme, &mentor.id(), &mentee.id(), today())
        .await
        .unwrap();
    mentor.session.sync_directory().await.unwrap();
    let tomorrow = today() + chrono::Duration::days(1);
    let meeting = mentor
        .session
        .plan_meeting(&group, &tomorrow.to_string(), "14:30", "Bibliotheek")
        .await
        .unwrap();
    wait_status(&mentor.device, "mentor synced", is(SyncState::Synced)).await;

    let due = |session: &mentoring::session::Session, day| {
        let session = session.clone();
        async move { session.due_reminders(day).await.unwrap() }
    };
    let reminders = due(&mentor.session, today()).await;
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert_eq!(reminders[0].title, "Morgen: Cultuur van de opleiding");
    assert!(
        reminders[0].body.starts_with("Met Aylin, "),
        "{reminders:?}"
    );
    assert!(
        reminders[0].body.ends_with("14:30. Bibliotheek"),
        "{reminders:?}"
    );
    assert!(
        due(&mentor.session, tomorrow).await.is_empty(),
        "not on the day itself"
    );
    let earlier = today() - chrono::Duration::days(1);
    assert!(
        due(&mentor.session, earlier).await.is_empty(),
        "two days before: none yet"
    );
    assert_eq!(due(&mentor.session, today()).await.len(), 1, "until shown");
    mentor.session.mark_reminded(&reminders).unwrap();
    assert!(due(&mentor.session, today()).await.is_empty(), "once");

    // Moved to a day later: reminded again, the day before the new date.
    let later = tomorrow + chrono::Duration::days(1);
    mentor
        .session
        .set_meeting_field(&group, &meeting, "date", &later.to_string())
        .await
        .unwrap();
    assert_eq!(
        due(&mentor.session, tomorrow).await.len(),
        1,
        "moved: again"
    );

    eventually(
        Duration::from_secs(20),
        "the mentee is reminded",
        || async {
            mentee.session.sync_directory().await.ok();
            mentee
                .session
                .due_reminders(tomorrow)
                .await
                .is_ok_and(|r| r.len() == 1 && r[0].body.starts_with("Met Sanne, "))
        },
    )
    .await;
}
