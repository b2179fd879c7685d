//! The emulator over real sockets, driven by a minimal HTTP/1.1 client (no SDK code).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use ssm_sessions_emulator::{Emulator, FaultKind, Faults, Options, generate_sessions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const NOW_MS: i64 = 1_764_300_000_000;

fn local() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

async fn start(active: usize, history: usize, faults: Faults) -> Emulator {
    let options = Options {
        sessions: generate_sessions(1, active, history, NOW_MS),
        allow_unsigned: true,
        faults,
        ..Options::default()
    };
    Emulator::start(options, local()).await.expect("bind")
}

/// One keep-alive connection speaking just enough HTTP/1.1.
struct Client {
    stream: TcpStream,
    buffer: Vec<u8>,
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Client {
    async fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Client {
            stream,
            buffer: Vec::with_capacity(1 << 20),
        }
    }

    /// Sends one request; `None` when the server closed the connection instead of answering.
    async fn post(&mut self, target: &str, body: &[u8]) -> Option<Reply> {
        let head = format!(
            "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: {target}\r\n\
             Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        self.stream.write_all(head.as_bytes()).await.ok()?;
        self.stream.write_all(body).await.ok()?;
        self.read_reply().await
    }

    async fn describe(&mut self, body: Value) -> Option<Reply> {
        self.post("AmazonSSM.DescribeSessions", body.to_string().as_bytes())
            .await
    }

    async fn read_reply(&mut self) -> Option<Reply> {
        let head_end = loop {
            if let Some(i) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            self.fill().await?;
        };
        let head = String::from_utf8(self.buffer[..head_end].to_vec()).ok()?;
        let mut lines = head.split("\r\n");
        let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())?;
        while self.buffer.len() < head_end + length {
            self.fill().await?;
        }
        let body = self.buffer[head_end..head_end + length].to_vec();
        self.buffer.drain(..head_end + length);
        Some(Reply {
            status,
            headers,
            body,
        })
    }

    async fn fill(&mut self) -> Option<()> {
        let mut chunk = [0u8; 64 * 1024];
        let n = self.stream.read(&mut chunk).await.ok()?;
        (n > 0).then(|| self.buffer.extend_from_slice(&chunk[..n]))
    }
}

#[tokio::test]
async fn pages_follow_tokens_on_one_keep_alive_connection() {
    let emulator = start(3, 450, Faults::default()).await;
    let mut client = Client::connect(emulator.local_addr()).await;
    let (mut seen, mut token, mut pages) = (Vec::new(), None::<String>, 0);
    loop {
        let mut request = json!({"State": "History", "MaxResults": 200});
        if let Some(t) = &token {
            request["NextToken"] = json!(t);
        }
        let reply = client.describe(request).await.expect("answer");
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.header("content-type"),
            Some("application/x-amz-json-1.1")
        );
        assert_eq!(reply.header("x-amzn-requestid").map(str::len), Some(36));
        let body = reply.json();
        pages += 1;
        for s in body["Sessions"].as_array().expect("Sessions") {
            seen.push(s["SessionId"].as_str().expect("id").to_string());
        }
        match body.get("NextToken") {
            Some(Value::String(t)) => token = Some(t.clone()),
            _ => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 450);
    let log = emulator.requests();
    assert_eq!(log.len(), 3);
    assert!(
        log.iter()
            .all(|r| r.status == 200 && r.operation == "DescribeSessions" && !r.signed)
    );
    assert_eq!(log[0].body, json!({"State": "History", "MaxResults": 200}));
}

#[tokio::test]
async fn errors_have_the_json_11_shape() {
    let emulator = start(1, 1, Faults::default()).await;
    let mut client = Client::connect(emulator.local_addr()).await;
    let reply = client
        .describe(json!({"State": "Active", "MaxResults": 0}))
        .await
        .expect("answer");
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.header("x-amzn-errortype"),
        Some("ValidationException")
    );
    assert_eq!(reply.json()["__type"], "ValidationException");
    let reply = client
        .post("AmazonSSM.SendCommand", b"{}")
        .await
        .expect("answer");
    assert_eq!(reply.json()["__type"], "UnknownOperationException");
    assert_eq!(emulator.requests()[1].operation, "SendCommand");
    let reply = client
        .describe(json!({"State": "Active", "NextToken": "nope"}))
        .await
        .expect("answer");
    assert_eq!(reply.json()["__type"], "InvalidNextToken");
}

#[tokio::test]
async fn signatures_are_required_unless_allowed() {
    let options = Options {
        sessions: generate_sessions(1, 1, 1, NOW_MS),
        ..Options::default()
    };
    let emulator = Emulator::start(options, local()).await.expect("bind");
    let mut client = Client::connect(emulator.local_addr()).await;
    let reply = client
        .describe(json!({"State": "Active"}))
        .await
        .expect("answer");
    assert_eq!(
        reply.json()["__type"],
        "MissingAuthenticationTokenException"
    );
}

