//! The real app in its real webview, driven through tauri-driver under Xvfb.

use system_tests::SyncServer;
use system_tests::app::App;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_shows_its_first_screen_and_live_sync_status() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let mut app = App::start(&tmp.path().join("mentor"), Some(&server.url())).await;

    assert_eq!(app.text("h1").await, "Peer Mentoring");
    assert!(app.body_text().await.contains("Welkom"), "Dutch by default");
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
