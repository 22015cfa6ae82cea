//! Access control on the wire, against the real server: who may sync which document, for every
//! role and document kind; the coordinator never receives a byte of a pair's notes; dissolving a
//! pair and leaving a programme take access away while connections stay open.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use mentoring::api::SyncState;
use mentoring::device::Device;
use mentoring::docs::GroupDoc;
use mentoring::model::{Role, Settings};
use system_tests::programme::{Person, coordinator, participant, today};
use system_tests::{SyncServer, eventually, health, is, settled, wait_status};

/// A fresh device (empty store) that presents itself as `peer` with `credential`: whatever it
/// gets, it got from the server.
async fn fresh_device(
    dir: &Path,
    server: &SyncServer,
    peer: &str,
    credential: Option<&str>,
) -> Arc<Device> {
    std::fs::create_dir_all(dir).unwrap();
    {
        let store =
            mentoring::store::Store::open(&dir.join(mentoring::device::DATABASE_FILE)).unwrap();
        store.set_setting("device_id", peer).unwrap();
    }
    let device = Device::open(dir).await.unwrap();
    device
        .connect(&server.url(), credential.map(str::to_owned))
        .unwrap();
    device
}

fn peer_of(person: &Person) -> String {
    person.device.peer_id()
}

fn file_bytes(dir: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for name in ["device.sqlite", "device.sqlite-wal"] {
        bytes.extend(std::fs::read(dir.join(name)).unwrap_or_default());
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

struct World {
    server: SyncServer,
    coordinator: Person,
    programme: String,
    mentor: Person,
    mentee: Person,
    other_mentee: Person,
    group: String,
}

async fn world(dir: &Path) -> World {
    let server = SyncServer::start(&dir.join("server"), &[]).await;
    let (coordinator, programme) =
        coordinator(&dir.join("coordinator"), &server, Settings::default()).await;
    let mentor = participant(
        &dir.join("mentor"),
        &server,
        &coordinator,
        &programme,
        Role::Mentor,
        "Sanne",
    )
    .await;
    let mentee = participant(
        &dir.join("mentee"),
        &server,
        &coordinator,
        &programme,
        Role::Mentee,
        "Aylin",
    )
    .await;
    let other_mentor = participant(
        &dir.join("mentor2"),
        &server,
        &coordinator,
        &programme,
        Role::Mentor,
        "Fleur",
    )
    .await;
    let other_mentee = participant(
        &dir.join("mentee2"),
        &server,
        &coordinator,
        &programme,
        Role::Mentee,
        "Noor",
    )
    .await;
    coordinator
        .session
        .refresh_status(&programme)
        .await
        .unwrap();
    let group = coordinator
        .session
        .form_pair(&programme, &mentor.id(), &mentee.id(), today())
        .await
        .unwrap();
    coordinator
        .session
        .form_pair(&programme, &other_mentor.id(), &other_mentee.id(), today())
        .await
        .unwrap();
    wait_status(
        &coordinator.device,
        "coordinator synced",
        is(SyncState::Synced),
    )
    .await;
    for person in [&mentor, &mentee, &other_mentee] {
        person.session.sync_directory().await.unwrap();
    }
    World {
        server,
        coordinator,
        programme,
        mentor,
        mentee,
        other_mentee,
        group,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coordinator_never_receives_a_pairs_notes_but_sees_the_meeting_held() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(tmp.path()).await;
    let notes = w
        .mentor
        .device
        .read::<GroupDoc>(&w.group)
        .await
        .unwrap()
        .notes_doc;

    // With a valid credential, the coordinator asks the server for the notes by their id: nothing.
    assert!(!w.coordinator.device.fetch(&notes, "notes").await.unwrap());

    // The pair meets and writes notes; the mentor marks the meeting held.
    let secret = "Vertrouwelijk: Aylin twijfelt of ze de opleiding wil afmaken.";
    let day = today().to_string();
    let meeting = w
        .mentor
        .session
        .plan_meeting(&w.group, &day, "14:00", "Bibliotheek")
        .await
        .unwrap();
    w.mentor
        .session
        .write_shared_note(&w.group, &meeting, "", secret)
        .await
        .unwrap();
    w.mentor
        .session
        .set_asked(&w.group, &meeting, true)
        .await
        .unwrap();
    w.mentor
        .session
        .mark_held(&w.group, &meeting, today())
        .await
        .unwrap();
    settled(&w.mentor.device).await;
    eventually(
        Duration::from_secs(20),
        "the mentee reads the notes",
        || async {
            let page = w
                .mentee
                .session
                .meeting_page(&w.group, &meeting, today())
                .await;
            page.is_ok_and(|p| p.shared_notes.text == secret)
        },
    )
    .await;

    // The coordinator's dashboard shows the meeting as held…
    eventually(
        Duration::from_secs(20),
        "the dashboard shows meeting 1 held",
        || async {
            let dashboard = w
                .coordinator
                .session
                .dashboard(&w.programme, today())
                .await
                .unwrap();
            dashboard.pairs.iter().any(|p| {
                p.group == w.group
                    && p.held
                        .iter()
                        .any(|h| h.starts_with("1. Cultuur van de opleiding"))
            })
        },
    )
    .await;
    assert!(
        !w.coordinator.device.fetch(&notes, "notes").await.unwrap(),
        "still refused"
    );

    // …and her local store holds no byte of the notes, where the mentor's does.
    w.coordinator.device.close().await;
    w.mentor.device.close().await;
    assert!(
        contains(&file_bytes(&tmp.path().join("mentor")), secret),
        "the check can see notes in a store"
    );
    assert!(!contains(
        &file_bytes(&tmp.path().join("coordinator")),
        secret
    ));
    assert!(!contains(
        &file_bytes(&tmp.path().join("coordinator")),
        "twijfelt"
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_gets_exactly_the_documents_it_may_have() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(tmp.path()).await;
    let group: GroupDoc = w.mentor.device.read(&w.group).await.unwrap();
    // The mentee's own documents: her private notes, profile and evaluation.
    w.mentee
        .session
        .write_reflections(&w.group, "", "alleen voor mij")
        .await
        .unwrap();
    let programme_doc = w.programme.clone();
    w.mentee
        .session
        .evaluation_form(&programme_doc)
        .await
        .unwrap();
    settled(&w.mentee.device).await;
    let kinds = |person: &Person| {
        let docs = person.device.documents().unwrap();
        move |kind: &str| {
            docs.iter()
                .find(|d| d.kind == kind)
                .map(|d| d.doc_id.clone())
                .unwrap()
        }
    };
    let coordinator_doc = kinds(&w.coordinator);
    let mentee_doc = kinds(&w.mentee);
    let documents = [
        ("programme", w.programme.clone()),
        ("preparation", coordinator_doc("preparation")),
        ("roster", coordinator_doc("roster")),
        ("group", w.group.clone()),
        ("notes", group.notes_doc.clone()),
        ("private", mentee_doc("private")),
        ("profile", mentee_doc("profile")),
        ("evaluation", mentee_doc("evaluation")),
    ];
    // programme, preparation, roster, group, notes, private, profile, evaluation
    let expected: [(&str, &Person, [bool; 8]); 4] = [
        (
            "coordinator",
            &w.coordinator,
            [true, true, true, true, false, false, true, true],
        ),
        (
            "mentor",
            &w.mentor,
            [true, true, false, true, true, false, false, false],
        ),
        (
            "mentee",
            &w.mentee,
            [true, false, false, true, true, true, true, true],
        ),
        (
            "other mentee",
            &w.other_mentee,
            [true, false, false, false, false, false, false, false],
        ),
    ];
    for (who, person, allowed) in expected {
        let device = fresh_device(
            &tmp.path().join(format!("fresh-{who}")),
            &w.server,
            &peer_of(person),
            Some(&person.credential()),
        )
        .await;
        wait_status(&device, "online", |s| {
            matches!(s.state, SyncState::Syncing | SyncState::Synced)
        })
        .await;
        for ((kind, id), allowed) in documents.iter().zip(allowed) {
            let got = device.fetch(id, kind).await.unwrap();
            assert_eq!(
                got, allowed,
                "{who} fetching the {kind}: expected {allowed}"
            );
        }
        device.close().await;
    }

    // Without a credential, nothing at all: the upgrade is refused.
    let outsider = fresh_device(
        &tmp.path().join("outsider"),
        &w.server,
        "device-outsider",
        None,
    )
    .await;
    wait_status(&outsider, "refused", is(SyncState::Refused)).await;
    for (kind, id) in &documents {
        assert!(
            !outsider.fetch(id, kind).await.unwrap(),
            "outsider got the {kind}"
        );
    }
    // A valid credential presented with another person's device id: disconnected at the handshake.
    let impostor = fresh_device(
        &tmp.path().join("impostor"),
        &w.server,
        &peer_of(&w.other_mentee),
        Some(&w.mentor.credential()),
    )
    .await;
    for (kind, id) in &documents {
        assert!(
            !impostor.fetch(id, kind).await.unwrap(),
            "impostor got the {kind}"
        );
    }
    assert_ne!(impostor.status().borrow().state, SyncState::Synced);
    assert!(w.server.log_text().contains("refused a sync connection"));
    assert_eq!(
        health(w.server.port).await.expect("still serving")["status"],
        "ok"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dissolving_a_pair_and_leaving_a_programme_take_access_away_on_open_connections() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(tmp.path()).await;
    let day = today().to_string();
    let meeting = w
        .mentor
        .session
        .plan_meeting(&w.group, &day, "14:00", "B")
        .await
        .unwrap();
    w.mentor
        .session
        .write_shared_note(&w.group, &meeting, "", "voor")
        .await
        .unwrap();
    eventually(
        Duration::from_secs(20),
        "the mentee has the note",
        || async {
            w.mentee
                .session
                .meeting_page(&w.group, &meeting, today())
                .await
                .is_ok_and(|p| p.shared_notes.text == "voor")
        },
    )
    .await;

    w.coordinator
        .session
        .dissolve(&w.programme, &w.group, today())
        .await
        .unwrap();
    // The mentor's device is still connected; what the mentee writes now must not reach it.
    w.mentee
        .session
        .write_shared_note(&w.group, &meeting, "", "na het ontkoppelen")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let page = w
        .mentor
        .session
        .meeting_page(&w.group, &meeting, today())
        .await
        .unwrap();
    assert_eq!(page.shared_notes.text, "voor", "revoked live");
    w.mentor.session.sync_directory().await.unwrap();
    assert!(
        w.mentor
            .session
            .home(today())
            .await
            .unwrap()
            .groups
            .is_empty(),
        "the pair is gone from her home"
    );

    // The other mentee leaves the programme: even the programme document is refused after that.
    let other = &w.other_mentee;
    other.session.withdraw(&w.programme).await.unwrap();
    let fresh = fresh_device(
        &tmp.path().join("fresh-other"),
        &w.server,
        &peer_of(other),
        Some(&other.credential()),
    )
    .await;
    assert!(!fresh.fetch(&w.programme, "programme").await.unwrap());
}

/// Names live in the server's registry and reach a person only through her directory: her pair,
/// her coordinator and herself, never the other pairs of a programme where people do not choose
/// each other; the coordinator sees everyone in her programme.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mentee_learns_the_names_of_her_pair_and_coordinator_only() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(tmp.path()).await;
    let api = mentoring::client::ServerApi::new(&w.server.url());
    let names = |person: &Person| {
        let api = api.clone();
        let credential = person.credential();
        async move {
            let mut names: Vec<String> = api
                .directory(&credential, "")
                .await
                .unwrap()
                .people
                .into_iter()
                .map(|p| p.name)
                .collect();
            names.sort();
            names
        }
    };
    assert_eq!(names(&w.mentee).await, vec!["Aylin", "Carla", "Sanne"]);
    assert_eq!(names(&w.other_mentee).await, vec!["Carla", "Fleur", "Noor"]);
    assert_eq!(
        names(&w.coordinator).await,
        vec!["Aylin", "Carla", "Fleur", "Noor", "Sanne"]
    );
    // Her new name reaches her partner through the server, not through a document.
    w.mentee
        .session
        .save_profile("Aylin Kaya", None)
        .await
        .unwrap();
    assert_eq!(names(&w.mentor).await, vec!["Aylin Kaya", "Carla", "Sanne"]);
}

/// A mentee writes to the contact person while offline; once online, the coordinator sees the
/// question waiting on her dashboard and answers it; the mentee reads the answer. Her mentor,
/// with a valid credential and the document's id, gets nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mentees_question_reaches_the_coordinator_only_and_is_answered() {
    let tmp = tempfile::tempdir().unwrap();
    let mut w = world(tmp.path()).await;
    let question = "Mijn mentor reageert al drie weken niet; wat kan ik doen?";

    // Offline: the server is gone; she writes anyway, and the app keeps it.
    w.server.stop();
    wait_status(
        &w.mentee.device,
        "the mentee is offline",
        is(SyncState::Offline),
    )
    .await;
    let mine = w
        .mentee
        .session
        .send_contact_message(&w.programme, "pair", question, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].mine);
    assert_eq!(mine[0].about, "Zorg over mijn duo");
    let empty = w
        .mentee
        .session
        .send_contact_message(&w.programme, "question", "   ", chrono::Utc::now())
        .await
        .unwrap_err();
    assert_eq!(empty.code(), "text_required");

    // Online again: the message goes; the coordinator sees it waiting, and answers.
    w.server.restart().await;
    // (The app's keep-in-touch loop sends waiting registrations once online; here, by hand.)
    eventually(
        Duration::from_secs(30),
        "her line reaches the server",
        || async {
            w.mentee.session.flush_registrations().await.is_ok()
                && w.mentee
                    .device
                    .store()
                    .pending_registrations()
                    .unwrap()
                    .is_empty()
        },
    )
    .await;
    wait_status(
        &w.mentee.device,
        "the mentee is synced",
        is(SyncState::Synced),
    )
    .await;
    let coordinator = &w.coordinator;
    eventually(
        Duration::from_secs(30),
        "the dashboard shows her question",
        || async {
            coordinator.session.sync_directory().await.is_ok()
                && coordinator
                    .session
                    .dashboard(&w.programme, today())
                    .await
                    .is_ok_and(|d| {
                        d.contact.len() == 1
                            && d.contact[0].unanswered
                            && d.contact[0].name == "Aylin"
                            && d.contact[0].messages[0].text == question
                    })
        },
    )
    .await;
    let answered = coordinator
        .session
        .answer_contact(
            &w.programme,
            &w.mentee.id(),
            "Ik bel Sanne vandaag en laat het je weten.",
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    assert!(!answered[0].unanswered);
    settled(&coordinator.device).await;
    eventually(Duration::from_secs(30), "she reads the answer", || async {
        w.mentee
            .session
            .contact_messages(&w.programme)
            .await
            .is_ok_and(|m| m.len() == 2 && !m[1].mine && m[1].from == "Carla")
    })
    .await;

    // Her mentor: not in her directory, and asking by id gets nothing.
    let contact_doc = w
        .mentee
        .device
        .documents()
        .unwrap()
        .into_iter()
        .find(|d| d.kind == "contact")
        .expect("her line is on her device")
        .doc_id;
    w.mentor.session.sync_directory().await.unwrap();
    assert!(!w.mentor.device.has(&contact_doc));
    assert!(
        !w.mentor
            .device
            .fetch(&contact_doc, "contact")
            .await
            .unwrap()
    );
    assert!(
        w.mentor
            .session
            .contact_messages(&w.programme)
            .await
            .unwrap()
            .is_empty()
    );
}

/// A mentor registers a contact document of her own (the server lets her: it is hers) but
/// writes inside it that it is her mentee's, with a message "from" her mentee. The coordinator
/// sees no line from the mentee, and an answer never lands where the mentor can read it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_document_is_whose_the_server_says_not_whose_it_says_it_is() {
    use mentoring::access::DocEntry;
    use mentoring::device::Sharing;
    use mentoring::docs::{ContactDoc, MessageDoc};
    use mentoring::model::DocKind;
    use mentoring::wire::RegisterDocument;

    let tmp = tempfile::tempdir().unwrap();
    let w = world(tmp.path()).await;
    let programme_id = w
        .mentor
        .device
        .read::<mentoring::docs::ProgrammeDoc>(&w.programme)
        .await
        .unwrap()
        .programme_id;
    let mut forged = ContactDoc::new(&w.mentee.id(), &programme_id);
    forged.messages.insert(
        "m1".into(),
        MessageDoc {
            from: w.mentee.id(),
            sent_at: chrono::Utc::now().to_rfc3339(),
            about: "pair".into(),
            text: "Mijn mentor is geweldig (geschreven door de mentor)".into(),
        },
    );
    let id = w
        .mentor
        .device
        .create(&forged, "contact", Sharing::Later)
        .await
        .unwrap();
    mentoring::client::ServerApi::new(&w.server.url())
        .register(
            &w.mentor.credential(),
            &RegisterDocument {
                id: id.clone(),
                entry: DocEntry {
                    kind: DocKind::Contact,
                    programme: programme_id.clone(),
                    group: None,
                    owner: Some(w.mentor.id()),
                },
            },
        )
        .await
        .unwrap();
    w.mentor.device.publish(&id).unwrap();
    settled(&w.mentor.device).await;
    eventually(
        Duration::from_secs(20),
        "the coordinator has the document",
        || async {
            w.coordinator.session.sync_directory().await.is_ok() && w.coordinator.device.has(&id)
        },
    )
    .await;
    let threads = w
        .coordinator
        .session
        .contact_threads(&w.programme)
        .await
        .unwrap();
    assert!(
        threads.iter().all(|t| t.name != "Aylin"),
        "no line in the mentee's name: {threads:?}"
    );
    assert!(
        threads.is_empty(),
        "and no message she did not write: {threads:?}"
    );
    assert!(
        w.coordinator
            .session
            .answer_contact(&w.programme, &w.mentee.id(), "Fijn!", chrono::Utc::now())
            .await
            .is_err(),
        "an answer to the mentee cannot land in the mentor's document"
    );
}
