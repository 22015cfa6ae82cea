//! The little of the browser's IndexedDB the browser store needs, as futures: open a database
//! with one key-value object store, read all of it, and write a batch of puts and deletes in one
//! transaction that is durable when it completes.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Event, IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction};

/// The one object store: keys are strings, values bytes.
const STORE: &str = "kv";

/// One write of a batch.
#[derive(Debug, Clone)]
pub(crate) enum Write {
    Put(String, Vec<u8>),
    Delete(String),
    /// Everything in the store.
    Clear,
}

/// An open database.
pub(crate) struct Database(IdbDatabase);

/// What the browser said went wrong, as text.
fn describe(error: &JsValue) -> String {
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    if let Some(e) = error.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    format!("{error:?}")
}

/// Waits for one of two events on a target, and tells which came: `true` for the first.
async fn first_of(set: impl FnOnce(&js_sys::Function, &js_sys::Function)) -> bool {
    let (tx, rx) = oneshot::channel::<bool>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let send = |value: bool| {
        let tx = tx.clone();
        Closure::<dyn FnMut(Event)>::new(move |_| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(value);
            }
        })
    };
    let (yes, no) = (send(true), send(false));
    set(yes.as_ref().unchecked_ref(), no.as_ref().unchecked_ref());
    // The closures live until one of them ran.
    rx.await.unwrap_or(false)
}

async fn request(request: &IdbRequest) -> Result<JsValue, String> {
    let succeeded = first_of(|ok, failed| {
        request.set_onsuccess(Some(ok));
        request.set_onerror(Some(failed));
    })
    .await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    if succeeded {
        request.result().map_err(|e| describe(&e))
    } else {
        Err(request
            .error()
            .ok()
            .flatten()
            .map(|e| format!("{}: {}", e.name(), e.message()))
            .unwrap_or_else(|| "the request failed".into()))
    }
}

async fn completed(transaction: &IdbTransaction) -> Result<(), String> {
    let done = first_of(|ok, failed| {
        transaction.set_oncomplete(Some(ok));
        transaction.set_onerror(Some(failed));
        transaction.set_onabort(Some(failed));
    })
    .await;
    transaction.set_oncomplete(None);
    transaction.set_onerror(None);
    transaction.set_onabort(None);
    if done {
        Ok(())
    } else {
        Err(transaction
            .error()
            .map(|e| format!("{}: {}", e.name(), e.message()))
            .unwrap_or_else(|| "the browser's storage refused the write".into()))
    }
}

impl Database {
    /// Opens (or makes) the database called `name`.
    pub(crate) async fn open(name: &str) -> Result<Database, String> {
        let factory = web_sys::window()
            .ok_or("no window")?
            .indexed_db()
            .map_err(|e| describe(&e))?
            .ok_or("this browser keeps no IndexedDB (private mode?)")?;
        let opening: IdbOpenDbRequest = factory.open_with_u32(name, 1).map_err(|e| describe(&e))?;
        let upgrade = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            let db = event
                .target()
                .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
            if let Some(db) = db
                && !db.object_store_names().contains(STORE)
                && let Err(e) = db.create_object_store(STORE)
            {
                tracing::error!(error = %describe(&e), "could not make the browser store");
            }
        });
        opening.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let db = request(&opening).await;
        opening.set_onupgradeneeded(None);
        Ok(Database(db?.dyn_into().map_err(|e| describe(&e))?))
    }

    /// A transaction on the one store; `"readwrite"` ones ask for strict durability (the write is
    /// flushed to disk before it completes). web-sys keeps that option behind its unstable APIs, so
    /// it is called by name.
    fn transaction(&self, mode: &str) -> Result<IdbTransaction, String> {
        let open: js_sys::Function = js_sys::Reflect::get(&self.0, &"transaction".into())
            .and_then(|f| f.dyn_into())
            .map_err(|e| describe(&e))?;
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"durability".into(), &"strict".into())
            .map_err(|e| describe(&e))?;
        open.call3(&self.0, &STORE.into(), &mode.into(), &options)
            .and_then(|t| t.dyn_into())
            .map_err(|e| describe(&e))
    }

    /// Every key with its value, in key order.
    pub(crate) async fn read_all(&self) -> Result<Vec<(String, Vec<u8>)>, String> {
        let transaction = self.transaction("readonly")?;
        let store = transaction.object_store(STORE).map_err(|e| describe(&e))?;
        // Both requests are made before either is awaited, so the transaction is still open.
        let keys = store.get_all_keys().map_err(|e| describe(&e))?;
        let values = store.get_all().map_err(|e| describe(&e))?;
        let keys: Array = request(&keys).await?.unchecked_into();
        let values: Array = request(&values).await?.unchecked_into();
        Ok(keys
            .iter()
            .zip(values.iter())
            .filter_map(|(key, value)| {
                let key = key.as_string()?;
                let value = value.dyn_into::<Uint8Array>().ok()?.to_vec();
                Some((key, value))
            })
            .collect())
    }

    /// Writes `batch` in one transaction; `Ok` once the browser says it is durable.
    pub(crate) async fn write(&self, batch: &[Write]) -> Result<(), String> {
        let transaction = self.transaction("readwrite")?;
        let store = transaction.object_store(STORE).map_err(|e| describe(&e))?;
        for write in batch {
            let made = match write {
                Write::Put(key, value) => {
                    store.put_with_key(&Uint8Array::from(value.as_slice()), &JsValue::from_str(key))
                }
                Write::Delete(key) => store.delete(&JsValue::from_str(key)),
                Write::Clear => store.clear(),
            };
            if let Err(e) = made {
                let _ = transaction.abort();
                return Err(describe(&e));
            }
        }
        completed(&transaction).await
    }
}
