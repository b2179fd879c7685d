//! Realistic sessions from a seed, for demos, benchmarks and property tests.

use std::collections::HashSet;

use crate::record::{OutputUrlRecord, SessionRecord, State};
use crate::rng::SplitMix64;

const ACCOUNT: &str = "123456789012";
const THIRTY_DAYS_MS: u64 = 30 * 86_400_000;

/// Login names: the session id starts with the caller's name, as the service does.
const NAMES: &[&str] = &[
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "mallory",
    "niaj",
    "olivia",
    "peggy",
    "rupert",
    "sybil",
    "trent",
    "victor",
    "walter",
    "oncall-bot",
    "deploy.pipeline",
    "zoe_ops",
];
const ROLES: &[&str] = &["Admin", "Developer", "OnCall", "ReadOnly", "BreakGlass"];
const DOCUMENTS: &[&str] = &[
    "SSM-SessionManagerRunShell",
    "SSM-SessionManagerRunShell",
    "SSM-SessionManagerRunShell",
    "AWS-StartPortForwardingSession",
    "AWS-StartPortForwardingSessionToRemoteHost",
    "AWS-StartSSHSession",
    "AWS-StartInteractiveCommand",
];
/// Reasons that stress encoders: non-ASCII, quotes, backslashes, emoji, control characters.
/// (The model requires 1..256 characters, so never empty.)
const REASONS: &[&str] = &[
    "Investigating high disk usage on /var/log",
    "Déploiement urgent — redémarrage du service",
    "Fix \"quoted\" config in C:\\ProgramData\\Amazon\\SSM",
    "调试生产环境的问题",
    "Hotfix 🚀 for ticket #4711 🔥",
    "Rotate TLS certs\nand restart nginx\t(planned)",
    "Ünïcödé ñame, ß and ø",
    "Break-glass access: incident INC-2024-0042",
];
const DETAILS: &[&str] = &[
    "Session started from the AWS console",
    "Port forwarding to 5432 for a database migration",
    "Started by automation run 7d9c2e",
    "{\"ticket\": \"OPS-1234\", \"approved\": true}",
];
const DURATIONS: &[&str] = &["20", "60", "120", "240", "480", "720", "1440"];

/// `active` Active and `history` History sessions, deterministic for `seed`, with
/// StartDates spread over the 30 days before `now_ms` and unique ids.
pub fn generate_sessions(
    seed: u64,
    active: usize,
    history: usize,
    now_ms: i64,
) -> Vec<SessionRecord> {
    let mut rng = SplitMix64::new(seed);
    let targets = target_pool(&mut rng, (active + history) / 8 + 4);
    let mut ids = HashSet::with_capacity(active + history);
    let states = std::iter::repeat_n(State::Active, active)
        .chain(std::iter::repeat_n(State::History, history));
    states
        .map(|state| {
            let name = *rng.pick(NAMES);
            let id = unique_id(&mut rng, name, &mut ids);
            session(&mut rng, id, name, state, &targets, now_ms)
        })
        .collect()
}

/// A fleet: mostly EC2 instances, some hybrid managed nodes.
fn target_pool(rng: &mut SplitMix64, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            let prefix = if rng.chance(0.8) { "i" } else { "mi" };
            format!("{prefix}-{}", hex17(rng))
        })
        .collect()
}

/// 17 hex digits, leading 0, like `i-0123456789abcdef0` and session-id suffixes.
fn hex17(rng: &mut SplitMix64) -> String {
    format!("0{:016x}", rng.next_u64())
}

fn unique_id(rng: &mut SplitMix64, name: &str, seen: &mut HashSet<String>) -> String {
    loop {
        let id = format!("{name}-{}", hex17(rng));
        if seen.insert(id.clone()) {
            return id;
        }
    }
}

fn session(
    rng: &mut SplitMix64,
    session_id: String,
    name: &str,
    state: State,
    targets: &[String],
    now_ms: i64,
) -> SessionRecord {
    let mut start = now_ms - rng.below(THIRTY_DAYS_MS) as i64;
    if rng.chance(0.1) {
        start -= start.rem_euclid(1000); // whole seconds, to exercise `1.541761816E9`-style output
    }
    let mut record = SessionRecord::new(session_id);
    record.state = state;
    record.target = Some(rng.pick(targets).clone());
    record.status = Some(status(rng, state).to_string());
    record.start_date_ms = Some(start);
    if state == State::History {
        let room = (now_ms - start).max(2) as u64;
        record.end_date_ms = Some(start + 1 + rng.below(room.min(8 * 3_600_000)) as i64);
    }
    record.document_name = rng.chance(0.95).then(|| rng.pick(DOCUMENTS).to_string());
    record.owner = Some(owner(rng, name));
    record.reason = rng.chance(0.4).then(|| rng.pick(REASONS).to_string());
    record.details = rng.chance(0.15).then(|| rng.pick(DETAILS).to_string());
    record.output_url = output_url(rng, &record.session_id);
    record.max_session_duration = rng.chance(0.3).then(|| max_duration(rng));
    record.access_type = access_type(rng);
    record
}

