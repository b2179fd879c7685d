//! The emulator's log of requests received: the most recent ones only, so that a
//! long-running `serve-local` does not grow without bound.

use std::collections::VecDeque;

/// How many requests the log keeps: far more than a test looks at.
pub const REQUEST_LOG_LIMIT: usize = 10_000;

/// The last `limit` entries pushed, oldest first.
#[derive(Debug)]
pub(crate) struct RequestLog<T> {
    entries: VecDeque<T>,
    limit: usize,
}

impl<T: Clone> RequestLog<T> {
    pub(crate) fn with_limit(limit: usize) -> Self {
        RequestLog {
            entries: VecDeque::new(),
            limit,
        }
    }

    pub(crate) fn push(&mut self, entry: T) {
        if self.entries.len() == self.limit {
            self.entries.pop_front();
        }
        if self.limit > 0 {
            self.entries.push_back(entry);
        }
    }

    pub(crate) fn to_vec(&self) -> Vec<T> {
        self.entries.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_most_recent_entries_oldest_first() {
        let mut log = RequestLog::with_limit(3);
        for n in 1..=5 {
            log.push(n);
        }
        assert_eq!(log.to_vec(), vec![3, 4, 5]);
    }

    #[test]
    fn keeps_everything_below_the_limit() {
        let mut log = RequestLog::with_limit(3);
        log.push("a");
        log.push("b");
        assert_eq!(log.to_vec(), vec!["a", "b"]);
    }
}
