//! The real app in its real webview, driven through tauri-driver under Xvfb.

use mentoring::i18n::{has, t};
use mentoring::model::{Language, Role, Settings};
use system_tests::app::App;
use system_tests::{SyncServer, eventually, programme};

/// Accepts an invitation in the app, as a person would: name, code, look, accept.
async fn accept_in_app(app: &mut App, code: &str, name: &str) {
    app.type_into("#profile-name", name).await;
    app.click("#welcome-join").await;
    app.type_into("#join-code", code).await;
    app.click("#lookup-invitation").await;
    app.wait_text("#invitation", "vrijwillig").await;
    app.click("#accept-invitation").await;
    app.wait_for("#waiting-for-pair, .partner-name").await;
}

/// Sets up a programme in the app as Carla, with the server's setup key.
async fn set_up_programme(app: &mut App, server: &SyncServer, name: &str, school: &str) {
    app.type_into("#profile-name", "Carla").await;
    app.click("#welcome-coordinate").await;
    app.wait_text("#setup-server", "127.0.0.1").await;
    app.type_into("#setup-key", &programme::setup_key(server))
        .await;
    app.type_into("#setup-name", name).await;
    app.type_into("#setup-school", school).await;
    app.assert_accessible("setting up a programme").await;
    app.click("#create-programme").await;
    app.wait_text("#programme-name", name).await;
}