#[tokio::test]
async fn forced_faults_then_normal_service() {
    let emulator = start(2, 0, Faults::default()).await;
    emulator.fail_next(1, FaultKind::Throttle);
    emulator.fail_next(1, FaultKind::ServerError);
    emulator.fail_next(1, FaultKind::Drop);
    let addr = emulator.local_addr();
    let mut client = Client::connect(addr).await;
    let throttled = client
        .describe(json!({"State": "Active"}))
        .await
        .expect("answer");
    assert_eq!(
        (throttled.status, throttled.json()["__type"].clone()),
        (400, json!("ThrottlingException"))
    );
    let failed = client
        .describe(json!({"State": "Active"}))
        .await
        .expect("answer");
    assert_eq!(
        (failed.status, failed.json()["__type"].clone()),
        (500, json!("InternalServerError"))
    );
    assert!(
        client.describe(json!({"State": "Active"})).await.is_none(),
        "dropped without a response"
    );
    let mut client = Client::connect(addr).await;
    assert_eq!(
        client
            .describe(json!({"State": "Active"}))
            .await
            .expect("answer")
            .status,
        200
    );
    let faults: Vec<Option<String>> = emulator.requests().into_iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        [
            Some("throttle".into()),
            Some("server_error".into()),
            Some("drop".into()),
            None
        ]
    );
    assert_eq!(emulator.requests()[2].status, 0);
}

#[tokio::test]
async fn random_faults_never_hit_twice_in_a_row_and_latency_applies() {
    let faults = Faults {
        seed: 3,
        latency_ms: 20,
        throttle_rate: 0.3,
        server_error_rate: 0.2,
        drop_rate: 0.2,
    };
    let emulator = start(1, 0, faults).await;
    let addr = emulator.local_addr();
    let started = Instant::now();
    let mut client = Client::connect(addr).await;
    for _ in 0..20 {
        if client.describe(json!({"State": "Active"})).await.is_none() {
            client = Client::connect(addr).await;
        }
    }
    assert!(started.elapsed() >= Duration::from_millis(20 * 20));
    let flags: Vec<bool> = emulator
        .requests()
        .iter()
        .map(|r| r.fault.is_some())
        .collect();
    assert!(flags.iter().any(|f| *f));
    assert!(flags.windows(2).all(|w| !(w[0] && w[1])), "{flags:?}");
}

#[tokio::test]
async fn shutdown_closes_listener_and_connections() {
    let emulator = start(1, 0, Faults::default()).await;
    let addr = emulator.local_addr();
    let mut client = Client::connect(addr).await;
    assert!(client.describe(json!({"State": "Active"})).await.is_some());
    emulator.shutdown();
    emulator.shutdown();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        client.describe(json!({"State": "Active"})).await.is_none(),
        "open connection closed"
    );
    assert!(TcpStream::connect(addr).await.is_err(), "listener closed");
}

#[tokio::test]
async fn drop_stops_the_server() {
    let emulator = start(1, 0, Faults::default()).await;
    let addr = emulator.local_addr();
    drop(emulator);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(TcpStream::connect(addr).await.is_err());
}

/// Pages of 200 sessions served per second over keep-alive connections, unsigned.
/// `cargo test --release -p ssm-sessions-emulator --test server -- --ignored --nocapture throughput`
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn throughput_pages_of_200() {
    let emulator = start(0, 20_000, Faults::default()).await;
    let addr = emulator.local_addr();
    let duration = Duration::from_secs(3);
    let workers: Vec<_> = (0..4)
        .map(|_| {
            tokio::spawn(async move {
                let mut client = Client::connect(addr).await;
                let (mut pages, mut bytes, mut token) = (0u64, 0usize, None::<String>);
                let started = Instant::now();
                while started.elapsed() < duration {
                    let mut request = json!({"State": "History", "MaxResults": 200});
                    if let Some(t) = &token {
                        request["NextToken"] = json!(t);
                    }
                    let reply = client.describe(request).await.expect("answer");
                    bytes += reply.body.len();
                    // Find the token without parsing the whole page: the client is not under test.
                    token = reply
                        .body
                        .windows(13)
                        .position(|w| w == b"\"NextToken\":\"")
                        .and_then(|i| {
                            let rest = &reply.body[i + 13..];
                            let end = rest.iter().position(|&b| b == b'"')?;
                            String::from_utf8(rest[..end].to_vec()).ok()
                        });
                    pages += 1;
                }
                (pages, bytes)
            })
        })
        .collect();
    let (mut pages, mut bytes) = (0, 0);
    for worker in workers {
        let (p, b) = worker.await.expect("worker");
        pages += p;
        bytes += b;
    }
    let secs = duration.as_secs_f64();
    println!(
        "{:.0} pages/s of 200 sessions ({:.0} MB/s, {} pages, avg {} bytes/page)",
        pages as f64 / secs,
        bytes as f64 / secs / 1e6,
        pages,
        bytes / pages.max(1) as usize
    );
}
