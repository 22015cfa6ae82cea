//! The desktop's shell: the window's commands go to the Tauri process through `invoke`, and
//! its events come back through `listen`.

use pm_domain::commands::Command;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use super::CommandError;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen)]
    async fn tauri_listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>) -> JsValue;
}

/// Sends a command to the Tauri process and reads its answer as the command's output type.
pub(super) async fn call<C: Command>(command: &C) -> Result<C::Output, CommandError> {
    let args = serde_wasm_bindgen::to_value(&Envelope {
        name: C::NAME,
        params: command,
    })
    .map_err(CommandError::bridge)?;
    match tauri_invoke("command", args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(CommandError::bridge),
        Err(error) => Err(serde_wasm_bindgen::from_value(error.clone())
            .unwrap_or_else(|_| CommandError::bridge(format!("{error:?}")))),
    }
}

/// What goes over the bridge: a command's name and its parameters.
#[derive(Serialize)]
struct Envelope<'a, C> {
    name: &'static str,
    params: &'a C,
}

/// Runs `handler` with the payload of every `event` the shell emits, for the life of the window.
pub(super) fn on_event<T: DeserializeOwned + 'static>(
    event: &'static str,
    handler: impl Fn(T) + 'static,
) {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |envelope: JsValue| {
        let payload = js_sys::Reflect::get(&envelope, &JsValue::from_str("payload"))
            .ok()
            .and_then(|p| serde_wasm_bindgen::from_value::<T>(p).ok());
        if let Some(payload) = payload {
            handler(payload);
        }
    });
    leptos::task::spawn_local(async move {
        tauri_listen(event, &closure).await;
        // The listener lives as long as the window.
        closure.forget();
    });
}
