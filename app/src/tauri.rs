//! The bridge to the device shell: Tauri commands and events.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen)]
    async fn tauri_listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>) -> JsValue;
}

/// An error from a command: a code the window translates and the technical detail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct CommandError {
    pub code: String,
    #[serde(default)]
    pub detail: String,
}

impl CommandError {
    fn bridge(detail: impl ToString) -> Self {
        CommandError {
            code: "bridge".into(),
            detail: detail.to_string(),
        }
    }
}

/// Calls a command of the device shell.
pub async fn call<A: Serialize, R: DeserializeOwned>(
    cmd: &str,
    args: &A,
) -> Result<R, CommandError> {
    let args = serde_wasm_bindgen::to_value(args).map_err(CommandError::bridge)?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(CommandError::bridge),
        Err(error) => Err(serde_wasm_bindgen::from_value(error.clone())
            .unwrap_or_else(|_| CommandError::bridge(format!("{error:?}")))),
    }
}

/// No arguments.
#[derive(Serialize)]
pub struct NoArgs {}

/// Runs `handler` with the payload of every `event` the shell emits, for the life of the window.
pub fn on_event<T: DeserializeOwned + 'static>(event: &'static str, handler: impl Fn(T) + 'static) {
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
