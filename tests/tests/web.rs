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

/// The web app trunk built (`scripts/test.sh` builds it before the tests).
fn web_app() -> String {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("app/dist");
    assert!(
        dist.join("index.html").exists() && dist.join("sw.js").exists(),
        "the web app is built (cd app && trunk build)"
    );
    dist.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mentee_joins_on_her_phone_by_link_and_her_offline_notes_meet_her_mentors() {
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
                .invite(&programme, role, name, "", 14, programme::today())
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
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    eprintln!(
        "DEBUG server={:?} code={:?}",
        phone.value("#join-server").await,
        phone.value("#join-code").await
    );
    phone.client.execute("window.__logs=[]; for (const k of ['log','warn','error','info','debug']) { const o=console[k]; console[k]=(...a)=>{window.__logs.push(k+': '+a.join(' ')); o(...a);} }; window.addEventListener('error', e=>window.__logs.push('err: '+e.message)); window.addEventListener('unhandledrejection', e=>window.__logs.push('rej: '+e.reason));", vec![]).await.unwrap();
    phone.click("#lookup-invitation").await;
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    eprintln!(
        "DEBUG logs={:?}",
        phone.client.execute("return window.__logs", vec![]).await
    );
    eprintln!("DEBUG body={:?}", phone.body_text().await);
    phone.wait_text("#invitation", "vrijwillig").await;
    assert_eq!(phone.value("#join-code").await, code);
    phone.screenshot("web-join", 360, 740).await;
    phone.type_into("#join-name", "Aylin").await;
    phone.click("#accept-invitation").await;
    phone.wait_for("#waiting-for-pair").await;

    // The coordinator pairs them; both find their pair.
    coordinator
        .session
        .refresh_status(&programme)
        .await
        .unwrap();
    let people = coordinator
        .session
        .dashboard(&programme, programme::today())
        .await
        .unwrap()
        .people;
    let person = |name: &str| {
        people
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.person.clone())
            .unwrap()
    };
    coordinator
        .session
        .form_pair(
            &programme,
            &person("Sanne"),
            &person("Aylin"),
            programme::today(),
        )
        .await
        .unwrap();
    phone.wait_text(".partner-name", "Sanne").await;
    mentor.wait_text(".partner-name", "Aylin").await;

    // On her phone she plans the first meeting and writes in its shared notes.
    phone.set_value("#home-date", &in_days(7).to_string()).await;
    phone.set_value("#home-time", "14:30").await;
    phone.set_value("#home-place", "Bibliotheek").await;
    phone.click("#home-plan").await;
    phone
        .wait_text("#next-meeting", "Cultuur van de opleiding")
        .await;
    phone.screenshot("web-home", 360, 740).await;
    phone.click("#open-next").await;
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
    mentor
        .wait_text("#next-meeting", "Cultuur van de opleiding")
        .await;
    mentor.click("#open-next").await;
    mentor
        .wait_text("#shared-notes", "Aylin: de eerste weken waren druk.")
        .await;

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
    phone.stop().await;
    mentor.stop().await;
}
