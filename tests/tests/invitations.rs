//! Invitations are voluntary and safe: an expired, reused, declined, withdrawn, mistyped or forged
//! code gets a clear message in Dutch and changes nothing; a burst of wrong codes is throttled.

use mentoring::client::ApiFailure;
use mentoring::codes;
use mentoring::i18n::t;
use mentoring::model::{Language, Role, Settings};
use mentoring::session::ActionError;
use system_tests::programme::{Person, coordinator, today};
use system_tests::{InProcessServer, SyncServer};

/// The Dutch message the app shows for an error.
fn dutch(e: &ActionError) -> String {
    t(Language::Nl, &format!("error.{}", e.code()))
}

async fn members(coordinator: &Person, programme: &str) -> usize {
    coordinator.session.refresh_status(programme).await.unwrap();
    coordinator
        .session
        .dashboard(programme, today())
        .await
        .unwrap()
        .people
        .iter()
        .filter(|p| p.state == "accepted")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_codes_get_a_clear_dutch_message_and_change_nothing_and_a_burst_is_throttled() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let (coordinator, programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let url = server.url().to_string();
    let invite = |name: &'static str| {
        let (session, programme) = (coordinator.session.clone(), programme.clone());
        async move {
            session
                .invite(&programme, Role::Mentee, name, "", 14)
                .await
                .unwrap()
                .code
        }
    };
    let aylin = Person::new(&tmp.path().join("aylin")).await;

    // The invitee sees what the programme is before deciding; looking changes nothing.
    let code = invite("Aylin").await;
    let view = aylin.session.lookup_invitation(&url, &code).await.unwrap();
    assert_eq!(view.programme_name, "Peer mentoring HBO-ICT");
    assert_eq!(view.coordinator_name, "Carla");
    assert!(
        view.purpose.iter().any(|p| p.contains("vrijwillig")),
        "{:?}",
        view.purpose
    );
    assert_eq!(members(&coordinator, &programme).await, 0);

    // Mistyped: caught on the device, before anything is sent.
    let mut typo = code.replace('-', "");
    let last = typo.pop().unwrap();
    typo.push(if last == '0' { '1' } else { '0' });
    let err = aylin
        .session
        .accept_invitation(&url, &typo, "Aylin")
        .await
        .unwrap_err();
    assert!(
        matches!(err, ActionError::Code(codes::CodeError::Mistyped)),
        "{err:?}"
    );
    assert!(
        dutch(&err).contains("verkeerd overgetypt"),
        "{}",
        dutch(&err)
    );
    let err = aylin
        .session
        .accept_invitation(&url, "HALLO", "Aylin")
        .await
        .unwrap_err();
    assert!(
        dutch(&err).starts_with("Dit is geen uitnodigingscode"),
        "{}",
        dutch(&err)
    );

    // Forged: well formed, right check symbol, never issued.
    let forged = codes::display(&codes::new_code());
    let err = aylin
        .session
        .accept_invitation(&url, &forged, "Aylin")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "code_unknown");
    assert!(dutch(&err).contains("bestaat niet"));

    // Used once, then again.
    aylin
        .session
        .accept_invitation(&url, &code, "Aylin")
        .await
        .unwrap();
    let noor = Person::new(&tmp.path().join("noor")).await;
    let err = noor
        .session
        .accept_invitation(&url, &code, "Noor")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "code_used");
    assert!(dutch(&err).contains("al gebruikt"));
    assert_eq!(members(&coordinator, &programme).await, 1, "only Aylin");

    // Declined, and withdrawn by the coordinator.
    let declined = invite("Fleur").await;
    noor.session
        .decline_invitation(&url, &declined)
        .await
        .unwrap();
    let err = noor
        .session
        .accept_invitation(&url, &declined, "Noor")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "code_declined");
    let withdrawn = invite("Sara").await;
    coordinator
        .session
        .refresh_status(&programme)
        .await
        .unwrap();
    let id = coordinator
        .session
        .dashboard(&programme, today())
        .await
        .unwrap()
        .people
        .iter()
        .find(|p| p.name == "Sara")
        .unwrap()
        .invitation
        .clone();
    coordinator
        .session
        .revoke_invitation(&programme, &id)
        .await
        .unwrap();
    let err = noor
        .session
        .accept_invitation(&url, &withdrawn, "Noor")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "code_revoked");
    assert!(dutch(&err).contains("ingetrokken"));

    // Expired: the invitation's last day passed yesterday (the clock is moved on the server's
    // data; long past, retention would have erased it, and the code would be unknown).
    let expiring = invite("Mila").await;
    server.stop();
    {
        let db = rusqlite::Connection::open(server.data_dir.join("sync-server.sqlite")).unwrap();
        let yesterday = (chrono::Utc::now() - chrono::Duration::days(1))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        db.execute(
            "UPDATE invitations SET expires_at = ?1 WHERE name = 'Mila'",
            [yesterday],
        )
        .unwrap();
    }
    server.restart().await;
    let err = noor
        .session
        .accept_invitation(&url, &expiring, "Noor")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "code_expired");
    assert!(dutch(&err).contains("verlopen"));
    assert_eq!(
        members(&coordinator, &programme).await,
        1,
        "nothing changed"
    );

    // A burst of guesses from one address is throttled, with a time to wait.
    let mut throttled = None;
    for _ in 0..30 {
        let guess = codes::display(&codes::new_code());
        match noor.session.lookup_invitation(&url, &guess).await {
            Err(ActionError::Api(failure @ ApiFailure::Refused(_)))
                if failure.code() == "too_many_attempts" =>
            {
                throttled = Some(failure);
                break;
            }
            Err(e) => assert_eq!(e.code(), "code_unknown"),
            Ok(_) => panic!("a guessed code worked"),
        }
    }
    let failure = throttled.expect("the burst was throttled");
    assert!(failure.retry_after().is_some_and(|s| (1..=60).contains(&s)));
    let message = t(Language::Nl, "error.too_many_attempts");
    assert!(message.contains("Te veel pogingen"));
    assert!(
        server
            .log_text()
            .contains("invitation code attempts throttled")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_again_after_a_lost_answer_or_a_503_gets_her_in_once() {
    use system_tests::{Fault, FlakyProxy};

    let tmp = tempfile::tempdir().unwrap();
    let server = InProcessServer::start(&tmp.path().join("server")).await;
    let (coordinator, programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    for (fault, name) in [(Fault::DropResponse, "Aylin"), (Fault::Unavailable, "Noor")] {
        let proxy = FlakyProxy::start(server.port, "/api/invitations/accept", fault).await;
        let url = proxy.url().to_string();
        let code = coordinator
            .session
            .invite(&programme, Role::Mentee, name, "", 14)
            .await
            .unwrap()
            .code;
        let before = members(&coordinator, &programme).await;
        let dir = tmp.path().join(name);
        let phone = Person::new(&dir).await;
        let first = phone.session.accept_invitation(&url, &code, name).await;
        assert!(first.is_err(), "{fault:?}: the first try fails: {first:?}");
        // The app is closed and opened again before she retries.
        phone.device.close().await;
        drop(phone);
        let phone = Person::new(&dir).await;
        phone
            .session
            .accept_invitation(&url, &code, name)
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: the retry gets her in: {e}"));
        assert_eq!(
            members(&coordinator, &programme).await,
            before + 1,
            "{fault:?}: she is in exactly once"
        );
        phone.session.sync_directory().await.unwrap();
        // Someone else with the same code, but not her attempt, gets nothing.
        let other = Person::new(&tmp.path().join(format!("{name}-other"))).await;
        let stolen = other
            .session
            .accept_invitation(server.url().as_str(), &code, "Mallory")
            .await
            .expect_err("the code is spent");
        assert_eq!(stolen.code(), "code_used");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn linking_a_phone_again_after_a_lost_answer_or_a_503_links_it_once() {
    use system_tests::{Fault, FlakyProxy};

    let tmp = tempfile::tempdir().unwrap();
    let server = InProcessServer::start(&tmp.path().join("server")).await;
    let (coordinator, programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let laptop = system_tests::programme::participant(
        &tmp.path().join("laptop"),
        &server,
        &coordinator,
        &programme,
        Role::Mentee,
        "Aylin",
    )
    .await;
    for fault in [Fault::DropResponse, Fault::Unavailable] {
        let proxy = FlakyProxy::start(server.port, "/api/devices/join", fault).await;
        let url = proxy.url().to_string();
        let code = laptop.session.link_code().await.unwrap().code;
        let dir = tmp.path().join(format!("{fault:?}"));
        let phone = Person::new(&dir).await;
        let first = phone
            .session
            .join_as_linked_device(&url, &code, "Telefoon")
            .await;
        assert!(first.is_err(), "{fault:?}: the first try fails: {first:?}");
        // The app is closed and opened again before she retries.
        phone.device.close().await;
        drop(phone);
        let phone = Person::new(&dir).await;
        phone
            .session
            .join_as_linked_device(&url, &code, "Telefoon")
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: the retry links her phone: {e}"));
        assert_eq!(phone.id(), laptop.id(), "{fault:?}: the phone is hers");
        let devices = laptop.session.devices().await.unwrap().devices;
        let phones = devices
            .iter()
            .filter(|d| d.peer == phone.device.peer_id())
            .count();
        assert_eq!(
            phones, 1,
            "{fault:?}: the phone is listed once: {devices:?}"
        );
        // Someone else with the same code, but not her attempt, gets nothing.
        let other = Person::new(&tmp.path().join(format!("{fault:?}-other"))).await;
        let stolen = other
            .session
            .join_as_linked_device(server.url().as_str(), &code, "Mallory")
            .await
            .expect_err("the code is spent");
        assert_eq!(stolen.code(), "link_unknown");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_registration_that_meets_a_lost_answer_or_a_503_waits_and_goes_through() {
    use system_tests::{Fault, FlakyProxy, eventually};

    let tmp = tempfile::tempdir().unwrap();
    let server = InProcessServer::start(&tmp.path().join("server")).await;
    let (coordinator, programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    for (fault, name) in [(Fault::DropResponse, "Aylin"), (Fault::Unavailable, "Noor")] {
        // Her profile is registered right after she accepts: that request meets the fault.
        let proxy = FlakyProxy::start(server.port, "POST /api/documents", fault).await;
        let code = coordinator
            .session
            .invite(&programme, Role::Mentee, name, "", 14)
            .await
            .unwrap()
            .code;
        let phone = Person::new(&tmp.path().join(name)).await;
        phone
            .session
            .accept_invitation(proxy.url().as_str(), &code, name)
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: she is in, her profile waits: {e}"));
        let profile = phone
            .device
            .documents()
            .unwrap()
            .into_iter()
            .find(|e| e.kind == "profile")
            .expect("her profile")
            .doc_id;
        assert_eq!(
            phone.session.flush_registrations().await.unwrap(),
            1,
            "{fault:?}: the waiting registration goes through"
        );
        eventually(
            std::time::Duration::from_secs(20),
            "the coordinator gets her profile",
            || async {
                coordinator.session.sync_directory().await.is_ok()
                    && coordinator.device.has(&profile)
            },
        )
        .await;
    }
}
