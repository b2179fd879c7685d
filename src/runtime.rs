//! The embedded tokio runtime: one per process, built lazily, rebuilt after `fork()`.
//!
//! Every wait on it releases the GIL and wakes every 100 ms to let `KeyboardInterrupt`
//! through, cancelling the work. A panic in the work becomes an ordinary exception.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use pyo3::prelude::*;
use tokio::runtime::Runtime;
use tokio::task::JoinError;

use crate::errors::internal_error;

const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(100);

/// The runtime and the process it was built in. Only touched with the GIL held, so a
/// `fork()` (which Python makes with the GIL held) never copies it mid-update.
static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// This process's runtime, built on first use and again in a forked child.
pub fn runtime(_py: Python<'_>) -> PyResult<Arc<Runtime>> {
    let pid = std::process::id();
    let mut slot = RUNTIME
        .lock()
        .map_err(|_| internal_error("the runtime lock was poisoned"))?;
    if let Some((owner, runtime)) = slot.as_ref()
        && *owner == pid
    {
        return Ok(runtime.clone());
    }
    if let Some(inherited) = slot.take() {
        // The parent's worker threads do not exist in a fork child: dropping the runtime
        // would wait for them forever.
        std::mem::forget(inherited);
    }
    let runtime = Arc::new(build_runtime()?);
    *slot = Some((pid, runtime.clone()));
    Ok(runtime)
}

fn build_runtime() -> PyResult<Runtime> {
    // The runtime only moves requests and bytes: pages are parsed on the threads that
    // consume them. One worker does that with no wake-ups or work-stealing between
    // workers, which measured faster than two.
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("ssm-sessions")
        .enable_all()
        .build()
        .map_err(|e| internal_error(format!("could not start the runtime: {e}")))
}

/// Runs `work` on the runtime and waits for it (see `block_on`); an interrupt aborts it.
pub fn wait<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: Send + 'static,
{
    let mut handle = runtime(py)?.spawn(work);
    match block_on(py, &mut handle) {
        Ok(joined) => joined.map_err(join_error)?,
        Err(interrupt) => {
            handle.abort();
            Err(interrupt)
        }
    }
}

/// Drives `future` on the runtime with the GIL released, waking every 100 ms to run
/// Python's signal handlers: an exception they raise (KeyboardInterrupt) is returned and
/// the future is dropped.
pub fn block_on<F>(py: Python<'_>, future: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    let mut future = std::pin::pin!(future);
    // A result that is already there (the next page, fetched while the caller used the
    // last one) costs no GIL release, timer or thread park.
    if let Poll::Ready(output) = future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        return Ok(output);
    }
    let runtime = runtime(py)?;
    loop {
        let waited = py.detach(|| {
            runtime.block_on(async {
                tokio::time::timeout(SIGNAL_CHECK_INTERVAL, future.as_mut()).await
            })
        });
        match waited {
            Ok(output) => return Ok(output),
            Err(_still_running) => check_signals(py)?,
        }
    }
}

/// Runs `work` on the runtime without waiting for it.
pub fn spawn<F>(py: Python<'_>, work: F) -> PyResult<tokio::task::JoinHandle<F::Output>>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    Ok(runtime(py)?.spawn(work))
}

/// Python only runs its signal handlers between bytecodes: run one, then check.
fn check_signals(py: Python<'_>) -> PyResult<()> {
    py.run(c"pass", None, None)?;
    py.check_signals()
}

/// A task that panicked or was cancelled, as an ordinary exception.
pub fn join_error(error: JoinError) -> PyErr {
    if error.is_panic() {
        let payload = error.into_panic();
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        internal_error(format!("internal error (a bug in ssm_sessions): {text}"))
    } else {
        internal_error("the request was cancelled")
    }
}
