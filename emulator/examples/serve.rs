//! Runs the emulator until killed, for manual and end-to-end checks:
//!
//! ```text
//! cargo run --release -p ssm-sessions-emulator --example serve -- --sessions 1000
//! ```
//!
//! Prints the endpoint URL as the first line (flushed), then the credentials.
//! Flags: --sessions N (10% Active), --active N, --history N, --seed S, --port P,
//! --sessions-file PATH (a JSON array of sessions in the wire shape, instead of generated),
//! --allow-unsigned, --fill-pages, --page-size N, --latency-ms N, --throttle-rate X,
//! --server-error-rate X, --drop-rate X, --fault-seed S.

use std::io::Write;
use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use ssm_sessions_emulator::{Emulator, Options, SessionRecord, generate_sessions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(&args))
}

async fn serve(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let (options, port) = parse(args)?;
    let emulator =
        Emulator::start(options.clone(), SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", emulator.endpoint_url())?;
    writeln!(out, "AWS_ACCESS_KEY_ID={}", options.access_key_id)?;
    writeln!(out, "AWS_SECRET_ACCESS_KEY={}", options.secret_access_key)?;
    out.flush()?;
    drop(out);
    std::future::pending::<()>().await;
    Ok(())
}

fn parse(args: &[String]) -> Result<(Options, u16), String> {
    let mut options = Options::default();
    let (mut active, mut history, mut seed, mut port) = (10usize, 90usize, 1u64, 0u16);
    let mut file = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--sessions" => {
                let n: usize = number(value()?)?;
                active = n / 10;
                history = n - active;
            }
            "--active" => active = number(value()?)?,
            "--history" => history = number(value()?)?,
            "--sessions-file" => file = Some(value()?.clone()),
            "--seed" => seed = number(value()?)?,
            "--port" => port = number(value()?)?,
            "--page-size" => options.default_page_size = number(value()?)?,
            "--allow-unsigned" => options.allow_unsigned = true,
            "--fill-pages" => options.filter_after_limit = false,
            "--latency-ms" => options.faults.latency_ms = number(value()?)?,
            "--throttle-rate" => options.faults.throttle_rate = number(value()?)?,
            "--server-error-rate" => options.faults.server_error_rate = number(value()?)?,
            "--drop-rate" => options.faults.drop_rate = number(value()?)?,
            "--fault-seed" => options.faults.seed = number(value()?)?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as i64;
    options.sessions = match file {
        Some(path) => read_sessions(&path)?,
        None => generate_sessions(seed, active, history, now_ms),
    };
    Ok((options, port))
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("not a number: {text}"))
}

fn read_sessions(path: &str) -> Result<Vec<SessionRecord>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let items = value
        .as_array()
        .ok_or_else(|| format!("{path}: expected a JSON array"))?;
    items.iter().map(SessionRecord::from_json).collect()
}
