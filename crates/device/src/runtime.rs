//! What the device needs of an async runtime, in one place: starting a task it can stop later,
//! sleeping, and a time limit. Tokio on a desktop (and in tests); the browser's event loop and
//! timers in a browser build.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use futures::future::{AbortHandle, Abortable, Either, select};

/// A task started with [`spawn`]; [`Task::stop`] drops its future where it waits.
pub struct Task(AbortHandle);

impl Task {
    pub fn stop(&self) {
        self.0.abort();
    }
}

/// Runs `work` in the background until it ends or is stopped.
pub fn spawn(work: impl Future<Output = ()> + Send + 'static) -> Task {
    let (handle, registration) = AbortHandle::new_pair();
    let work = async move {
        let _ = Abortable::new(work, registration).await;
    };
    #[cfg(not(target_arch = "wasm32"))]
    drop(tokio::spawn(work));
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_futures::spawn_local(work);
    Task(handle)
}

/// Waits for `duration`.
pub async fn sleep(duration: Duration) {
    #[cfg(not(target_arch = "wasm32"))]
    tokio::time::sleep(duration).await;
    #[cfg(target_arch = "wasm32")]
    futures_timer::Delay::new(duration).await;
}

/// What `work` gives, or `None` if it takes longer than `limit`.
pub async fn within<T>(limit: Duration, work: impl Future<Output = T>) -> Option<T> {
    match select(pin!(work), pin!(sleep(limit))).await {
        Either::Left((done, _)) => Some(done),
        Either::Right(((), _)) => None,
    }
}
