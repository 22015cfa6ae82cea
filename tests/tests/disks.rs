//! Full and read-only disks, on the server and on a device, with the real server binary and real
//! SQLite files on small tmpfs disks: nothing acknowledged is lost, the server's `/health` says "degraded" and
//! the device's sync status names the storage problem while writes wait, the waiting writes go
//! to disk on their own once there is room, and everything is still there after `kill -9`.
//!
//! Mounting a disk needs root (and a loop device, for the ext4 image); without them these tests
//! say so and check nothing else.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use mentoring::api::SyncState;
use mentoring::docs;
use mentoring::model::{Role, Settings};
use system_tests::convergence::Disk;
use system_tests::programme::{People, Person, coordinator, mentor_and_mentee, participant, today};
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

/// What goes wrong with a disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trouble {
    /// It fills up; room comes back while the program runs.
    Full,
    /// The kernel turns it read-only after an error (ext4's `errors=remount-ro`), under the
    /// running program; it comes back only after the program stopped and the disk was checked.
    ReadOnly,
}

/// A small disk of the test's own: a tmpfs that can fill up, or an ext4 image that the kernel
/// can be told to turn read-only.
enum TestDisk {
    Tmpfs(Disk),
    Ext4 { image: PathBuf, dir: PathBuf },
}

impl TestDisk {
    fn mount(trouble: Trouble, dir: &Path) -> Option<TestDisk> {
        match trouble {
            Trouble::Full => Disk::mount(dir).map(TestDisk::Tmpfs),
            Trouble::ReadOnly => {
                let image = dir.with_extension("img");
                std::fs::create_dir_all(dir).ok()?;
                let made = Command::new("truncate")
                    .args(["-s", "64M"])
                    .arg(&image)
                    .status()
                    .is_ok_and(|s| s.success())
                    && Command::new("mkfs.ext4")
                        .arg("-q")
                        .arg(&image)
                        .status()
                        .is_ok_and(|s| s.success());
                let disk = TestDisk::Ext4 {
                    image,
                    dir: dir.to_owned(),
                };
                (made && disk.mount_ext4()).then_some(disk)
            }
        }
    }

