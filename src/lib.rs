//! `ssm_sessions._core`: the native module. This file only registers; each concern lives
//! in the module named for it.

mod client;
mod config;
mod credentials;
mod errors;
mod http;
mod insecure;
mod pager;
mod query;
mod request_log;
mod response;
mod retries;
mod runtime;
mod session;
mod session_fields;
mod testing;
mod timestamps;
mod token;

use pyo3::prelude::*;

// Pages are parsed on the runtime's threads and freed on Python's; mimalloc makes that
// markedly cheaper than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::Client>()?;
    m.add_class::<credentials::Credentials>()?;
    m.add_class::<session::Session>()?;
    m.add_class::<session::OutputUrl>()?;
    m.add_class::<pager::SessionPager>()?;
    m.add_class::<pager::SessionPage>()?;
    m.add_class::<pager::PageIterator>()?;
    m.add_class::<pager::RawPage>()?;
    m.add_class::<pager::RawPageIterator>()?;
    m.add_class::<testing::EmulatorServer>()?;
    Ok(())
}
