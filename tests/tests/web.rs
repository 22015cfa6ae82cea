//! The phone's web app: Debian's Chromium, headless, emulating a phone (360×740, touch), opening
//! the web app the real sync server serves, beside the real desktop app (Tauri, under Xvfb).
//! The phone reaches the server through a gate the test can cut, so that being offline is a real
//! broken network for the page, its service worker, its API calls and its sync socket alike.

use mentoring::model::{Role, Settings};
use system_tests::app::App;
use system_tests::convergence::Gate;
use system_tests::{SyncServer, programme};

fn in_days(days: i64) -> chrono::NaiveDate {
    chrono::Local::now().date_naive() + chrono::Duration::days(days)
}

/// The web app trunk built (`scripts/test.sh` builds it before the tests), or the bundle in
/// `PM_WEB_APP_DIR`.
fn web_app() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let dist = match std::env::var_os("PM_WEB_APP_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("app/dist"),
    };
    assert!(
        dist.join("index.html").exists() && dist.join("sw.js").exists(),
        "the web app is built (cd app && trunk build)"
    );
    dist.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mentee_joins_on_her_phone_by_link_and_her_offline_notes_meet_her_mentors_and_survive_eviction()
 {
    let tmp = tempfile::tempdir().unwrap();
    let app_dir = web_app();
    let server = SyncServer::start(&tmp.path().join("server"), &["--app-dir", &app_dir]).await;
    let network = Gate::start(server.port).await;
    let mut mentor = App::start(&tmp.path().join("mentor"), Some(&server.url())).await;
    let (coordinator, programme) = programme::coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let invite = |role: Role, name: &'static str| {
        let session = coordinator.session.clone();
        let programme = programme.clone();
        async move {
            session
                .invite(&programme, role, name, "", 14)
                .await
                .unwrap()
                .code
        }
    };

    // The mentor accepts in the desktop app.
    let code = invite(Role::Mentor, "Sanne").await;
    mentor.type_into("#profile-name", "Sanne").await;
    mentor.click("#welcome-join").await;
    mentor.type_into("#join-code", &code).await;
    mentor.click("#lookup-invitation").await;
    mentor.click("#accept-invitation").await;
    mentor.wait_for("#waiting-for-pair").await;

    // The mentee opens her invitation link on her phone: the web app's join page, with the
    // invitation already looked up. She installs nothing.
    let code = invite(Role::Mentee, "Aylin").await;
    let link = format!("{}join/{code}", network.url());
    let mut phone = App::phone(&tmp.path().join("phone"), &link).await;
    phone.wait_text("#invitation", "vrijwillig").await;
    assert_eq!(phone.value("#join-code").await, code);
    phone.screenshot("web-join", 360, 740).await;
    phone.type_into("#join-name", "Aylin").await;
    phone.click("#accept-invitation").await;
    phone.wait_for("#waiting-for-pair").await;

    // The coordinator pairs them; both find their pair.
    programme::pair_by_name(&coordinator, &programme, "Sanne", "Aylin").await;
    phone.wait_text(".partner-name", "Sanne").await;
    mentor.wait_text(".partner-name", "Aylin").await;

    // Her mentor plans the first meeting on the desktop; it reaches the phone. There she opens
    // it, sets herself a goal and writes in the shared notes.
    mentor
        .set_value("#home-date", &in_days(1).to_string())
        .await;
    mentor.set_value("#home-time", "14:30").await;
    mentor.set_value("#home-place", "Bibliotheek").await;
    mentor.click("#home-plan").await;
    phone
        .wait_text("#next-meeting", "Cultuur van de opleiding")
        .await;
    phone.screenshot("web-home", 360, 740).await;

    // The meeting is tomorrow: she turns reminders on and gets one, through the service worker
    // as a phone's browser requires. (The notification is stood in for by a recorder, and her
    // "allow" by its answer: headless Chromium shows no permission prompt.)
    phone.wait_for("#reminder-offer").await;
    let recorder = "window.__reminders = []; \
        ServiceWorkerRegistration.prototype.showNotification = function (title, options) { \
          window.__reminders.push({ title, body: options.body }); return Promise.resolve(); }; \
        window.Notification = class { \
          constructor(title, options) { window.__reminders.push({ title, body: options.body, page: true }); } \
          static get permission() { return window.__allowed ? 'granted' : 'default'; } \
          static requestPermission() { window.__allowed = true; return Promise.resolve('granted'); } \
        };";
    phone.client.execute(recorder, vec![]).await.unwrap();
    phone.click("#turn-on-reminders").await;
    let reminded = |shown: &serde_json::Value| {
        shown.as_array().is_some_and(|r| {
            r.len() == 1
                && r[0]["page"].is_null()
                && r[0]["title"] == "Morgen: Cultuur van de opleiding"
                && r[0]["body"]
                    .as_str()
                    .is_some_and(|b| b.starts_with("Met Sanne, "))
        })
    };
    let start = std::time::Instant::now();
    loop {
        let shown = phone
            .client
            .execute("return window.__reminders", vec![])
            .await
            .unwrap();
        if reminded(&shown) {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "a reminder of tomorrow's meeting: {shown}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    phone.wait_gone("#reminder-offer").await;
    phone.click("#open-next").await;
    phone
        .type_into("#goal-text", "Eén vraag stellen in het practicum")
        .await;
    phone.click("#add-goal").await;
    phone
        .wait_text("#meeting-goals", "Eén vraag stellen in het practicum")
        .await;
    phone
        .type_into("#shared-notes", "Aylin: de eerste weken waren druk.")
        .await;
    phone
        .wait_attr("#shared-notes ~ .save-state", "data-state", "saved")
        .await;
    phone
        .wait_attr("#sync-status", "data-state", "synced")
        .await;
    phone.screenshot("web-meeting", 360, 740).await;
    mentor.click("#open-next").await;
    mentor
        .wait_text("#shared-notes", "Aylin: de eerste weken waren druk.")
        .await;
    mentor
        .wait_text("#meeting-goals", "Eén vraag stellen in het practicum")
        .await;

    // The app is kept for offline use (its service worker installed and in charge), as the
    // phone shows once it is.
    phone.wait_until_offline_ready().await;

    // Her phone loses the network. The page reloads and starts (from its service worker and
    // IndexedDB), with her notes; she writes more.
    network.set_cut(true);
    phone
        .wait_attr("#sync-status", "data-state", "offline")
        .await;
    phone.reload().await;
    phone
        .wait_text("#next-meeting", "Cultuur van de opleiding")
        .await;
    phone.click("#open-next").await;
    phone
        .wait_text("#shared-notes", "Aylin: de eerste weken waren druk.")
        .await;
    phone
        .type_into("#shared-notes", " Offline: vooral het groepswerk!")
        .await;
    phone
        .wait_attr("#shared-notes ~ .save-state", "data-state", "saved")
        .await;
    phone.wait_text("#sync-status", "nog niet verstuurd").await;

    // Meanwhile her mentor, online on the desktop, writes in the same note.
    mentor
        .type_into("#shared-notes", " Sanne: herkenbaar, plan je weken.")
        .await;
    mentor
        .wait_attr("#shared-notes ~ .save-state", "data-state", "saved")
        .await;
    mentor
        .wait_attr("#sync-status", "data-state", "synced")
        .await;

    // Back online: both texts are in both places, without a reload.
    network.set_cut(false);
    for app in [&mut phone, &mut mentor] {
        app.wait_attr("#sync-status", "data-state", "synced").await;
        app.wait_text("#shared-notes", "Offline: vooral het groepswerk!")
            .await;
        app.wait_text("#shared-notes", "Sanne: herkenbaar, plan je weken.")
            .await;
        app.wait_text("#shared-notes", "Aylin: de eerste weken waren druk.")
            .await;
    }

    // She keeps a recovery code. Then the browser clears the site's data (as a browser short of
    // space does): the page starts empty, and the code brings everything back from the server.
    phone.click("#back-home").await;
    phone.click("#open-devices").await;
    phone.click("#make-recovery-code").await;
    phone.wait_for("#recovery-code").await;
    let recovery = phone.text("#recovery-code").await;
    phone
        .client
        .execute("indexedDB.deleteDatabase('peer-mentoring')", vec![])
        .await
        .unwrap();
    phone.reload().await;
    phone.type_into("#profile-name", "Aylin").await;
    phone.click("#welcome-join").await;
    phone.type_into("#link-device-code", &recovery).await;
    phone.type_into("#link-device-label", "Telefoon").await;
    phone.click("#join-as-device").await;
    phone.wait_text(".partner-name", "Sanne").await;
    phone
        .wait_text("#next-meeting", "Cultuur van de opleiding")
        .await;
    phone.click("#open-next").await;
    phone
        .wait_text("#shared-notes", "Offline: vooral het groepswerk!")
        .await;
    phone
        .wait_text("#meeting-goals", "Eén vraag stellen in het practicum")
        .await;

    // She erases her data from her phone: the page starts again, empty, and her mentor sees
    // that she left.
    phone.click("#back-home").await;
    phone.click("#open-devices").await;
    phone.click("#erase-understood").await;
    phone.click("#erase-my-data").await;
    phone.wait_for("#welcome").await;
    let stored = phone
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const open = indexedDB.open('peer-mentoring');
             open.onsuccess = () => {
               const db = open.result;
               const names = Array.from(db.objectStoreNames);
               if (names.length === 0) { done(0); return; }
               const count = db.transaction(names[0]).objectStore(names[0]).count();
               count.onsuccess = () => done(count.result);
             };
             open.onerror = () => done(-1);",
            vec![],
        )
        .await
        .unwrap();
    // Only what a new start writes (its device id, a setting or two), none of her documents.
    assert!(
        stored.as_u64().is_some_and(|n| n < 5),
        "the phone's database after erasure holds {stored} entries"
    );
    mentor
        .wait_text(
            "#meeting-view",
            "Met je mentee Heeft het programma verlaten",
        )
        .await;
    phone.stop().await;
    mentor.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_circle_student_follows_her_circle_on_her_phone() {
    use chrono::NaiveDate;
    use mentoring::api::{CircleForm, SessionForm};
    use system_tests::programme::participant;

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let app_dir = web_app();
    let server = SyncServer::start(&dir.join("server"), &["--app-dir", &app_dir]).await;
    let (coordinator, programme) =
        programme::coordinator(&dir.join("coordinator"), &server, Settings::default()).await;
    let mut others = Vec::new();
    for (role, name) in [
        (Role::Student, "Fatima"),
        (Role::Student, "Lisa"),
        (Role::Student, "Emma"),
        (Role::Student, "Yara"),
        (Role::Professional, "Ingrid"),
        (Role::Professional, "Priya"),
        (Role::Facilitator, "Marieke"),
    ] {
        let folder = dir.join(name.to_lowercase());
        others.push(participant(&folder, &server, &coordinator, &programme, role, name).await);
    }

    // Noor accepts on her phone, through her invitation link.
    let code = coordinator
        .session
        .invite(&programme, Role::Student, "Noor", "", 14)
        .await
        .unwrap()
        .code;
    let mut phone = App::phone(&dir.join("phone"), &format!("{}join/{code}", server.url())).await;
    phone.wait_text("#invitation", "vrijwillig").await;
    phone.type_into("#join-name", "Noor").await;
    phone.click("#accept-invitation").await;
    phone.wait_for("#waiting-for-pair").await;

    // The coordinator forms the circle; the teacher plans its first session.
    coordinator
        .session
        .refresh_status(&programme)
        .await
        .unwrap();
    let setup = coordinator.session.circle_setup(&programme).await.unwrap();
    let id = |list: &[mentoring::api::CircleCandidate], name: &str| {
        list.iter()
            .find(|c| c.name == name)
            .map(|c| c.person.clone())
            .unwrap_or_else(|| panic!("{name} can be placed"))
    };
    let group = coordinator
        .session
        .create_circle(
            &programme,
            CircleForm {
                name: "Circle Techniek".into(),
                organisation: "VHTO".into(),
                teacher: id(&setup.teachers, "Marieke"),
                students: ["Noor", "Fatima", "Lisa", "Emma", "Yara"]
                    .iter()
                    .map(|n| id(&setup.students, n))
                    .collect(),
                professionals: vec![
                    id(&setup.professionals, "Ingrid"),
                    id(&setup.professionals, "Priya"),
                ],
            },
        )
        .await
        .unwrap();
    let teacher = others.last().unwrap();
    teacher.session.sync_directory().await.unwrap();
    let year = mentoring::guide::academic_year_of(programme::today());
    teacher
        .session
        .plan_session(
            &group,
            SessionForm {
                date: NaiveDate::from_ymd_opt(year + 1, 3, 10)
                    .unwrap()
                    .to_string(),
                time: "15:00".into(),
                minutes: 120,
                host: id(&setup.professionals, "Ingrid"),
                school_reason: String::new(),
                place: "Alliander, Arnhem".into(),
                override_reason: String::new(),
            },
        )
        .await
        .unwrap();

    // Her phone shows the circle and its session; she writes her reflection there.
    phone.wait_text(".circle-home", "Circle Techniek").await;
    phone.wait_for(".session-card[data-number='1']").await;
    phone.screenshot("web-circle", 360, 740).await;

    // A second tab of the app (she taps the link in her mail again) does not open the same
    // device beside the first: it says where the app is open.
    let first = phone.client.window().await.unwrap();
    let second = phone.client.new_window(true).await.unwrap();
    phone.client.switch_to_window(second.handle).await.unwrap();
    phone
        .client
        .goto(&format!("{}app/", server.url()))
        .await
        .unwrap();
    phone
        .wait_text("main", "al open in een ander tabblad")
        .await;
    phone.client.close_window().await.unwrap();
    phone.client.switch_to_window(first).await.unwrap();
    phone.wait_text(".circle-home", "Circle Techniek").await;
    phone
        .click(".session-card[data-number='1'] .open-session")
        .await;
    phone.wait_for("#agenda").await;
    phone
        .type_into("#circle-reflection", "Ik wil vragen naar haar eerste baan.")
        .await;
    phone
        .wait_attr("#circle-reflection ~ .save-state", "data-state", "saved")
        .await;
    phone.screenshot("web-circle-session", 360, 740).await;
    phone.stop().await;
}

/// Figures for the phone's web app on the bundle in `PM_WEB_APP_DIR` (`scripts/web-figures.sh`
/// builds a release bundle and runs this): its size, raw and gzipped; the time from opening the
/// page to its first screen in headless Chromium as a phone, cold (new browser profile) and warm
/// (a reload: the service worker and the browser's cache); and the browser's memory then. Prints
/// one `WEB |` line; asserts only that the app started.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "figures, not a test: scripts/web-figures.sh"]
async fn web_app_figures() {
    let dir = web_app();
    let mut sizes = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".wasm") || name.ends_with(".js") && name != "sw.js" {
            let raw = std::fs::metadata(&path).unwrap().len();
            let gzip = std::process::Command::new("gzip")
                .args(["-9", "-c"])
                .arg(&path)
                .output()
                .expect("gzip")
                .stdout
                .len();
            let kind = if name.ends_with(".wasm") {
                "wasm"
            } else {
                "js"
            };
            sizes.push(format!(
                "{kind} {} KiB ({} KiB gzip)",
                raw / 1024,
                gzip / 1024
            ));
        }
    }
    sizes.sort();
    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(&tmp.path().join("server"), &["--app-dir", &dir]).await;
    let url = format!("{}app/", server.url());
    let mut phone = App::phone(&tmp.path().join("phone"), &url).await;
    let cold = first_screen_at(&mut phone).await;
    let mut warm = Vec::new();
    for _ in 0..5 {
        phone.client.refresh().await.unwrap();
        warm.push(first_screen_at(&mut phone).await);
    }
    warm.sort_by(f64::total_cmp);
    let (rss, renderer) = chromium_memory_kib();
    let heap: f64 = phone
        .client
        .execute("return performance.memory.usedJSHeapSize", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap_or(0.0);
    println!(
        "WEB | {} | cold start to first screen {cold:.0} ms | warm (reload, median of 5) {:.0} ms | Chromium RSS {} MiB, of which the page's renderer {} MiB | JS heap {:.1} MiB",
        sizes.join(" | "),
        warm[2],
        rss / 1024,
        renderer / 1024,
        heap / 1048576.0,
    );
    phone.stop().await;
}

/// Milliseconds from the start of the page's navigation to its first screen (the welcome
/// screen, which needs the core and its store open), as the page's own clock says.
async fn first_screen_at(phone: &mut App) -> f64 {
    let script = "const done = arguments[arguments.length - 1]; \
        const seen = () => document.querySelector('#profile-name'); \
        if (seen()) { done(performance.now()); return; } \
        new MutationObserver((_, o) => { if (seen()) { o.disconnect(); done(performance.now()); } }) \
          .observe(document.documentElement, { childList: true, subtree: true });";
    phone
        .client
        .execute_async(script, vec![])
        .await
        .expect("the first screen")
        .as_f64()
        .expect("a time")
}

/// Resident memory of every Chromium process, and of its renderers, in KiB.
fn chromium_memory_kib() -> (u64, u64) {
    let (mut all, mut renderers) = (0, 0);
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline);
        if !cmdline.starts_with("/usr/lib/chromium/chromium") {
            continue;
        }
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let rss: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        all += rss;
        if cmdline.contains("--type=renderer") {
            renderers += rss;
        }
    }
    (all, renderers)
}
