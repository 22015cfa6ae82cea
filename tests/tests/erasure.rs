//! Erasing a person's data, as the AVG asks, against the real server binary: afterwards neither
//! the server's SQLite file nor the files of her devices hold her name or a phrase from her
//! private notes (scanned as bytes, and the same scan finds them before); her partner keeps the
//! pair's notes and sees that she left; the coordinator's device drops her profile and evaluation.

use std::path::Path;
use std::time::Duration;

use mentoring::api::SyncState;
use mentoring::model::{Role, Settings};
use mentoring::session::Ended;
use system_tests::programme::{Person, coordinator, pair_by_name, today};
use system_tests::{SyncServer, eventually, is, settled, wait_status};

/// Her name as she entered it, and a phrase only her private notes hold.
const NAME: &str = "Şeyma Vandermolen";
const EMAIL: &str = "seyma.vandermolen@student.example";
const PRIVATE: &str = "Mijn geheime twijfel: kiwi-lantaarn-zevenenveertig";
const SHARED: &str = "Samen afgesproken: elke week een uur programmeren";

/// Every byte of the files in `dir` (the database, its WAL, anything else there).
fn bytes_under(dir: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in walk(dir) {
        bytes.extend(std::fs::read(entry).unwrap_or_default());
    }
    bytes
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// What a byte scan of `dir` finds of her.
fn found(dir: &Path) -> Vec<&'static str> {
    let bytes = bytes_under(dir);
    [NAME, EMAIL, PRIVATE]
        .into_iter()
        .filter(|needle| holds(&bytes, needle))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erased_mentee_leaves_no_byte_of_her_name_or_private_notes_on_the_server_or_her_devices()
{
    let tmp = tempfile::tempdir().unwrap();
    let server_dir = tmp.path().join("server");
    let server = SyncServer::start(&server_dir, &[]).await;
    let (coordinator, programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let mut people = Vec::new();
    for (role, name, email) in [(Role::Mentor, "Sanne", ""), (Role::Mentee, NAME, EMAIL)] {
        let invitation = coordinator
            .session
            .invite(&programme, role, name, email, 14)
            .await
            .unwrap();
        let person = Person::new(&tmp.path().join(name)).await;
        person
            .session
            .accept_invitation(server.url().as_str(), &invitation.code, name)
            .await
            .unwrap();
        people.push(person);
    }
    let mentee = people.pop().unwrap();
    let mentor = people.pop().unwrap();
    let mentee_dir = tmp.path().join(NAME);
    // Her second device, linked with a code from the first.
    let phone_dir = tmp.path().join("phone");
    let phone = Person::new(&phone_dir).await;
    let link = mentee.session.link_code().await.unwrap();
    phone
        .session
        .join_as_linked_device(server.url().as_str(), &link.code, "telefoon")
        .await
        .unwrap();
    let group = pair_by_name(&coordinator, &programme, "Sanne", NAME).await;

    // The pair meets; she writes shared and private notes, her profile and her evaluation.
    eventually(
        Duration::from_secs(20),
        "the pair reaches the mentor",
        || async { mentor.session.sync_directory().await.is_ok() && mentor.device.has(&group) },
    )
    .await;
    let meeting = mentor
        .session
        .plan_meeting(&group, &today().to_string(), "14:00", "Bibliotheek")
        .await
        .unwrap();
    settled(&mentor.device).await;
    mentee.session.sync_directory().await.unwrap();
    eventually(
        Duration::from_secs(20),
        "the meeting reaches her",
        || async {
            mentee
                .session
                .meeting_page(&group, &meeting, today())
                .await
                .is_ok()
        },
    )
    .await;
    eventually(
        Duration::from_secs(20),
        "she writes the shared notes",
        || async {
            mentee
                .session
                .write_shared_note(&group, &meeting, "", SHARED)
                .await
                .is_ok()
        },
    )
    .await;
    mentee
        .session
        .write_private_note(&group, &meeting, "", PRIVATE)
        .await
        .unwrap();
    let mut profile = mentee.session.profile_form(&programme).await.unwrap();
    profile.track = "HBO-ICT, software engineering".into();
    profile.about = format!("Ik ben {NAME}");
    mentee.session.save_profile_form(profile).await.unwrap();
    let mut evaluation = mentee.session.evaluation_form(&programme).await.unwrap();
    evaluation.experience = "Heel fijn".into();
    mentee
        .session
        .save_evaluation(evaluation, true, today())
        .await
        .unwrap();
    settled(&mentee.device).await;
    phone.session.sync_directory().await.unwrap();
    eventually(
        Duration::from_secs(20),
        "her phone has her private notes",
        || async {
            phone
                .session
                .meeting_page(&group, &meeting, today())
                .await
                .is_ok_and(|p| p.private_notes.text == PRIVATE)
        },
    )
    .await;
    coordinator.session.sync_directory().await.unwrap();
    settled(&coordinator.device).await;
    mentor.session.sync_directory().await.unwrap();
    eventually(
        Duration::from_secs(20),
        "the mentor reads the shared notes",
        || async {
            mentor
                .session
                .meeting_page(&group, &meeting, today())
                .await
                .is_ok_and(|p| p.shared_notes.text == SHARED && p.partner == NAME)
        },
    )
    .await;
    let count = |person: &Person, kind: &str| {
        person
            .device
            .documents()
            .unwrap()
            .iter()
            .filter(|d| d.kind == kind)
            .count()
    };
    assert_eq!(
        (
            count(&coordinator, "profile"),
            count(&coordinator, "evaluation")
        ),
        (2, 1),
        "before, the coordinator has both profiles and her evaluation"
    );
    // The scan is one that finds her: everywhere she is, before.
    let server_files = || {
        // Only what the server wrote to its files counts: it writes back its log on erasure.
        found(&server_dir)
    };
    assert!(
        server_files().contains(&PRIVATE) && server_files().contains(&NAME),
        "before erasure the server's files hold her private notes and name: {:?}",
        server_files()
    );
    assert!(found(&phone_dir).contains(&PRIVATE), "and her phone does");

    // Her phone keeps in touch with the server, as the app does.
    let phone_session = phone.session.clone();
    let phone_ends = tokio::spawn(async move { phone_session.keep_in_touch().await });

    // She erases her data from her laptop.
    mentee.session.erase_me().await.unwrap();

    assert_eq!(
        found(&mentee_dir),
        Vec::<&str>::new(),
        "the laptop that erased keeps nothing of her"
    );
    assert_eq!(
        server_files(),
        Vec::<&str>::new(),
        "the server's files keep nothing of her"
    );
    let log = server.log_text();
    assert!(
        !log.contains(NAME) && !log.contains(PRIVATE) && !log.contains(EMAIL),
        "the server's log never held her name, address or notes"
    );
    let ended = tokio::time::timeout(Duration::from_secs(60), phone_ends)
        .await
        .expect("her phone learns of the erasure")
        .unwrap();
    assert_eq!(ended, Ended::Erased);
    assert_eq!(
        found(&phone_dir),
        Vec::<&str>::new(),
        "her phone erased itself"
    );

    // Her partner keeps the pair's notes and sees that she left.
    mentor.session.sync_directory().await.unwrap();
    let page = mentor
        .session
        .meeting_page(&group, &meeting, today())
        .await
        .unwrap();
    assert_eq!(page.shared_notes.text, SHARED);
    assert_eq!(page.partner, "Heeft het programma verlaten");

    // The coordinator's device drops her profile and evaluation; the dashboard shows she left.
    coordinator.session.sync_directory().await.unwrap();
    coordinator
        .session
        .refresh_status(&programme)
        .await
        .unwrap();
    let dashboard = coordinator
        .session
        .dashboard(&programme, today())
        .await
        .unwrap();
    assert_eq!(dashboard.pairs[0].mentee, "Heeft het programma verlaten");
    assert!(
        dashboard
            .people
            .iter()
            .all(|p| p.name != NAME && p.email != EMAIL),
        "{:?}",
        dashboard.people
    );
    assert_eq!(
        (
            count(&coordinator, "profile"),
            count(&coordinator, "evaluation")
        ),
        (1, 0),
        "her profile and evaluation are gone from the coordinator's device (the mentor's profile stays)"
    );
    coordinator.device.close().await;
    assert_eq!(
        found(&tmp.path().join("coordinator")),
        Vec::<&str>::new(),
        "nor does the coordinator's device keep her name or notes"
    );
    wait_status(
        &mentor.device,
        "the mentor still syncs",
        is(SyncState::Synced),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_cannot_erase_herself_while_her_programme_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let (coordinator, _programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let refused = coordinator.session.erase_me().await.unwrap_err();
    assert_eq!(refused.code(), "coordinator_erases_programme");
    coordinator.session.sync_directory().await.unwrap();
}

/// The end of a school year: the coordinator archives the programme (nobody can change
/// anything, everyone can still read), then erases it: the server's files keep nothing of it,
/// the devices of its people erase themselves and say why, and the coordinator keeps the
/// evaluation's figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ended_programme_is_read_only_and_once_erased_is_gone_from_server_and_devices() {
    const MENTEE: &str = "Noor Vlietstra";
    const SHARED_NOTE: &str = "Ons duo-verhaal: vuurtoren-pannenkoek";
    let tmp = tempfile::tempdir().unwrap();
    let server_dir = tmp.path().join("server");
    let server = SyncServer::start(&server_dir, &[]).await;
    let (coordinator, programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let programme_name = "Peer mentoring HBO-ICT";
    let mentor = system_tests::programme::participant(
        &tmp.path().join("mentor"),
        &server,
        &coordinator,
        &programme,
        Role::Mentor,
        "Sanne",
    )
    .await;
    let mentee = system_tests::programme::participant(
        &tmp.path().join("mentee"),
        &server,
        &coordinator,
        &programme,
        Role::Mentee,
        MENTEE,
    )
    .await;
    let group = pair_by_name(&coordinator, &programme, "Sanne", MENTEE).await;
    eventually(
        Duration::from_secs(20),
        "the pair reaches the mentor",
        || async { mentor.session.sync_directory().await.is_ok() && mentor.device.has(&group) },
    )
    .await;
    let meeting = mentor
        .session
        .plan_meeting(&group, &today().to_string(), "14:00", "Bibliotheek")
        .await
        .unwrap();
    mentor
        .session
        .write_shared_note(&group, &meeting, "", SHARED_NOTE)
        .await
        .unwrap();
    settled(&mentor.device).await;
    let mut evaluation = mentee.session.evaluation_form(&programme).await.unwrap();
    evaluation.experience = "Fijn".into();
    evaluation.ratings = evaluation
        .ratings
        .into_iter()
        .map(|(topic, number, title, _)| (topic, number, title, Some(4)))
        .collect();
    mentee
        .session
        .save_evaluation(evaluation, true, today())
        .await
        .unwrap();
    settled(&mentee.device).await;
    eventually(
        Duration::from_secs(20),
        "the coordinator has the evaluation",
        || async {
            coordinator.session.sync_directory().await.is_ok()
                && coordinator
                    .session
                    .evaluation_summary(&programme)
                    .await
                    .is_ok_and(|s| s.responses == 1)
        },
    )
    .await;
    assert!(
        found_text(&server_dir, SHARED_NOTE),
        "the scan finds the notes before"
    );
    // Files are their owner's alone.
    for file in [
        server_dir.join("sync-server.sqlite"),
        server_dir.join("sync-server.sqlite-wal"),
        tmp.path().join("mentee/device.sqlite"),
        tmp.path().join("mentee/device.sqlite-wal"),
    ] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is {mode:o}", file.display());
    }

    // The coordinator's records: progress and evaluations, never a word of the notes.
    let (file, zip) = coordinator
        .session
        .export_programme(&programme, today())
        .await
        .unwrap();
    assert!(file.ends_with(".zip"), "{file}");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut f, &mut text).unwrap();
        files.push((f.name().unwrap().to_string(), text));
    }
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["voortgang.csv", "evaluaties.csv"]);
    assert!(
        files[0].1.contains("Sanne") && files[0].1.contains(MENTEE),
        "{}",
        files[0].1
    );
    assert!(files[1].1.contains("Fijn"), "{}", files[1].1);
    assert!(files.iter().all(|(_, text)| !text.contains(SHARED_NOTE)));

    // Erasing waits for the end; then the programme ends and is read-only for everyone.
    let early = coordinator
        .session
        .erase_programme(&programme)
        .await
        .unwrap_err();
    assert_eq!(early.code(), "archive_first");
    coordinator
        .session
        .archive_programme(&programme)
        .await
        .unwrap();
    mentor.session.sync_directory().await.unwrap();
    let refused = mentor
        .session
        .plan_meeting(&group, &today().to_string(), "15:00", "Kantine")
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "read_only");
    let page = mentor
        .session
        .meeting_page(&group, &meeting, today())
        .await
        .unwrap();
    assert_eq!(page.shared_notes.text, SHARED_NOTE, "still readable");
    assert!(
        coordinator
            .session
            .dashboard(&programme, today())
            .await
            .unwrap()
            .archived
    );

    // Its people's devices keep in touch, as the app does.
    let ends: Vec<_> = [&mentor, &mentee]
        .into_iter()
        .map(|p| {
            let session = p.session.clone();
            tokio::spawn(async move { session.keep_in_touch().await })
        })
        .collect();

    coordinator
        .session
        .erase_programme(&programme)
        .await
        .unwrap();
    for needle in [programme_name, MENTEE, SHARED_NOTE] {
        assert!(
            !found_text(&server_dir, needle),
            "the server's files keep no {needle:?}"
        );
    }
    for end in ends {
        let ended = tokio::time::timeout(Duration::from_secs(60), end)
            .await
            .expect("the device learns that its programme was erased")
            .unwrap();
        assert_eq!(ended, Ended::Erased);
    }
    for (person, dir) in [(&mentor, "mentor"), (&mentee, "mentee")] {
        for needle in [programme_name, MENTEE, SHARED_NOTE] {
            assert!(
                !found_text(&tmp.path().join(dir), needle),
                "{dir}'s device keeps no {needle:?}"
            );
        }
        let notices = person.session.notices().unwrap();
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(notices[0].contains("gewist"), "it says so: {notices:?}");
    }
    let home = coordinator.session.home(today()).await.unwrap();
    assert!(home.programmes.is_empty());
    assert_eq!(home.kept.len(), 1);
    assert_eq!(home.kept[0].name, programme_name);
    assert_eq!(home.kept[0].summary.responses, 1);
    assert!(home.kept[0].summary.answers.is_empty(), "figures only");
    coordinator.device.close().await;
    for needle in [MENTEE, SHARED_NOTE] {
        assert!(
            !found_text(&tmp.path().join("coordinator"), needle),
            "the coordinator's device keeps no {needle:?}"
        );
    }
}

