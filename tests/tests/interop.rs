//! A standard JavaScript automerge-repo client (`@automerge/automerge-repo` and its websocket
//! adapter, pinned exactly in `tests/interop/package.json`) syncs a document it may read from the
//! real sync server, authenticated the way a browser is: a linking code makes it a device of the
//! coordinator, its credential buys a single-use sync ticket, the ticket opens the socket.

use std::path::Path;

use mentoring::api::SyncState;
use mentoring::model::Settings;
use system_tests::{SyncServer, is, programme, wait_status};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_javascript_automerge_repo_client_reads_the_programme_with_a_sync_ticket() {
    let interop = Path::new(env!("CARGO_MANIFEST_DIR")).join("interop");
    assert!(
        interop
            .join("node_modules/@automerge/automerge-repo")
            .exists(),
        "the JavaScript client is installed (scripts/setup.sh runs npm install in tests/interop)"
    );
    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let (coordinator, _programme) = programme::coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    wait_status(
        &coordinator.device,
        "the programme reached the server",
        is(SyncState::Synced),
    )
    .await;
    let code = coordinator.session.link_code().await.unwrap().code;

    let out = tokio::process::Command::new("node")
        .arg(interop.join("read-document.mjs"))
        .arg(server.url().as_str())
        .arg(&code)
        .output()
        .await
        .expect("node (scripts/setup.sh installs it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the JavaScript client failed: {stderr}"
    );
    let programme: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    assert_eq!(programme["kind"], "programme", "{programme}");
    assert_eq!(programme["name"], "Peer mentoring HBO-ICT", "{programme}");
    assert_eq!(programme["school"], "Hogeschool Windesheim", "{programme}");
    let log = server.log_text();
    assert!(
        !log.contains(&code),
        "the linking code stays out of the log"
    );
}
