//! A mentor's and a mentee's device, each with its own SQLite file, syncing through the real
//! sync-server process on loopback: offline edits merge, everything survives restarts, and bad
//! frames are refused with a reason while others keep syncing.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use mentoring::api::SyncState;
use mentoring::device::Device;
use mentoring::docs::{self, GroupDoc, MeetingDoc};
use mentoring::model::Role;
use system_tests::programme::{People, Person, mentor_and_mentee, today};
use system_tests::{SyncServer, eventually, health, is, settled, wait_status};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

const FIRST_NOTE: &str = "Eerste weken: veel nieuwe mensen, veel groepswerk.";
const MENTOR_ADDS: &str = "Mentor vertelt: ";
const MENTEE_ADDS: &str = " Mentee: herkenbaar, vooral het groepswerk!";

fn set_note(d: &mut automerge::Automerge, meeting: &str, text: &str) -> Result<(), docs::DocError> {
    docs::write_text(d, &docs::shared_note_path(meeting), &[], text).map(|_| ())
}

fn get_note(d: &mut automerge::Automerge, meeting: &str) -> Result<String, docs::DocError> {
    docs::read_text(d, &docs::shared_note_path(meeting)).map(|(text, _)| text)
}

struct Pair {
    coordinator: Person,
    mentor: Person,
    mentee: Person,
    group: String,
    notes: String,
    meeting: String,
}

/// A coordinator sets up a programme and pairs a mentor and a mentee, who accepted their
/// invitations on their own devices; the mentor plans meeting 1 and starts its notes; the mentee's
/// device receives all of it.
async fn set_up_pair(dir: &std::path::Path, server: &SyncServer) -> Pair {
    let People {
        coordinator,
        programme,
        mentor,
        mentee,
    } = mentor_and_mentee(dir, server).await;
    let group = coordinator
        .session
        .form_pair(&programme, &mentor.id(), &mentee.id(), today())
        .await
        .unwrap();
    wait_status(
        &coordinator.device,
        "coordinator synced",
        is(SyncState::Synced),
    )
    .await;
    for person in [&mentor, &mentee] {
        person.session.sync_directory().await.unwrap();
        assert!(person.device.has(&group), "the pair reaches its members");
    }
    let notes = mentor
        .device
        .read::<GroupDoc>(&group)
        .await
        .unwrap()
        .notes_doc;
    let day = today() + chrono::Duration::days(7);
    let meeting = mentor
        .session
        .plan_meeting(&group, &day.to_string(), "14:30", "Bibliotheek")
        .await
        .unwrap();
    let m = meeting.clone();
    mentor
        .device
        .with_doc(&notes, move |d| set_note(d, &m, FIRST_NOTE))
        .await
        .unwrap();
    settled(&mentor.device).await;
    let pair = Pair {
        coordinator,
        mentor,
        mentee,
        group,
        notes,
        meeting,
    };
    eventually(
        Duration::from_secs(20),
        "the mentee has meeting 1 and its notes",
        || async { note(&pair.mentee.device, &pair).await == FIRST_NOTE },
    )
    .await;
    pair
}

async fn note(device: &Device, pair: &Pair) -> String {
    let m = pair.meeting.clone();
    device
        .with_doc(&pair.notes, move |d| get_note(d, &m))
        .await
        .unwrap_or_default()
}

async fn heads(device: &Device, id: &str) -> Vec<String> {
    let mut heads = device
        .with_doc(id, |d| {
            Ok(d.get_heads()
                .iter()
                .map(|h| h.to_string())
                .collect::<Vec<_>>())
        })
        .await
        .unwrap();
    heads.sort();
    heads
}

async fn meeting(device: &Device, pair: &Pair) -> MeetingDoc {
    device.read::<GroupDoc>(&pair.group).await.unwrap().meetings[&pair.meeting].clone()
}

