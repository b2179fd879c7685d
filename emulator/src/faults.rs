//! Fault injection, deterministic from a seed and each request's sequence number.
//!
//! Every request gets the next sequence number (0, 1, 2, ... in arrival order). A random
//! fault is a pure function of (seed, sequence number) except for one rule: no random fault
//! right after a faulted request, so a client that retries always gets through on the next
//! attempt when it is the only client. `fail_next` faults are explicit and can follow each
//! other. Latency applies to every request, faulted or not.

use std::collections::VecDeque;
use std::sync::Mutex;

use crate::rng::mix64;

/// Random fault rates and the seed that makes them reproducible. Default: no faults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    pub seed: u64,
    /// Sleep this long before answering every request.
    pub latency_ms: u64,
    /// Fraction of requests answered 400 ThrottlingException.
    pub throttle_rate: f64,
    /// Fraction of requests answered 500 InternalServerError.
    pub server_error_rate: f64,
    /// Fraction of requests whose connection is closed without a response.
    pub drop_rate: f64,
}

/// What a faulted request gets instead of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    Throttle,
    ServerError,
    Drop,
}

impl FaultKind {
    /// The name used in the request log.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Throttle => "throttle",
            FaultKind::ServerError => "server_error",
            FaultKind::Drop => "drop",
        }
    }
}

/// The random fault for request `seq`, before the no-two-in-a-row rule.
pub(crate) fn roll(faults: &Faults, seq: u64) -> Option<FaultKind> {
    let draw = mix64(faults.seed ^ mix64(seq.wrapping_add(0x5EED)));
    let x = (draw >> 11) as f64 / (1u64 << 53) as f64;
    let throttle = faults.throttle_rate.max(0.0);
    let server = throttle + faults.server_error_rate.max(0.0);
    let drop = server + faults.drop_rate.max(0.0);
    if x < throttle {
        Some(FaultKind::Throttle)
    } else if x < server {
        Some(FaultKind::ServerError)
    } else if x < drop {
        Some(FaultKind::Drop)
    } else {
        None
    }
}

struct PlanState {
    next_seq: u64,
    previous_faulted: bool,
    forced: VecDeque<FaultKind>,
}

/// Hands out sequence numbers and decides each request's fault.
pub(crate) struct FaultPlan {
    faults: Faults,
    state: Mutex<PlanState>,
}

impl FaultPlan {
    pub(crate) fn new(faults: Faults) -> FaultPlan {
        let state = PlanState {
            next_seq: 0,
            previous_faulted: false,
            forced: VecDeque::new(),
        };
        FaultPlan {
            faults,
            state: Mutex::new(state),
        }
    }

    pub(crate) fn latency_ms(&self) -> u64 {
        self.faults.latency_ms
    }

    /// Queues `n` explicit faults for the next requests.
    pub(crate) fn fail_next(&self, n: u32, kind: FaultKind) {
        let mut state = self.lock();
        state.forced.extend(std::iter::repeat_n(kind, n as usize));
    }

    /// The sequence number and fault of the request arriving now.
    pub(crate) fn next(&self) -> (u64, Option<FaultKind>) {
        let mut state = self.lock();
        let seq = state.next_seq;
        state.next_seq += 1;
        let fault = match state.forced.pop_front() {
            Some(kind) => Some(kind),
            None if state.previous_faulted => None,
            None => roll(&self.faults, seq),
        };
        state.previous_faulted = fault.is_some();
        (seq, fault)
    }

    /// The lock only guards counters, so a panic elsewhere cannot leave it inconsistent.
    fn lock(&self) -> std::sync::MutexGuard<'_, PlanState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faults(seed: u64) -> Faults {
        Faults {
            seed,
            latency_ms: 0,
            throttle_rate: 0.2,
            server_error_rate: 0.2,
            drop_rate: 0.2,
        }
    }

    fn run(plan: &FaultPlan, n: usize) -> Vec<Option<FaultKind>> {
        (0..n).map(|_| plan.next().1).collect()
    }

    #[test]
    fn deterministic_for_a_seed() {
        let a = run(&FaultPlan::new(faults(42)), 500);
        assert_eq!(a, run(&FaultPlan::new(faults(42)), 500));
        assert_ne!(a, run(&FaultPlan::new(faults(43)), 500));
        for kind in [FaultKind::Throttle, FaultKind::ServerError, FaultKind::Drop] {
            assert!(a.contains(&Some(kind)));
        }
    }

    #[test]
    fn never_two_random_faults_in_a_row() {
        let all = Faults {
            throttle_rate: 1.0,
            ..faults(1)
        };
        let got = run(&FaultPlan::new(all), 100);
        for pair in got.windows(2) {
            assert!(pair[0].is_none() || pair[1].is_none());
        }
        assert_eq!(got.iter().filter(|f| f.is_some()).count(), 50);
    }

    #[test]
    fn no_faults_by_default() {
        assert!(
            run(&FaultPlan::new(Faults::default()), 1000)
                .iter()
                .all(Option::is_none)
        );
    }

    #[test]
    fn rates_are_roughly_honoured() {
        let f = Faults {
            seed: 9,
            throttle_rate: 0.1,
            ..Faults::default()
        };
        let hits = (0..100_000).filter(|&s| roll(&f, s).is_some()).count();
        assert!((9_000..11_000).contains(&hits), "{hits}");
    }

    #[test]
    fn forced_faults_come_first_and_may_repeat() {
        let plan = FaultPlan::new(Faults::default());
        plan.fail_next(2, FaultKind::Drop);
        plan.fail_next(1, FaultKind::Throttle);
        let got = run(&plan, 4);
        assert_eq!(
            got,
            [
                Some(FaultKind::Drop),
                Some(FaultKind::Drop),
                Some(FaultKind::Throttle),
                None
            ]
        );
    }
}