fn found_text(dir: &Path, needle: &str) -> bool {
    holds(&bytes_under(dir), needle)
}

/// Leaving her last programme takes her devices' credentials, so she can no longer erase her
/// data herself: the coordinator does, on her request; a member still taking part is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coordinator_erases_someone_who_left_and_no_one_still_taking_part() {
    const LEFT: &str = "Yara Verlaatster";
    let tmp = tempfile::tempdir().unwrap();
    let server_dir = tmp.path().join("server");
    let server = SyncServer::start(&server_dir, &[]).await;
    let (coordinator, programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let staying = system_tests::programme::participant(
        &tmp.path().join("staying"),
        &server,
        &coordinator,
        &programme,
        Role::Mentor,
        "Sanne",
    )
    .await;
    let leaving = system_tests::programme::participant(
        &tmp.path().join("leaving"),
        &server,
        &coordinator,
        &programme,
        Role::Mentee,
        LEFT,
    )
    .await;
    let mut profile = leaving.session.profile_form(&programme).await.unwrap();
    profile.about = "Ik hou van robots".into();
    leaving.session.save_profile_form(profile).await.unwrap();
    settled(&leaving.device).await;
    leaving.session.withdraw(&programme).await.unwrap();
    coordinator
        .session
        .refresh_status(&programme)
        .await
        .unwrap();
    let refused = coordinator
        .session
        .erase_who_left(&programme, &staying.id())
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "still_taking_part");
    assert!(found_text(&server_dir, LEFT), "the scan finds her before");
    coordinator
        .session
        .erase_who_left(&programme, &leaving.id())
        .await
        .unwrap();
    assert!(
        !found_text(&server_dir, LEFT),
        "the server's files keep nothing of her"
    );
    assert!(!found_text(&server_dir, "Ik hou van robots"));
    let dashboard = coordinator
        .session
        .dashboard(&programme, today())
        .await
        .unwrap();
    assert!(dashboard.people.iter().all(|p| p.name != LEFT));
}