    fn mount_ext4(&self) -> bool {
        let TestDisk::Ext4 { image, dir } = self else {
            return false;
        };
        Command::new("mount")
            .args(["-o", "loop,errors=remount-ro"])
            .arg(image)
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn start(&self) {
        match self {
            TestDisk::Tmpfs(disk) => disk.fill(),
            TestDisk::Ext4 { dir, .. } => {
                let source = Command::new("findmnt")
                    .args(["-n", "-o", "SOURCE"])
                    .arg(dir)
                    .output()
                    .expect("findmnt");
                let device = String::from_utf8_lossy(&source.stdout).trim().to_owned();
                let name = device.rsplit('/').next().unwrap_or_default().to_owned();
                std::fs::write(format!("/sys/fs/ext4/{name}/trigger_fs_error"), "1")
                    .expect("the kernel takes an ext4 error");
            }
        }
    }

    /// Room again (a full disk, while the program runs) or a checked disk (a read-only one,
    /// once the program stopped).
    fn end(&self) {
        match self {
            TestDisk::Tmpfs(disk) => disk.free(),
            TestDisk::Ext4 { image, dir } => {
                let _ = Command::new("umount").arg(dir).status();
                let checked = Command::new("e2fsck")
                    .args(["-fy"])
                    .arg(image)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .is_ok_and(|s| s.code().is_some_and(|c| c <= 1));
                assert!(checked && self.mount_ext4(), "the disk is checked and back");
            }
        }
    }
}

impl Drop for TestDisk {
    fn drop(&mut self) {
        if let TestDisk::Ext4 { dir, .. } = self {
            let _ = Command::new("umount").arg("-l").arg(dir).status();
        }
    }
}

async fn pair(dir: &Path, server: &SyncServer) -> Pair {
    let People {
        coordinator: carla,
        programme,
        mentor,
        mentee,
    } = mentor_and_mentee(dir, server).await;
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
async fn a_server_on_a_full_or_read_only_disk_reports_degraded_keeps_serving_and_writes_later() {
    for trouble in [Trouble::Full, Trouble::ReadOnly] {
        server_disk_trouble(trouble).await;
    }
}

async fn server_disk_trouble(trouble: Trouble) {
    let tmp = tempfile::tempdir().unwrap();
    let Some(disk) = TestDisk::mount(trouble, &tmp.path().join("server")) else {
        println!("skipped: mounting a small disk needs root");
        return;
    };
    let mut server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let p = pair(tmp.path(), &server).await;
    assert_eq!(health(server.port).await.unwrap()["status"], "ok");

    disk.start();
    let text = "Geschreven terwijl de schijf van de server niets aannam.";
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
    assert_eq!(status["status"], "degraded", "{trouble:?}: {status}");
    assert!(status["waiting_writes"].as_u64().unwrap() > 0, "{status}");
    assert!(!status["storage_error"].as_str().unwrap().is_empty());

    if trouble == Trouble::Full {
        // Room again: the retry timer writes the backlog without anyone asking.
        disk.end();
        let port = server.port;
        eventually(Duration::from_secs(20), "/health ok again", || async move {
            health(port).await.is_some_and(|h| h["status"] == "ok")
        })
        .await;
        server.kill();
    } else {
        // A disk the kernel made read-only comes back only once checked: the server is
        // stopped, the disk checked, the server started again; the devices send what it lacks.
        server.kill();
        disk.end();
    }
    server.restart().await;
    // It is on the server now: a new phone of the mentee's gets it there.
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
    let Some(disk) = TestDisk::mount(Trouble::Full, &tmp.path().join("mentor")) else {
        println!("skipped: mounting a small disk needs root");
        return;
    };
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let p = pair(tmp.path(), &server).await;

    disk.start();
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

    disk.end();
    wait_status(&p.mentor.device, "the storage problem gone", |s| {
        s.storage_error.is_none()
    })
    .await;
    // On her disk now: closed and opened again, the device has it without the server.
    p.mentor.device.close().await;
    drop(p.mentor);
    let mentor = Person::new(&tmp.path().join("mentor")).await;
    assert_eq!(note(&mentor, &p.notes, &p.meeting).await, text);
    mentor.device.close().await;
}

/// The phone is its own process here, so that stopping it lets go of its disk for the check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_whose_disk_turns_read_only_shows_it_and_opens_again_with_what_was_acknowledged() {
    use serde_json::json;
    use system_tests::convergence::Host;

    let tmp = tempfile::tempdir().unwrap();
    let Some(disk) = TestDisk::mount(Trouble::ReadOnly, &tmp.path().join("mentor")) else {
        println!("skipped: mounting an ext4 image needs root and a loop device");
        return;
    };
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let (carla, programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let mentee = participant(
        &tmp.path().join("mentee"),
        &server,
        &carla,
        &programme,
        Role::Mentee,
        "Aylin",
    )
    .await;
    let (data, log) = (
        tmp.path().join("mentor").join("data"),
        tmp.path().join("mentor.log"),
    );
    let mut phone = Host::start(&data, &log).await;
    let code = carla
        .session
        .invite(&programme, Role::Mentor, "Sanne", "", 14)
        .await
        .unwrap()
        .code;
    let mentor = phone
        .call(json!({"cmd": "accept", "server": server.url().as_str(), "code": code, "name": "Sanne"}))
        .await
        .unwrap();
    carla.session.refresh_status(&programme).await.unwrap();
    let group = carla
        .session
        .form_pair(&programme, mentor.as_str().unwrap(), &mentee.id(), today())
        .await
        .unwrap();
    wait_status(&carla.device, "coordinator synced", is(SyncState::Synced)).await;
    phone.call(json!({"cmd": "sync_directory"})).await.unwrap();
    let day = (today() + chrono::Duration::days(7)).to_string();
    let meeting = phone
        .call(json!({"cmd": "plan_meeting", "group": group, "date": day}))
        .await
        .unwrap();
    let field = json!({"cmd": "read_text", "group": group, "meeting": meeting, "which": "shared"});
    mentee.session.sync_directory().await.unwrap();
    let notes = mentee
        .device
        .read::<docs::GroupDoc>(&group)
        .await
        .unwrap()
        .notes_doc;
    let meeting = meeting.as_str().unwrap().to_owned();

    disk.start();
    let text = "Geschreven op een telefoon waarvan de schijf alleen-lezen werd.";
    let mut typing = field.clone();
    typing["cmd"] = json!("type");
    typing["text"] = json!(text);
    let saved = phone.call(typing).await;
    let start = std::time::Instant::now();
    let status = loop {
        let status = phone.call(json!({"cmd": "status"})).await.unwrap();
        if !status["storage_error"].is_null() || start.elapsed() > Duration::from_secs(30) {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    println!("saving on a read-only disk answered {saved:?}; sync status {status}");
    assert!(!status["storage_error"].is_null(), "she sees it: {status}");
    // Saved (held in memory) means it reaches the mentee; refused means she was told, and the
    // note stays as it was.
    let expected = if saved.is_ok() { text } else { "" };
    eventually(
        Duration::from_secs(30),
        "the mentee has what the phone acknowledged",
        || async { note(&mentee, &notes, &meeting).await == expected },
    )
    .await;

    // The phone is stopped, its disk checked, and it opens again: the server gives it back.
    phone.kill().await;
    disk.end();
    let mut phone = Host::start(&data, &log).await;
    let start = std::time::Instant::now();
    loop {
        let shown = phone.call(field.clone()).await;
        if shown.as_ref().ok().and_then(|v| v.as_str()) == Some(expected) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the note is back on the phone: {shown:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    phone.kill().await;
}
