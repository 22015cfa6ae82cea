//! The core as the phone's web app runs it, in a real browser (headless Chromium, through
//! wasm-bindgen-test): a device on the browser's IndexedDB, samod in the page (it panicked on its
//! clock there before `patches/`), a person's notes written and read again after the device is
//! closed and opened anew, as a reload does.
#![cfg(target_arch = "wasm32")]

use mentoring::device::Device;
use mentoring::model::Role;
use mentoring::session::Session;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn notes_written_in_the_browser_are_there_after_a_reload() {
    let name = format!("pm-core-test-{}", js_sys::Date::now());
    let today = chrono::Local::now().date_naive();
    let (group, meeting) = {
        let device = Device::open_in_browser(&name).await.unwrap();
        let session = Session::new(device.clone());
        session
            .save_profile("Aylin", Some(Role::Mentee))
            .await
            .unwrap();
        let group = session.open_demo(today).await.unwrap();
        let home = session.home(today).await.unwrap();
        let pair = home.groups.iter().find(|g| g.group == group).unwrap();
        let meeting = pair.meetings.last().unwrap().id.clone();
        let written = session
            .write_shared_note(&group, &meeting, "", "Geschreven in de browser.")
            .await
            .unwrap();
        assert_eq!(written.text, "Geschreven in de browser.");
        device.close().await;
        (group, meeting)
    };
    let device = Device::open_in_browser(&name).await.unwrap();
    let session = Session::new(device);
    assert_eq!(session.profile().unwrap().name, "Aylin");
    let page = session.meeting_page(&group, &meeting, today).await.unwrap();
    assert_eq!(page.shared_notes.text, "Geschreven in de browser.");
}