fn status(rng: &mut SplitMix64, state: State) -> &'static str {
    let x = rng.next_f64();
    match state {
        State::Active if x < 0.6 => "Connected",
        State::Active if x < 0.7 => "Connecting",
        State::Active => "Disconnected",
        State::History if x < 0.8 => "Terminated",
        State::History if x < 0.85 => "Terminating",
        State::History => "Failed",
    }
}

fn owner(rng: &mut SplitMix64, name: &str) -> String {
    if rng.chance(0.6) {
        format!(
            "arn:aws:sts::{ACCOUNT}:assumed-role/{}/{name}",
            rng.pick(ROLES)
        )
    } else {
        format!("arn:aws:iam::{ACCOUNT}:user/{name}")
    }
}

/// Absent, `{}` (logging configured but nothing written yet) or with S3 and/or CloudWatch.
fn output_url(rng: &mut SplitMix64, session_id: &str) -> Option<OutputUrlRecord> {
    let x = rng.next_f64();
    if x < 0.35 {
        return None;
    }
    if x < 0.6 {
        return Some(OutputUrlRecord::default());
    }
    let s3 = rng.chance(0.7).then(|| {
        format!("https://ssm-session-logs-{ACCOUNT}.s3.us-east-1.amazonaws.com/sessions/{session_id}.log")
    });
    let cloudwatch = (s3.is_none() || rng.chance(0.5)).then(|| {
        format!(
            "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logEventViewer:group=/aws/ssm/sessions;stream={session_id}"
        )
    });
    Some(OutputUrlRecord {
        s3_output_url: s3,
        cloudwatch_output_url: cloudwatch,
    })
}

fn max_duration(rng: &mut SplitMix64) -> String {
    if rng.chance(0.7) {
        rng.pick(DURATIONS).to_string()
    } else {
        (1 + rng.below(1440)).to_string()
    }
}

fn access_type(rng: &mut SplitMix64) -> Option<String> {
    let x = rng.next_f64();
    if x < 0.4 {
        None
    } else if x < 0.85 {
        Some("Standard".into())
    } else {
        Some("JustInTime".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_764_300_000_000;

    #[test]
    fn deterministic_and_sized() {
        let a = generate_sessions(5, 30, 70, NOW);
        assert_eq!(a, generate_sessions(5, 30, 70, NOW));
        assert_ne!(a, generate_sessions(6, 30, 70, NOW));
        assert_eq!(a.iter().filter(|s| s.state == State::Active).count(), 30);
        assert_eq!(a.len(), 100);
    }

    #[test]
    fn sessions_are_realistic() {
        let all = generate_sessions(1, 500, 2000, NOW);
        let ids: HashSet<_> = all.iter().map(|s| &s.session_id).collect();
        assert_eq!(ids.len(), all.len());
        for s in &all {
            let start = s.start_date_ms.unwrap();
            assert!((NOW - THIRTY_DAYS_MS as i64..=NOW).contains(&start));
            let status = s.status.as_deref().unwrap();
            assert_eq!(State::for_status(status), s.state);
            match s.state {
                State::Active => assert_eq!(s.end_date_ms, None),
                State::History => {
                    assert!(s.end_date_ms.unwrap() > start && s.end_date_ms.unwrap() <= NOW)
                }
            }
            let (name, hex) = s.session_id.rsplit_once('-').unwrap();
            assert_eq!(hex.len(), 17);
            assert!(hex.chars().all(|c| c.is_ascii_hexdigit()));
            assert!(s.owner.as_deref().unwrap().ends_with(&format!("/{name}")));
            let target = s.target.as_deref().unwrap();
            assert!(target.starts_with("i-") || target.starts_with("mi-"));
            if let Some(d) = &s.max_session_duration {
                assert!((1..=1440).contains(&d.parse::<u32>().unwrap()));
            }
        }
        let has = |f: &dyn Fn(&SessionRecord) -> bool| all.iter().any(f);
        assert!(has(&|s| s.output_url == Some(OutputUrlRecord::default())));
        assert!(has(&|s| s.output_url.is_none()));
        assert!(has(&|s| s
            .reason
            .as_deref()
            .is_some_and(|r| r.contains('🚀'))));
        assert!(has(&|s| s.access_type.as_deref() == Some("JustInTime")));
        assert!(has(&|s| s.access_type.is_none()));
        assert!(has(&|s| s
            .target
            .as_deref()
            .is_some_and(|t| t.starts_with("mi-"))));
        assert!(has(&|s| s.start_date_ms.unwrap() % 1000 == 0));
    }
}