async fn converged(a: &Device, b: &Device, pair: &Pair) -> bool {
    heads(a, &pair.notes).await == heads(b, &pair.notes).await
        && heads(a, &pair.group).await == heads(b, &pair.group).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_edits_on_two_devices_merge_and_survive_a_server_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let pair = set_up_pair(tmp.path(), &server).await;
    let (mentor, mentee) = (&pair.mentor.device, &pair.mentee.device);

    // Both go offline (the server is gone) and edit the same note and the same meeting.
    server.stop();
    wait_status(mentor, "mentor offline", is(SyncState::Offline)).await;
    wait_status(mentee, "mentee offline", is(SyncState::Offline)).await;
    let m = pair.meeting.clone();
    mentor
        .with_doc(&pair.notes, move |d| {
            set_note(d, &m, &format!("{MENTOR_ADDS}{FIRST_NOTE}"))
        })
        .await
        .unwrap();
    let m = pair.meeting.clone();
    mentor
        .change::<GroupDoc, _>(&pair.group, move |g| {
            g.meeting_mut(&m)?.place = "Bibliotheek, stilteruimte".into();
            Ok(())
        })
        .await
        .unwrap();
    let m = pair.meeting.clone();
    mentee
        .with_doc(&pair.notes, move |d| {
            set_note(d, &m, &format!("{FIRST_NOTE}{MENTEE_ADDS}"))
        })
        .await
        .unwrap();
    let m = pair.meeting.clone();
    mentee
        .change::<GroupDoc, _>(&pair.group, move |g| {
            g.meeting_mut(&m)?.time = Some("15:30".into());
            Ok(())
        })
        .await
        .unwrap();
    let offline = wait_status(mentor, "mentor counts unsent changes", |s| {
        s.state == SyncState::Offline && s.pending_changes == 2
    })
    .await;
    assert!(offline.last_synced.is_some(), "{offline:?}");
    assert_ne!(note(mentor, &pair).await, note(mentee, &pair).await);

    // The server comes back; both devices reconnect by themselves and converge.
    server.restart().await;
    wait_status(mentor, "mentor synced again", is(SyncState::Synced)).await;
    wait_status(mentee, "mentee synced again", is(SyncState::Synced)).await;
    eventually(
        Duration::from_secs(20),
        "both devices hold the same documents",
        || converged(mentor, mentee, &pair),
    )
    .await;
    let expected = format!("{MENTOR_ADDS}{FIRST_NOTE}{MENTEE_ADDS}");
    for device in [mentor, mentee] {
        assert_eq!(note(device, &pair).await, expected);
        let meeting = meeting(device, &pair).await;
        assert_eq!(meeting.place, "Bibliotheek, stilteruimte");
        assert_eq!(meeting.time.as_deref(), Some("15:30"));
    }
    assert_eq!(mentor.status().borrow().pending_changes, 0);

    // The server restarts on the same data directory and both devices are reopened from disk.
    server.stop();
    let (mentor_dir, mentee_dir) = (tmp.path().join("mentor"), tmp.path().join("mentee"));
    let Pair {
        coordinator,
        mentor: old_mentor,
        mentee: old_mentee,
        group,
        notes,
        meeting: meeting_id,
    } = pair;
    old_mentor.device.close().await;
    old_mentee.device.close().await;
    drop((old_mentor, old_mentee));
    server.restart().await;
    let pair = Pair {
        coordinator,
        mentor: Person::new(&mentor_dir).await,
        mentee: Person::new(&mentee_dir).await,
        group,
        notes,
        meeting: meeting_id,
    };
    let (mentor, mentee) = (&pair.mentor.device, &pair.mentee.device);
    assert!(
        mentor.documents().unwrap().len() >= 5,
        "programme, preparation, profile, group, notes, private"
    );
    for device in [mentor, mentee] {
        assert_eq!(
            note(device, &pair).await,
            expected,
            "note survives reopening"
        );
        assert_eq!(meeting(device, &pair).await.time.as_deref(), Some("15:30"));
    }
    pair.mentor.session.connect_saved().unwrap();
    pair.mentee.session.connect_saved().unwrap();
    let m = pair.meeting.clone();
    mentee
        .change::<GroupDoc, _>(&pair.group, move |g| {
            g.meeting_mut(&m)?.place = "Kantine".into();
            Ok(())
        })
        .await
        .unwrap();
    eventually(
        Duration::from_secs(20),
        "a new edit reaches the other device",
        || async { meeting(mentor, &pair).await.place == "Kantine" },
    )
    .await;
    // The server alone holds everything: the coordinator's device, which had the group document,
    // sees the change too.
    eventually(
        Duration::from_secs(20),
        "the coordinator's progress view follows",
        || async { meeting(&pair.coordinator.device, &pair).await.place == "Kantine" },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_frames_are_refused_with_a_reason_and_others_keep_syncing() {
    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(
        &tmp.path().join("server"),
        &["--max-message-bytes", "65536"],
    )
    .await;
    let pair = set_up_pair(tmp.path(), &server).await;
    let credential = pair.mentee.credential();

    // A raw websocket with a valid credential, sending what no device would send.
    let close_after = |message: Message| {
        let credential = credential.clone();
        let port = server.port;
        async move {
            let mut request = format!("ws://127.0.0.1:{port}/sync")
                .into_client_request()
                .unwrap();
            request.headers_mut().insert(
                "authorization",
                format!("Bearer {credential}").parse().unwrap(),
            );
            let (mut socket, _) = tokio_tungstenite::connect_async(request)
                .await
                .expect("websocket");
            socket.send(message).await.expect("send");
            let answer = tokio::time::timeout(Duration::from_secs(10), async {
                while let Some(frame) = socket.next().await {
                    match frame {
                        Ok(Message::Close(Some(frame))) => {
                            return (frame.code, frame.reason.to_string());
                        }
                        Ok(Message::Close(None)) | Err(_) => break,
                        Ok(_) => {}
                    }
                }
                panic!("the server closed without a reason");
            })
            .await;
            answer.expect("the server answered within 10 s")
        }
    };

    let (code, reason) = close_after(Message::Binary(b"\xff\x00 not cbor".to_vec().into())).await;
    assert_eq!(code, CloseCode::Invalid);
    assert!(reason.starts_with("malformed sync message"), "{reason}");

    let (code, reason) = close_after(Message::Text("hello".into())).await;
    assert_eq!(code, CloseCode::Unsupported);
    assert!(reason.contains("text frames"), "{reason}");

    let (code, reason) = close_after(Message::Binary(vec![0u8; 100_000].into())).await;
    assert_eq!(code, CloseCode::Size);
    // Refused while it was read (the size and the limit are in the reason).
    assert!(
        reason.contains("100000") && reason.contains("65536"),
        "{reason}"
    );

    // The server is still up, and the pair's devices still sync.
    let health = health(server.port).await.expect("health");
    assert_eq!(health["status"], "ok");
    let m = pair.meeting.clone();
    pair.mentor
        .device
        .with_doc(&pair.notes, move |d| set_note(d, &m, "nog steeds in sync"))
        .await
        .unwrap();
    eventually(
        Duration::from_secs(20),
        "the edit reaches the mentee",
        || async { note(&pair.mentee.device, &pair).await == "nog steeds in sync" },
    )
    .await;
    let log = server.log_text();
    assert_eq!(log.matches("refused a frame").count(), 3, "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_that_returned_survives_a_crash_before_the_document_store_wrote_it() {
    use mentoring::device::Sharing;
    use mentoring::docs::ProfileDoc;

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("phone");
    let device = Device::open(&dir).await.unwrap();
    let profile = ProfileDoc::new("person-1", "programme-1", Role::Mentee, "Aylin");
    let id = device
        .create(&profile, "profiel", Sharing::Never)
        .await
        .unwrap();
    // A document made is stored by the time it is shown (samod's create waits for its storage;
    // this checks it stays so).
    assert!(
        device.store().holds_document(&id),
        "the new document is stored"
    );
    // From now on the disk takes no document chunk (samod writes them on its own task, after the
    // edit returned); the app dies right after the edit, before any of them could be retried.
    // (Triggers made through a second connection to the device's file: they bind every
    // connection, the device's too.)
    let file = mentoring::store::Store::open(&dir.join(mentoring::device::DATABASE_FILE)).unwrap();
    file.execute_raw(
        "CREATE TRIGGER refuse_insert BEFORE INSERT ON chunks
           BEGIN SELECT RAISE(FAIL, 'disk says no'); END;
         CREATE TRIGGER refuse_update BEFORE UPDATE ON chunks
           BEGIN SELECT RAISE(FAIL, 'disk says no'); END;",
    )
    .unwrap();
    device
        .change::<ProfileDoc, _>(&id, |p| {
            p.about = "net voor de crash".into();
            Ok(())
        })
        .await
        .unwrap();
    drop(device);
    // The disk is well again when the app starts anew.
    file.execute_raw("DROP TRIGGER refuse_insert; DROP TRIGGER refuse_update;")
        .unwrap();
    drop(file);

    let reopened = Device::open(&dir).await.unwrap();
    let about = reopened.read::<ProfileDoc>(&id).await.unwrap().about;
    assert_eq!(
        about, "net voor de crash",
        "the edit that returned is there"
    );
    // Stopped cleanly, the journal is emptied: the edit lives on in the document store.
    reopened.close().await;
    drop(reopened);
    let again = Device::open(&dir).await.unwrap();
    assert!(again.store().journal().unwrap().is_empty());
    let about = again.read::<ProfileDoc>(&id).await.unwrap().about;
    assert_eq!(about, "net voor de crash");
}

/// A device with no files at all (the in-memory store a browser starts from) works as one with
/// a SQLite file: she opens the demo pair, writes a shared note and sees it on her home screen,
/// and then joins a real programme and syncs with the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_without_files_keeps_and_syncs_her_work_in_memory() {
    use mentoring::session::Session;
    use system_tests::InProcessServer;
    use system_tests::programme::coordinator;

    let tmp = tempfile::tempdir().unwrap();
    let device = Device::open_in_memory().await.unwrap();
    let session = Session::new(device.clone());
    session
        .save_profile("Aylin", Some(Role::Mentee))
        .await
        .unwrap();
    let group = session.open_demo(today()).await.unwrap();
    let home = session.home(today()).await.unwrap();
    let pair = home
        .groups
        .iter()
        .find(|g| g.group == group)
        .expect("the demo pair");
    let meeting = pair.meetings.last().expect("a meeting").id.clone();
    let written = session
        .write_shared_note(&group, &meeting, "", "Geschreven zonder bestanden.")
        .await
        .unwrap();
    assert_eq!(written.text, "Geschreven zonder bestanden.");

    let server = InProcessServer::start(&tmp.path().join("server")).await;
    let (carla, programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        mentoring::model::Settings::default(),
    )
    .await;
    let invitation = carla
        .session
        .invite(&programme, Role::Mentee, "Aylin", "", 14)
        .await
        .unwrap();
    session
        .accept_invitation(server.url().as_str(), &invitation.code, "Aylin")
        .await
        .unwrap();
    wait_status(&device, "the memory device synced", is(SyncState::Synced)).await;
    carla.session.refresh_status(&programme).await.unwrap();
    let dashboard = carla.session.dashboard(&programme, today()).await.unwrap();
    assert!(
        dashboard
            .people
            .iter()
            .any(|p| p.name == "Aylin" && p.state == "accepted"),
        "the coordinator sees her accepted: {:?}",
        dashboard.people
    );
}