/// Every translated label on screen shows its text in `language`; none is missing.
async fn assert_labels_in(app: &App, language: Language) -> usize {
    let labels = app.labels().await;
    for (key, shown, with_values) in &labels {
        assert!(has(key), "a label uses the unknown key {key}");
        let want = t(language, key);
        if *with_values {
            let fixed = want.split('{').next().unwrap_or_default().trim_end();
            assert!(
                shown.starts_with(fixed),
                "{key}: {shown:?} does not start with {fixed:?}"
            );
        } else {
            assert_eq!(
                shown.trim(),
                want.trim(),
                "label {key} is not in {language:?}"
            );
        }
    }
    let body = app.body_text().await;
    assert!(!body.contains('⟦'), "untranslated key on screen:\n{body}");
    labels.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_shows_its_first_screen_and_live_sync_status() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let mut app = App::start(&tmp.path().join("mentor"), Some(&server.url())).await;

    assert_eq!(app.text(".brand").await, "Peer Mentoring");
    app.wait_text("#welcome h2", "Welkom").await;
    // Not yet in a programme: nothing leaves the device.
    app.wait_attr("#sync-status", "data-state", "off").await;
    assert!(
        app.text("#sync-status")
            .await
            .contains("Alleen op dit apparaat")
    );
    app.assert_accessible("the welcome screen").await;

    // Once she joined a programme, the device syncs, and shows it.
    let (coordinator, programme) = programme::coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let code = coordinator
        .session
        .invite(&programme, Role::Mentor, "Sanne", "", 14)
        .await
        .unwrap()
        .code;
    accept_in_app(&mut app, &code, "Sanne").await;
    app.wait_attr("#sync-status", "data-state", "synced").await;
    assert!(app.text("#sync-status").await.contains("Gesynchroniseerd"));
    app.screenshot("first-screen-synced-1280x800", 1280, 800)
        .await;

    server.stop();
    app.wait_attr("#sync-status", "data-state", "offline").await;
    assert!(app.text("#sync-status").await.contains("Offline"));

    server.restart().await;
    app.wait_attr("#sync-status", "data-state", "synced").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_opens_offline_in_dutch_and_every_label_switches_to_english() {
    let tmp = tempfile::tempdir().unwrap();
    // No server at all: a first launch on a phone without network.
    let mut app = App::start(&tmp.path().join("mentee"), None).await;
    app.wait_text("#welcome", "Welkom bij Peer Mentoring").await;
    app.wait_attr("#sync-status", "data-state", "off").await;
    app.click("#welcome-demo").await;

    app.wait_for("#demo-badge").await;
    app.wait_text("#next-meeting", "Open de afspraak").await;
    app.wait_text("#past-notes", "herkenbaar").await;
    let dutch = assert_labels_in(&app, Language::Nl).await;
    assert!(dutch > 30, "only {dutch} labels on the mentee home");
    assert!(app.body_text().await.contains("Cultuur van de opleiding"));
    app.screenshot("mentee-home-360x740", 360, 740).await;
    app.screenshot("mentee-home-1280x800", 1280, 800).await;
    app.assert_accessible("the mentee's home (demo)").await;

    app.click("#open-next").await;
    app.wait_for("#shared-notes").await;
    app.wait_text("#step-ask", "ervaring").await;
    assert_labels_in(&app, Language::Nl).await;
    app.screenshot("meeting-view-360x740", 360, 740).await;
    app.screenshot("meeting-view-1280x800", 1280, 800).await;
    app.assert_accessible("a meeting (mentee, demo)").await;

    // Switch to English on the meeting screen, then on the home screen.
    app.click("#language-switch").await;
    app.wait_text("#language-switch", "Nederlands").await;
    app.wait_text("#flow", "Then you tell about your experience")
        .await;
    assert_labels_in(&app, Language::En).await;
    app.click("#back-home").await;
    app.wait_text("#next-meeting", "Open the meeting").await;
    app.wait_text("#ahead", "Culture of the programme").await;
    let english = assert_labels_in(&app, Language::En).await;
    assert_eq!(english, dutch, "the same labels in both languages");
    app.assert_accessible("the mentee's home in English").await;
    app.stop().await;

    // The choice of language is remembered.
    let mut again = App::start(&tmp.path().join("mentee"), None).await;
    again.wait_text("#next-meeting", "Open the meeting").await;
    again.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mentor_sees_her_mentee_what_is_due_and_what_is_overdue() {
    let tmp = tempfile::tempdir().unwrap();
    let mut app = App::start(&tmp.path().join("mentor"), None).await;
    app.type_into("#profile-name", "Sanne").await;
    app.click("#role-mentor").await;
    app.click("#welcome-demo").await;
    app.wait_for("#demo-badge").await;
    app.wait_text(".partner-name", "Aylin (demo)").await;
    app.wait_for("#attention").await;
    app.wait_for("#invite").await;
    assert_labels_in(&app, Language::Nl).await;
    app.screenshot("mentor-home-360x740", 360, 740).await;
    app.screenshot("mentor-home-1280x800", 1280, 800).await;
    app.assert_accessible("the mentor's home (demo)").await;
    app.click("#invite").await;
    app.wait_for("#invite-page").await;
    app.assert_accessible("the first contact with her mentee")
        .await;
    app.click("#back-home").await;
    app.click("#preparation").await;
    app.wait_for("#preparation-page").await;
    app.assert_accessible("the mentors' preparation").await;
    app.click("#back-home").await;

    // Mark the planned meeting undone in time: move its date past its window and see it flagged.
    app.click("#meetings li[data-status='planned'] button")
        .await;
    app.wait_for("#meeting-date").await;
    app.set_value("#meeting-date", "2031-01-07").await;
    app.wait_attr("#meeting-date", "value", "2031-01-07").await;
    app.assert_accessible("a meeting (mentor, demo)").await;
    app.click("#back-home").await;
    app.wait_for("#attention li[data-attention='late']").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_refuses_bad_invitation_codes_and_a_bad_date_in_dutch() {
    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let (coordinator, programme) = programme::coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let code = coordinator
        .session
        .invite(&programme, Role::Mentee, "Aylin", "", 14)
        .await
        .unwrap()
        .code;
    let mut app = App::start(&tmp.path().join("mentee"), Some(&server.url())).await;
    app.click("#welcome-join").await;
    app.wait_text("#join-server", "127.0.0.1").await;
    app.type_into("#join-code", "HALLO").await;
    app.click("#lookup-invitation").await;
    app.wait_text("#error", "Dit is geen uitnodigingscode")
        .await;
    app.assert_accessible("joining, with an error shown").await;

    // One symbol off: caught before anything is sent.
    let mut typo = code.clone();
    let last = typo.pop().unwrap();
    typo.push(if last == '0' { '1' } else { '0' });
    app.set_value("#join-code", &typo).await;
    app.click("#lookup-invitation").await;
    app.wait_text("#error", "verkeerd overgetypt").await;

    // The right code shows the programme; declining keeps nothing.
    app.set_value("#join-code", &code).await;
    app.click("#lookup-invitation").await;
    app.wait_text("#invitation", "Peer mentoring HBO-ICT").await;
    app.wait_text("#invitation", "vrijwillig").await;
    app.assert_accessible("joining, the invitation shown").await;
    app.click("#decline-invitation").await;
    app.wait_for("#declined").await;
    app.click("#lookup-invitation").await;
    app.wait_text("#error", "afgeslagen").await;
    assert_labels_in(&app, Language::Nl).await;

    // In the demo, a meeting with an impossible date is refused.
    app.click("#back-home").await;
    app.click("#open-demo").await;
    app.wait_for("#demo-badge").await;
    app.click("#meetings li:last-child button").await;
    app.wait_for("#next-plan").await;
    app.set_value("#next-date", "2027-02-31").await;
    app.click("#next-plan").await;
    app.wait_text("#error", "geen geldige datum").await;
    app.stop().await;
}

/// A day `days` from today, as the date inputs want it.
fn in_days(days: i64) -> chrono::NaiveDate {
    chrono::Local::now().date_naive() + chrono::Duration::days(days)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mentor_and_mentee_work_offline_and_see_each_other_after_sync() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let mut mentor = App::start(&tmp.path().join("mentor"), Some(&server.url())).await;
    let mut mentee = App::start(&tmp.path().join("mentee"), Some(&server.url())).await;

    // Online: the coordinator (on her own device) invites both; each accepts in her own app; the
    // coordinator pairs them and both apps find their pair.
    let (coordinator, programme) = programme::coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    for (app, role, name) in [
        (&mut mentor, Role::Mentor, "Sanne"),
        (&mut mentee, Role::Mentee, "Aylin"),
    ] {
        let code = coordinator
            .session
            .invite(&programme, role, name, "", 14)
            .await
            .unwrap()
            .code;
        accept_in_app(app, &code, name).await;
    }
    programme::pair_by_name(&coordinator, &programme, "Sanne", "Aylin").await;
    mentee.wait_text(".partner-name", "Sanne").await;
    mentor.wait_text(".partner-name", "Aylin").await;

    // The mentor plans meeting 1; it reaches the mentee.
    let first = in_days(7);
    mentor.set_value("#home-date", &first.to_string()).await;
    mentor.set_value("#home-time", "14:30").await;
    mentor.set_value("#home-place", "Bibliotheek").await;
    mentor.click("#home-plan").await;
    mentor
        .wait_text("#next-meeting", "Cultuur van de opleiding")
        .await;
    mentee
        .wait_text("#next-meeting", "Cultuur van de opleiding")
        .await;
    mentor
        .wait_attr("#sync-status", "data-state", "synced")
        .await;
    mentee
        .wait_attr("#sync-status", "data-state", "synced")
        .await;

    // Offline: the server is gone.
    server.stop();
    mentor
        .wait_attr("#sync-status", "data-state", "offline")
        .await;
    mentee
        .wait_attr("#sync-status", "data-state", "offline")
        .await;

    // The mentor holds meeting 1: notes, the "ask her" step, held, and plans meeting 2.
    mentor.click("#open-next").await;
    mentor
        .type_into("#shared-notes", "Sanne: mijn eerste weken waren druk.")
        .await;
    mentor.click("#asked").await;
    mentor
        .wait_attr("#shared-notes ~ .save-state", "data-state", "saved")
        .await;
    mentor.click("#mark-held").await;
    mentor
        .wait_attr("#meeting-status", "data-status", "held")
        .await;
    let second = in_days(21);
    mentor.set_value("#next-date", &second.to_string()).await;
    mentor.set_value("#next-time", "15:00").await;
    mentor.set_value("#next-place", "Kantine").await;
    mentor.click("#next-plan").await;
    mentor
        .wait_text("#next-planned", "Docenten en medestudenten")
        .await;

    // The mentee, also offline, writes in the same notes and adds a goal.
    mentee.click("#open-next").await;
    mentee
        .type_into(
            "#shared-notes",
            "Aylin: bij mij ook, vooral het groepswerk!",
        )
        .await;
    mentee
        .type_into("#goal-text", "Eén vraag stellen in het practicum")
        .await;
    mentee.click("#add-goal").await;
    mentee
        .wait_text("#meeting-goals", "Eén vraag stellen in het practicum")
        .await;
    mentee
        .wait_attr("#shared-notes ~ .save-state", "data-state", "saved")
        .await;
    mentee.wait_text("#sync-status", "nog niet verstuurd").await;
    mentor.wait_text("#sync-status", "nog niet verstuurd").await;

    // The server comes back: both apps show both texts, the goal and the planned meeting,
    // without a restart.
    server.restart().await;
    for app in [&mut mentor, &mut mentee] {
        app.wait_attr("#sync-status", "data-state", "synced").await;
        app.wait_text("#shared-notes", "Sanne: mijn eerste weken waren druk.")
            .await;
        app.wait_text(
            "#shared-notes",
            "Aylin: bij mij ook, vooral het groepswerk!",
        )
        .await;
        app.wait_text("#meeting-goals", "Eén vraag stellen in het practicum")
            .await;
        app.wait_text("#next-planned", "Docenten en medestudenten")
            .await;
        app.wait_attr("#meeting-status", "data-status", "held")
            .await;
    }
    mentee.click("#back-home").await;
    mentee
        .wait_text("#next-meeting", "Docenten en medestudenten")
        .await;
    mentee.wait_text("#past-notes", "Aylin: bij mij ook").await;

    // Meeting 2 goes into a calendar file that an independent parser reads at 15:00 Amsterdam time.
    mentor.click("#back-home").await;
    mentor.click("#open-next").await;
    mentor
        .wait_text("#meeting-title", "Docenten en medestudenten")
        .await;
    mentor.click("#export-meeting").await;
    let path = mentor.text("#export-result code").await;
    let ics = std::fs::read_to_string(&path).expect("the exported calendar file");
    let calendar: icalendar::Calendar = icalendar::parser::unfold(&ics)
        .parse()
        .expect("a valid calendar");
    let event = calendar
        .components
        .iter()
        .find_map(|c| c.as_event())
        .expect("one event");
    use icalendar::{Component, EventLike};
    let Some(icalendar::DatePerhapsTime::DateTime(start)) = event.get_start() else {
        panic!("the event has a start time: {ics}");
    };
    let icalendar::CalendarDateTime::WithTimezone { date_time, tzid } = &start else {
        panic!("the start is in a named time zone: {start:?}");
    };
    assert_eq!(tzid, "Europe/Amsterdam");
    assert_eq!(*date_time, second.and_hms_opt(15, 0, 0).unwrap());
    let utc = start
        .try_into_utc()
        .expect("the tz database knows Europe/Amsterdam");
    let local = utc.with_timezone(&chrono_tz::Europe::Amsterdam);
    assert_eq!(local.naive_local(), second.and_hms_opt(15, 0, 0).unwrap());
    assert!(
        matches!(chrono::Timelike::hour(&utc), 13 | 14),
        "15:00 in Amsterdam is 13:00 or 14:00 UTC, not {utc}"
    );
    assert_eq!(
        event
            .get_summary()
            .map(|s| s.contains("Docenten en medestudenten")),
        Some(true)
    );
    assert_eq!(event.get_location(), Some("Kantine"));

    mentor.stop().await;
    mentee.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_sets_up_a_programme_invites_and_pairs_in_the_app() {
    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let mut coordinator = App::start(&tmp.path().join("coordinator"), Some(&server.url())).await;
    let mut mentor = App::start(&tmp.path().join("mentor"), Some(&server.url())).await;
    let mut mentee = App::start(&tmp.path().join("mentee"), Some(&server.url())).await;

    // The coordinator sets up the programme with the server's setup key.
    set_up_programme(
        &mut coordinator,
        &server,
        "Peer mentoring HBO-ICT",
        "Hogeschool Windesheim, HBO-ICT",
    )
    .await;

    // She invites a mentor and a mentee; the codes come from her screen.
    coordinator.click("#tab-people").await;
    coordinator.type_into("#invite-name", "Sanne").await;
    coordinator
        .type_into("#invite-email", "sanne@student.example.nl")
        .await;
    coordinator.click("#send-invitation").await;
    let mentor_code = coordinator.text("#invite-code").await;
    assert_eq!(mentor_code.len(), 16, "{mentor_code}");
    coordinator
        .assert_accessible("the coordinator's people, an invitation made")
        .await;
    assert!(
        coordinator
            .text("#invite-link")
            .await
            .contains(&format!("/join/{mentor_code}"))
    );
    coordinator.set_value("#invite-role", "mentee").await;
    coordinator
        .wait_text("#template-subject", "Een mentor voor je eerste jaar")
        .await;
    coordinator.type_into("#invite-name", "Aylin").await;
    coordinator.click("#send-invitation").await;
    let coordinator_client = coordinator.client.clone();
    system_tests::eventually(std::time::Duration::from_secs(20), "a second code", || {
        let client = coordinator_client.clone();
        let first = mentor_code.clone();
        async move {
            match client.find(fantoccini::Locator::Css("#invite-code")).await {
                Ok(el) => el.text().await.is_ok_and(|t| !t.is_empty() && t != first),
                Err(_) => false,
            }
        }
    })
    .await;
    let mentee_code = coordinator.text("#invite-code").await;
    coordinator.wait_text("#people", "Nog geen antwoord").await;

    // Both accept, each in her own app.
    accept_in_app(&mut mentor, &mentor_code, "Sanne").await;
    accept_in_app(&mut mentee, &mentee_code, "Aylin").await;

    // The coordinator sees them accept, pairs them from the suggestions, and the mentor sees
    // her mentee.
    coordinator.click("#refresh-status").await;
    coordinator.wait_text("#people", "Doet mee").await;
    coordinator.click("#tab-pairing").await;
    coordinator.click(".mentee-choice").await;
    coordinator.wait_text("#suggestions", "Sanne").await;
    coordinator.wait_text("#suggestions", "plek").await;
    coordinator
        .assert_accessible("the coordinator's pairing, with suggestions")
        .await;
    coordinator.click(".suggestion .pair-button").await;
    mentor.wait_text(".partner-name", "Aylin").await;
    mentee.wait_text(".partner-name", "Sanne").await;
    mentor.assert_accessible("the mentor's home").await;
    mentee.assert_accessible("the mentee's home").await;

    // The dashboard shows the pair, with no meeting yet.
    coordinator.click("#tab-overview").await;
    coordinator.wait_text("#pairs", "Sanne").await;
    coordinator.wait_text("#pairs", "Aylin").await;
    coordinator.wait_for("#pairs .no-meeting").await;
    assert_labels_in(&coordinator, Language::Nl).await;
    coordinator
        .screenshot("coordinator-dashboard-1280x800", 1280, 800)
        .await;
    coordinator
        .screenshot("coordinator-dashboard-360x740", 360, 740)
        .await;
    coordinator
        .assert_accessible("the coordinator's overview")
        .await;

    // The mentee writes to the contact person; the coordinator sees it waiting, and answers.
    mentee.click("#open-contact").await;
    mentee.set_value("#contact-about", "pair").await;
    mentee
        .type_into("#contact-text", "Kunnen we de eerste afspraak verzetten?")
        .await;
    mentee.click("#contact-send").await;
    mentee
        .wait_text("#contact-messages", "Zorg over mijn duo")
        .await;
    wait_long(&coordinator, ".contact-thread[data-unanswered='true']").await;
    coordinator
        .assert_accessible("the coordinator's overview with a question waiting")
        .await;
    coordinator
        .type_into(".contact-answer", "Ja, overleg het met Sanne.")
        .await;
    coordinator.click(".answer-contact").await;
    coordinator
        .wait_for(".contact-thread[data-unanswered='false']")
        .await;
    wait_long_text(&mentee, "#contact-messages", "Ja, overleg het met Sanne.").await;
    mentee.click("#back-home").await;
    for (tab, screen) in [
        ("#tab-setup", "#programme-end"),
        ("#tab-circles", "#new-circle"),
        ("#tab-evaluation", "#evaluation-summary"),
    ] {
        coordinator.click(tab).await;
        coordinator.wait_for(screen).await;
        coordinator
            .assert_accessible(&format!("the coordinator's tab {tab}"))
            .await;
    }
    coordinator.click("#tab-pairing").await;
    coordinator
        .screenshot("coordinator-pairing-1280x800", 1280, 800)
        .await;
    for app in [coordinator, mentor, mentee] {
        app.stop().await;
    }
}

/// Invites someone from the coordinator's People tab; returns the code her screen shows.
async fn invite_in_app(app: &mut App, role: &str, name: &str, previous: &str) -> String {
    app.set_value("#invite-role", role).await;
    app.type_into("#invite-name", name).await;
    app.click("#send-invitation").await;
    let client = app.client.clone();
    system_tests::eventually(std::time::Duration::from_secs(20), "a new code", || {
        let client = client.clone();
        let previous = previous.to_owned();
        async move {
            match client.find(fantoccini::Locator::Css("#invite-code")).await {
                Ok(el) => el
                    .text()
                    .await
                    .is_ok_and(|t| !t.is_empty() && t != previous),
                Err(_) => false,
            }
        }
    })
    .await;
    app.text("#invite-code").await
}

/// Ticks a checkbox and waits until the screen shows it ticked (the list re-renders after each).
async fn tick(app: &mut App, css: &str) {
    let script = "const el = document.querySelector(arguments[0]); return !!(el && el.checked);";
    for _ in 0..3 {
        app.click(css).await;
        let client = app.client.clone();
        let ticked = tokio::time::timeout(std::time::Duration::from_secs(5), async {
            loop {
                if client
                    .execute(script, vec![css.into()])
                    .await
                    .is_ok_and(|v| v.as_bool() == Some(true))
                {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        })
        .await;
        if ticked.is_ok() {
            return;
        }
    }
    panic!("{css} does not stay ticked");
}

/// Waits up to a minute for `css` (e.g. until a device reconnected and synced).
async fn wait_long_text(app: &App, css: &str, needle: &str) {
    let client = app.client.clone();
    system_tests::eventually(
        std::time::Duration::from_secs(90),
        &format!("{css} says {needle:?}"),
        || {
            let client = client.clone();
            async move {
                match client.find(fantoccini::Locator::Css(css)).await {
                    Ok(el) => el.text().await.is_ok_and(|t| t.contains(needle)),
                    Err(_) => false,
                }
            }
        },
    )
    .await;
}

async fn wait_long(app: &App, css: &str) {
    let client = app.client.clone();
    system_tests::eventually(std::time::Duration::from_secs(60), css, || {
        let client = client.clone();
        async move { client.find(fantoccini::Locator::Css(css)).await.is_ok() }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_circle_meets_three_times_attendance_is_taken_offline_and_a_student_gets_her_certificate()
{
    use chrono::NaiveDate;
    use system_tests::programme::Person;

    let tmp = tempfile::tempdir().unwrap();
    let mut server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let mut coordinator = App::start(&tmp.path().join("coordinator"), Some(&server.url())).await;
    let mut teacher = App::start(&tmp.path().join("teacher"), Some(&server.url())).await;
    let mut noor = App::start(&tmp.path().join("noor"), Some(&server.url())).await;

    // The school's contact person sets up the programme and invites everyone.
    set_up_programme(
        &mut coordinator,
        &server,
        "Meer meisjes in mbo Techniek",
        "ROC Midden Nederland",
    )
    .await;
    coordinator.click("#tab-people").await;
    let mut code = String::new();
    let mut codes = Vec::new();
    for (role, name) in [
        ("student", "Noor"),
        ("facilitator", "Marieke"),
        ("student", "Fatima"),
        ("student", "Lisa"),
        ("student", "Emma"),
        ("student", "Yara"),
        ("student", "Sanne"),
        ("professional", "Ingrid"),
        ("professional", "Priya"),
    ] {
        code = invite_in_app(&mut coordinator, role, name, &code).await;
        codes.push((name, code.clone()));
    }
    coordinator
        .wait_text("#template-subject", "Mentoring Circle")
        .await;

    // Noor and the teacher accept in their apps; the others on their own devices.
    accept_in_app(&mut noor, &codes[0].1, "Noor").await;
    accept_in_app(&mut teacher, &codes[1].1, "Marieke").await;
    let mut others = Vec::new();
    for (name, code) in &codes[2..] {
        let person = Person::new(&tmp.path().join(name.to_lowercase())).await;
        // The server throttles code attempts from one address; wait as it asks.
        loop {
            match person
                .session
                .accept_invitation(server.url().as_str(), code, name)
                .await
            {
                Ok(_) => break,
                Err(e) if e.code() == "too_many_attempts" => {
                    tokio::time::sleep(std::time::Duration::from_millis(1100)).await
                }
                Err(e) => panic!("{name} accepts: {e}"),
            }
        }
        others.push(person);
    }

    // She forms the circle: the app warns while it is too small, not once it is right.
    coordinator.click("#refresh-status").await;
    coordinator.wait_text("#people", "Doet mee").await;
    coordinator.click("#tab-circles").await;
    coordinator
        .type_into("#circle-name", "Circle Techniek")
        .await;
    for name in ["Noor", "Fatima", "Lisa", "Emma"] {
        tick(
            &mut coordinator,
            &format!(".choose-student[data-name='{name}']"),
        )
        .await;
    }
    tick(&mut coordinator, ".choose-professional[data-name='Ingrid']").await;
    coordinator
        .wait_text("#circle-warnings", "minstens 5")
        .await;
    coordinator
        .wait_text("#circle-warnings", "minstens 2")
        .await;
    for name in ["Yara", "Sanne"] {
        tick(
            &mut coordinator,
            &format!(".choose-student[data-name='{name}']"),
        )
        .await;
    }
    tick(&mut coordinator, ".choose-professional[data-name='Priya']").await;
    tick(&mut coordinator, ".choose-teacher[data-name='Marieke']").await;
    assert_eq!(coordinator.text("#circle-warnings").await.trim(), "");
    coordinator.click("#create-circle").await;
    coordinator
        .wait_text(".circle-row", "6 Studentes, 2 Vakvrouwen")
        .await;

    // The teacher plans the year's three sessions; a fourth needs a reason.
    wait_long(&teacher, ".circle-home").await;
    let year = mentoring::guide::academic_year_of(programme::today());
    let dates = [
        NaiveDate::from_ymd_opt(year, 9, 15).unwrap(),
        NaiveDate::from_ymd_opt(year + 1, 1, 12).unwrap(),
        NaiveDate::from_ymd_opt(year + 1, 5, 11).unwrap(),
    ];
    teacher.click("#plan-session-open").await;
    for (i, date) in dates.iter().enumerate() {
        teacher.set_value("#session-date", &date.to_string()).await;
        if i == 1 {
            teacher.set_value("#session-host", "").await;
            teacher
                .type_into("#session-school-reason", "reistijd")
                .await;
        }
        teacher.click("#plan-session").await;
        teacher
            .wait_for(&format!(".session-card[data-number='{}']", i + 1))
            .await;
        // The form empties once the app has the answer (which may come after the card showed up
        // through sync): only then is it ready for the next date.
        teacher.wait_value("#session-date", "").await;
    }
    teacher
        .set_value("#session-date", &dates[2].to_string())
        .await;
    teacher.click("#plan-session").await;
    teacher.wait_text("#error", "al 3 bijeenkomsten").await;
    teacher
        .wait_text(".session-card[data-number='1']", "VHTO")
        .await;
    teacher
        .wait_text(".session-card[data-number='2']", "Marieke")
        .await;

    // With the server gone, she takes attendance at each session and closes it.
    server.stop();
    let students = ["Noor", "Fatima", "Lisa", "Emma", "Yara", "Sanne"];
    for n in 1..=3 {
        teacher
            .click(&format!(".session-card[data-number='{n}'] .open-session"))
            .await;
        teacher.wait_for("#agenda").await;
        for name in students {
            tick(&mut teacher, &format!(".attend[data-name='{name}']")).await;
        }
        if n == 1 {
            teacher
                .screenshot("circle-session-teacher-360x740", 360, 740)
                .await;
            teacher
                .assert_accessible("a circle session, attendance taken")
                .await;
        }
        teacher.click("#mark-session-held").await;
        teacher.wait_for("#session-held").await;
        teacher.click("#back-home").await;
        teacher.wait_for(".circle-home").await;
    }
    teacher.wait_text("#sync-status", "Offline").await;

    // Back online, it syncs; Noor downloads her certificate, made on her device.
    server.restart().await;
    wait_long(&noor, "#download-certificate").await;
    noor.wait_text(".session-card[data-number='3']", "Jij was erbij")
        .await;
    noor.screenshot("circle-student-360x740", 360, 740).await;
    noor.assert_accessible("a circle student's home").await;
    noor.click("#download-certificate").await;
    let path = std::path::PathBuf::from(noor.text("#certificate-saved").await);
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Noor"), "{text}");
    for date in dates {
        let label = mentoring::i18n::format_date(Language::Nl, date);
        assert!(text.contains(&label), "{label} not in {text}");
    }
    let png = system_tests::app::screenshot_dir().join("certificate-page1");
    let rendered = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(&png)
        .status()
        .expect("pdftoppm");
    assert!(rendered.success());

    // The coordinator sees the sessions held and who came, not what was said.
    coordinator
        .wait_text(".circle-row", "3 van 3 bijeenkomsten gehouden")
        .await;
    coordinator
        .wait_text(".circle-row", "6 van 6 studentes aanwezig")
        .await;
    assert_labels_in(&coordinator, Language::Nl).await;
    coordinator
        .screenshot("coordinator-circles-1280x800", 1280, 800)
        .await;
    coordinator
        .assert_accessible("the coordinator's circles, with sessions")
        .await;
    for app in [coordinator, teacher, noor] {
        app.stop().await;
    }
    drop(others);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn she_links_her_phone_with_a_code_and_removes_it_again() {
    use fantoccini::Locator;

    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let mut laptop = App::start(&tmp.path().join("laptop"), Some(&server.url())).await;
    let mut phone = App::start(&tmp.path().join("phone"), Some(&server.url())).await;
    let (coordinator, programme) = programme::coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let code = coordinator
        .session
        .invite(&programme, Role::Mentee, "Aylin", "", 14)
        .await
        .unwrap()
        .code;
    accept_in_app(&mut laptop, &code, "Aylin").await;

    // On her laptop: her devices, and a linking code for the new one.
    laptop.click("#open-devices").await;
    laptop.wait_text("#device-list", "dit apparaat").await;
    assert_eq!(
        laptop
            .client
            .find_all(Locator::Css("#device-list .device"))
            .await
            .unwrap()
            .len(),
        1
    );
    laptop.click("#make-link-code").await;
    laptop.wait_for("#link-code").await;
    let link_code = laptop.text("#link-code").await;
    assert!(link_code.len() >= 8, "a linking code: {link_code:?}");
    assert_labels_in(&laptop, Language::Nl).await;

    // On her phone: a wrong code first, in Dutch; then the right one.
    phone.click("#welcome-join").await;
    phone.wait_text("#join-server", "127.0.0.1").await;
    let unknown = mentoring::codes::display(&mentoring::codes::new_code());
    phone.type_into("#link-device-code", &unknown).await;
    phone.type_into("#link-device-label", "Telefoon").await;
    phone.click("#join-as-device").await;
    phone.wait_text("#error", "koppelcode").await;
    phone.set_value("#link-device-code", &link_code).await;
    phone.click("#join-as-device").await;
    phone.wait_for("#waiting-for-pair").await;
    phone
        .wait_attr("#sync-status", "data-state", "synced")
        .await;

    // Her laptop lists the phone; she removes it, and the phone gets nothing more.
    laptop.click("#refresh-devices").await;
    laptop.wait_text("#device-list", "Telefoon").await;
    laptop.click(".remove-device").await;
    eventually(
        std::time::Duration::from_secs(20),
        "the phone is gone from her list",
        || {
            let client = laptop.client.clone();
            async move {
                let Ok(list) = client.find(Locator::Css("#device-list")).await else {
                    return false;
                };
                let text = list.text().await.unwrap_or_default();
                text.contains("dit apparaat") && !text.contains("Telefoon")
            }
        },
    )
    .await;
    phone
        .wait_attr("#sync-status", "data-state", "refused")
        .await;
    laptop
        .wait_attr("#sync-status", "data-state", "synced")
        .await;
    laptop.stop().await;
    phone.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_shown_as_saved_survives_the_app_being_killed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mentor");
    let mut app = App::start(&dir, None).await;
    app.type_into("#profile-name", "Sanne").await;
    app.click("#role-mentor").await;
    app.click("#welcome-demo").await;
    app.wait_for("#demo-badge").await;
    app.click("#meetings li[data-status='planned'] button")
        .await;
    app.wait_for("#shared-notes").await;
    app.type_into("#shared-notes", " Vlak voor de crash.").await;
    app.wait_attr("#shared-notes ~ .save-state", "data-state", "saved")
        .await;
    // The moment the screen says saved, the app is killed.
    app.kill_app();

    let mut app = App::start(&dir, None).await;
    app.wait_for("#demo-badge").await;
    app.click("#meetings li[data-status='planned'] button")
        .await;
    app.wait_text("#shared-notes", "Vlak voor de crash.").await;
    app.stop().await;
}

/// Every file under `dir`, as bytes.
fn bytes_under(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            bytes.extend(bytes_under(&path));
        } else {
            bytes.extend(std::fs::read(&path).unwrap_or_default());
        }
    }
    bytes
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mentee_downloads_her_data_and_then_erases_it_in_the_app() {
    const NAME: &str = "Zoë Łukasiewicz";
    const PRIVATE: &str = "Alleen voor mij: appelflap-barometer";
    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let data_dir = tmp.path().join("mentee");
    let mut app = App::start(&data_dir, Some(&server.url())).await;
    let (coordinator, programme) = programme::coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let mentor = programme::participant(
        &tmp.path().join("mentor"),
        &server,
        &coordinator,
        &programme,
        Role::Mentor,
        "Sanne",
    )
    .await;
    let code = coordinator
        .session
        .invite(&programme, Role::Mentee, NAME, "zoe@student.example", 14)
        .await
        .unwrap()
        .code;
    accept_in_app(&mut app, &code, NAME).await;
    let group = programme::pair_by_name(&coordinator, &programme, "Sanne", NAME).await;
    app.wait_text(".partner-name", "Sanne").await;
    eventually(
        std::time::Duration::from_secs(20),
        "the pair reaches the mentor",
        || async { mentor.session.sync_directory().await.is_ok() && mentor.device.has(&group) },
    )
    .await;
    let meeting = mentor
        .session
        .plan_meeting(&group, &in_days(7).to_string(), "14:30", "Bibliotheek")
        .await
        .unwrap();
    app.wait_text("#next-meeting", "Cultuur van de opleiding")
        .await;

    // She writes her own notes for the meeting.
    app.click("#open-next").await;
    app.type_into("#private-notes", PRIVATE).await;
    app.wait_attr("#private-notes ~ .save-state", "data-state", "saved")
        .await;
    app.wait_attr("#sync-status", "data-state", "synced").await;

    // She downloads her data: one zip she can read without the app.
    app.assert_accessible("a meeting (mentee)").await;
    app.click("#back-home").await;
    // She asks the contact person something, from her home.
    app.click("#open-contact").await;
    app.type_into("#contact-text", "Mag ik van mentor wisselen?")
        .await;
    app.click("#contact-send").await;
    app.wait_text("#contact-messages", "Mag ik van mentor wisselen?")
        .await;
    app.assert_accessible("the line to the contact person")
        .await;
    app.click("#back-home").await;
    app.click("#open-profile").await;
    app.wait_for("#profile-page").await;
    app.assert_accessible("her profile").await;
    app.click("#back-home").await;
    app.click("#open-evaluation").await;
    app.wait_for("#evaluation-page").await;
    app.assert_accessible("her evaluation").await;
    app.click("#back-home").await;
    app.click("#open-devices").await;
    app.wait_for("#my-data").await;
    app.assert_accessible("her devices and her data").await;
    app.click("#export-my-data").await;
    app.wait_for("#export-my-data-result").await;
    let exports = data_dir.with_extension("exports");
    let zip_path = std::fs::read_dir(&exports)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "zip"))
        .expect("the archive is in her downloads");
    assert!(
        zip_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("mijn-gegevens-")
    );
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut readable = String::new();
    let mut names = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        if name.ends_with(".md") {
            std::io::Read::read_to_string(&mut file, &mut readable).unwrap();
        }
        names.push(name);
    }
    assert!(names.contains(&"README.md".to_owned()), "{names:?}");
    assert!(
        names.iter().any(|n| n.ends_with("-private.automerge")),
        "{names:?}"
    );
    assert!(readable.contains(PRIVATE), "her own notes, readable");
    assert!(readable.contains(NAME), "her name as she entered it");
    assert!(readable.contains("Bibliotheek"), "the pair's meeting");
    assert!(
        readable.contains("Mag ik van mentor wisselen?"),
        "her messages with the contact person"
    );

    // Before: her device holds her name and notes (the scan would find them).
    assert!(holds(&bytes_under(&data_dir), PRIVATE));
    // She erases everything; the app starts again at its first screen.
    assert!(
        app.client
            .find(fantoccini::Locator::Css("#erase-my-data"))
            .await
            .unwrap()
            .prop("disabled")
            .await
            .unwrap()
            .is_some_and(|d| d == "true"),
        "erasing waits until she ticked that she understands"
    );
    app.click("#erase-understood").await;
    app.click("#erase-my-data").await;
    app.wait_for("#welcome").await;
    app.assert_accessible("the first screen after erasing")
        .await;
    let left = bytes_under(&data_dir);
    assert!(!holds(&left, PRIVATE), "her notes are gone from the device");
    assert!(!holds(&left, NAME), "her name is gone from the device");

    // Her mentor keeps the pair and sees that she left.
    mentor.session.sync_directory().await.unwrap();
    let page = mentor
        .session
        .meeting_page(&group, &meeting, programme::today())
        .await
        .unwrap();
    assert_eq!(page.partner, "Heeft het programma verlaten");
    app.stop().await;
}

/// Tabs (up to 60 times) until the element with id `id` has the focus.
async fn tab_to(app: &mut App, id: &str) {
    tab_until(app, id, "\u{E004}").await;
}

/// Tabs backwards (Shift+Tab) until the element with id `id` has the focus.
async fn tab_back_to(app: &mut App, id: &str) {
    tab_until(app, id, "\u{E008}\u{E004}\u{E000}").await;
}

async fn tab_until(app: &mut App, id: &str, keys: &str) {
    for _ in 0..60 {
        let focused = app
            .client
            .execute(
                "return document.activeElement ? document.activeElement.id : ''",
                vec![],
            )
            .await
            .unwrap();
        if focused.as_str() == Some(id) {
            return;
        }
        app.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }
    panic!("#{id} cannot be reached with the Tab key");
}

async fn press_enter(app: &mut App) {
    app.client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_flow_works_with_the_keyboard_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let mut app = App::start(&tmp.path().join("mentee"), None).await;
    app.wait_for("#welcome").await;
    // Her name, the demo, the next meeting, its notes: Tab, type, Enter, nothing else.
    tab_to(&mut app, "profile-name").await;
    app.client
        .active_element()
        .await
        .unwrap()
        .send_keys("Aylin")
        .await
        .unwrap();
    tab_to(&mut app, "welcome-demo").await;
    press_enter(&mut app).await;
    app.wait_for("#demo-badge").await;
    tab_to(&mut app, "open-next").await;
    press_enter(&mut app).await;
    app.wait_for("#shared-notes").await;
    tab_to(&mut app, "shared-notes").await;
    app.client
        .active_element()
        .await
        .unwrap()
        .send_keys(" Met het toetsenbord geschreven.")
        .await
        .unwrap();
    app.wait_attr("#shared-notes ~ .save-state", "data-state", "saved")
        .await;
    tab_back_to(&mut app, "back-home").await;
    press_enter(&mut app).await;
    app.wait_for("#next-meeting").await;
    app.stop().await;
}
