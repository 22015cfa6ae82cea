//! The browser store in a real browser (headless Chromium, through wasm-bindgen-test): what it
//! wrote is there when it opens again, as when the phone's page is reloaded.
#![cfg(target_arch = "wasm32")]

use pm_store::{BrowserStore, DeviceStore, IndexEntry, SyncMark};
use samod::storage::{Storage, StorageKey};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn entry(doc_id: &str, title: &str) -> IndexEntry {
    IndexEntry {
        doc_id: doc_id.into(),
        kind: "notes".into(),
        title: title.into(),
        local_only: false,
        shared: false,
    }
}

#[wasm_bindgen_test]
async fn what_the_browser_store_wrote_is_there_when_it_opens_again() {
    let name = format!("pm-store-test-{}", js_sys::Date::now());
    let chunk = StorageKey::from_parts(["doc-b", "incremental", "abc"]).unwrap();
    {
        let store = BrowserStore::open(&name).await.unwrap();
        assert!(store.documents().unwrap().is_empty());
        store.set_setting("language", "en").unwrap();
        store.set_setting("gone", "soon").unwrap();
        store.remove_setting("gone").unwrap();
        store.index_document(&entry("doc-b", "second")).unwrap();
        store.index_document(&entry("doc-a", "first")).unwrap();
        store.mark_shared("doc-a").unwrap();
        let mark = SyncMark {
            heads: vec!["h1".into()],
            synced_at: "2026-11-30T10:00:00Z".into(),
        };
        store.set_sync_mark("doc-a", &mark).unwrap();
        store.add_pending_registration("doc-b", "{}").unwrap();
        store.journal_append("doc-a", &[1, 2, 3]).unwrap();
        store.journal_append("doc-b", &[4]).unwrap();
        let first = store.journal().unwrap()[0].0;
        store.journal_remove(first).unwrap();
        store.put(chunk.clone(), vec![9, 9]).await;
        store.written().await.unwrap();
        assert!(store.all_written());
    }
    let store = BrowserStore::open(&name).await.unwrap();
    assert_eq!(store.setting("language").unwrap().as_deref(), Some("en"));
    assert_eq!(store.setting("gone").unwrap(), None);
    // In the order they were first listed, with what changed since.
    let documents = store.documents().unwrap();
    let ids: Vec<&str> = documents.iter().map(|d| d.doc_id.as_str()).collect();
    assert_eq!(ids, ["doc-b", "doc-a"]);
    assert!(documents[1].shared && !documents[0].shared);
    assert_eq!(store.sync_mark("doc-a").unwrap().unwrap().heads, ["h1"]);
    assert_eq!(store.pending_registrations().unwrap().len(), 1);
    let journal = store.journal().unwrap();
    assert_eq!(journal.len(), 1);
    assert_eq!(journal[0].1, "doc-b");
    assert_eq!(journal[0].2, [4]);
    assert_eq!(store.load(chunk).await, Some(vec![9, 9]));
    assert!(store.holds_document("doc-b"));
    // New journal entries come after the ones it found.
    store.journal_append("doc-a", &[5]).unwrap();
    let journal = store.journal().unwrap();
    assert!(journal[1].0 > journal[0].0);
}

/// Erasing in the browser: one document goes with its chunks, index entry, mark and journal;
/// erasing everything leaves the database empty when the page opens it again.
#[wasm_bindgen_test]
async fn an_erased_document_and_an_erased_device_are_gone_when_the_page_opens_again() {
    let name = format!("pm-store-erase-{}", js_sys::Date::now());
    let kept = StorageKey::from_parts(["doc-kept", "incremental", "k"]).unwrap();
    let erased = StorageKey::from_parts(["doc-gone", "incremental", "g"]).unwrap();
    {
        let store = BrowserStore::open(&name).await.unwrap();
        store.index_document(&entry("doc-kept", "kept")).unwrap();
        store.index_document(&entry("doc-gone", "gone")).unwrap();
        store.journal_append("doc-gone", &[7]).unwrap();
        store.put(kept.clone(), vec![1]).await;
        store.put(erased.clone(), vec![2]).await;
        store.erase_document("doc-gone").unwrap();
        store.written().await.unwrap();
    }
    {
        let store = BrowserStore::open(&name).await.unwrap();
        let ids: Vec<String> = store
            .documents()
            .unwrap()
            .into_iter()
            .map(|d| d.doc_id)
            .collect();
        assert_eq!(ids, ["doc-kept"]);
        assert!(store.journal().unwrap().is_empty());
        assert_eq!(store.load(erased).await, None);
        assert_eq!(store.load(kept.clone()).await, Some(vec![1]));
        store.set_setting("name", "Zoë").unwrap();
        store.erase_everything().unwrap();
        store.written().await.unwrap();
    }
    let store = BrowserStore::open(&name).await.unwrap();
    assert!(store.documents().unwrap().is_empty());
    assert_eq!(store.setting("name").unwrap(), None);
    assert_eq!(store.load(kept).await, None);
}
