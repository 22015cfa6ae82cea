//! Full disks, on the server and on a device, with the real server binary and real SQLite files
//! on small tmpfs disks: nothing acknowledged is lost, the server's `/health` says "degraded" and
//! the device's sync status names the storage problem while writes wait, the waiting writes go
//! to disk on their own once there is room, and everything is still there after `kill -9`.
//!
//! Mounting a disk needs root; without it these tests say so and check nothing else.

use std::time::Duration;

use mentoring::api::SyncState;
use mentoring::docs;
use mentoring::model::{Role, Settings};
use system_tests::convergence::Disk;
use system_tests::programme::{Person, coordinator, participant, today};
use system_tests::{SyncServer, eventually, health, is, settled, wait_status};

async fn note(person: &Person, notes: &str, meeting: &str) -> String {
    let path = docs::shared_note_path(meeting).map(str::to_owned);
    person
        .device
        .with_doc(notes, move |d| {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            docs::read_text(d, &path).map(|(t, _)| t)
        })
        .await
        .unwrap_or_default()
}

struct Pair {
    mentor: Person,
    mentee: Person,
    group: String,
    notes: String,
    meeting: String,
    _coordinator: Person,
}

async fn pair(dir: &std::path::Path, server: &SyncServer, mentor_dir: &std::path::Path) -> Pair {
    let (carla, programme) =
        coordinator(&dir.join("coordinator"), server, Settings::default()).await;
    let mentor = participant(
        mentor_dir,
        server,
        &carla,
        &programme,
        Role::Mentor,
        "Sanne",
    )
    .await;
    let mentee = participant(
        &dir.join("mentee"),
        server,
        &carla,
        &programme,
        Role::Mentee,
        "Aylin",
    )
    .await;
    carla.session.refresh_status(&programme).await.unwrap();
    let group = carla
        .session
        .form_pair(&programme, &mentor.id(), &mentee.id(), today())
        .await
        .unwrap();
    wait_status(&carla.device, "coordinator synced", is(SyncState::Synced)).await;
    for person in [&mentor, &mentee] {
        person.session.sync_directory().await.unwrap();
    }
    let day = (today() + chrono::Duration::days(7)).to_string();
    let meeting = mentor
        .session
        .plan_meeting(&group, &day, "14:30", "")
        .await
        .unwrap();
    let notes = mentor
        .device
        .read::<docs::GroupDoc>(&group)
        .await
        .unwrap()
        .notes_doc;
    settled(&mentor.device).await;
    Pair {
        mentor,
        mentee,
        group,
        notes,
        meeting,
        _coordinator: carla,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_on_a_full_disk_reports_degraded_keeps_serving_and_writes_when_there_is_room() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(disk) = Disk::mount(&tmp.path().join("server")) else {
        println!("skipped: mounting a small disk needs root");
        return;
    };
    let mut server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let p = pair(tmp.path(), &server, &tmp.path().join("mentor")).await;
    assert_eq!(health(server.port).await.unwrap()["status"], "ok");

    disk.fill();
    let text = "Geschreven terwijl de schijf van de server vol was.";
    p.mentor
        .session
        .write_shared_note(&p.group, &p.meeting, "", text)
        .await
        .expect("the edit is saved on her device");
    // The server holds it in memory, serves it, and says its storage is degraded.
    eventually(
        Duration::from_secs(30),
        "the mentee gets the note",
        || async { note(&p.mentee, &p.notes, &p.meeting).await == text },
    )
    .await;
    let status = health(server.port).await.unwrap();
    assert_eq!(status["status"], "degraded", "{status}");
    assert!(status["waiting_writes"].as_u64().unwrap() > 0, "{status}");
    assert!(!status["storage_error"].as_str().unwrap().is_empty());

    // Room again: the retry timer writes the backlog without anyone asking.
    disk.free();
    let port = server.port;
    eventually(Duration::from_secs(20), "/health ok again", || async move {
        health(port).await.is_some_and(|h| h["status"] == "ok")
    })
    .await;
    // And it is on the server's disk: after kill -9, a new phone of the mentee's gets it there.
    server.kill();
    server.restart().await;
    let code = p.mentee.session.link_code().await.unwrap().code;
    let phone = Person::new(&tmp.path().join("mentee-phone")).await;
    phone
        .session
        .join_as_linked_device(server.url().as_str(), &code, "Telefoon")
        .await
        .unwrap();
    phone.session.sync_directory().await.unwrap();
    eventually(
        Duration::from_secs(30),
        "the note on a new phone",
        || async { note(&phone, &p.notes, &p.meeting).await == text },
    )
    .await;
    server.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_on_a_full_disk_shows_its_writes_waiting_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(disk) = Disk::mount(&tmp.path().join("mentor")) else {
        println!("skipped: mounting a small disk needs root");
        return;
    };
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let p = pair(tmp.path(), &server, &tmp.path().join("mentor").join("data")).await;

    disk.fill();
    let text = "Geschreven op een telefoon met een volle schijf.";
    // The edit is made; whether its journal entry fits or not, she is told.
    let saved = p
        .mentor
        .session
        .write_shared_note(&p.group, &p.meeting, "", text)
        .await;
    let status = wait_status(&p.mentor.device, "the storage problem shown", |s| {
        s.storage_error.is_some()
    })
    .await;
    println!("saving on a full disk answered {saved:?}; sync status {status:?}");
    // What is in memory still syncs: the mentee gets it.
    eventually(
        Duration::from_secs(30),
        "the mentee gets the note",
        || async { note(&p.mentee, &p.notes, &p.meeting).await == text },
    )
    .await;

    disk.free();
    wait_status(&p.mentor.device, "the storage problem gone", |s| {
        s.storage_error.is_none()
    })
    .await;
    // On her disk now: closed and opened again, the device has it without the server.
    p.mentor.device.close().await;
    drop(p.mentor);
    let mentor = Person::new(&tmp.path().join("mentor").join("data")).await;
    assert_eq!(note(&mentor, &p.notes, &p.meeting).await, text);
    mentor.device.close().await;
}
