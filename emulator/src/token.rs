//! Pagination tokens: opaque, tamper-evident and bound to the query that produced them.
//!
//! Format: standard base64 (no `_`, so botocore's legacy `token___n` parsing never
//! misreads one) of 24 bytes: a version byte, the offset into the State's newest-first
//! list as a big-endian u64, and the first 15 bytes of
//! HMAC-SHA256(per-emulator key, version | offset | State | sorted filters).
//! A token used with another State or other filters, from another emulator, or altered in
//! any way fails the MAC check and is an InvalidNextToken.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::record::State;

const VERSION: u8 = 1;
const MAC_LEN: usize = 15;
const TOKEN_LEN: usize = 1 + 8 + MAC_LEN;

/// Mints and checks tokens with one emulator's key.
#[derive(Clone)]
pub(crate) struct TokenKey {
    key: [u8; 32],
}

impl TokenKey {
    pub(crate) fn new(key: [u8; 32]) -> TokenKey {
        TokenKey { key }
    }

    pub(crate) fn mint(&self, offset: u64, state: State, filters: &[(String, String)]) -> String {
        let mut raw = Vec::with_capacity(TOKEN_LEN);
        raw.push(VERSION);
        raw.extend_from_slice(&offset.to_be_bytes());
        raw.extend_from_slice(&self.mac(offset, state, filters)[..MAC_LEN]);
        STANDARD.encode(raw)
    }

    /// The offset carried by `token`, if it is genuine and was minted for this query.
    pub(crate) fn open(
        &self,
        token: &str,
        state: State,
        filters: &[(String, String)],
    ) -> Option<u64> {
        let raw = STANDARD.decode(token.trim()).ok()?;
        if raw.len() != TOKEN_LEN || raw[0] != VERSION {
            return None;
        }
        let offset = u64::from_be_bytes(raw[1..9].try_into().ok()?);
        let expected = self.mac(offset, state, filters);
        constant_time_eq(&raw[9..], &expected[..MAC_LEN]).then_some(offset)
    }

    fn mac(&self, offset: u64, state: State, filters: &[(String, String)]) -> [u8; 32] {
        // Lengths before strings so that no two different queries share an input.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .expect("HMAC accepts keys of any length");
        mac.update(&[VERSION]);
        mac.update(&offset.to_be_bytes());
        mac.update(state.as_str().as_bytes());
        mac.update(&(filters.len() as u64).to_be_bytes());
        for (key, value) in filters {
            for part in [key, value] {
                mac.update(&(part.len() as u64).to_be_bytes());
                mac.update(part.as_bytes());
            }
        }
        mac.finalize().into_bytes().into()
    }
}

/// Compares without an early exit, so timing reveals nothing about the expected bytes.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn round_trip_and_binding() {
        let key = TokenKey::new([7; 32]);
        let f = filters(&[("Owner", "a")]);
        let token = key.mint(400, State::History, &f);
        assert!(!token.contains('_'));
        assert_eq!(key.open(&token, State::History, &f), Some(400));
        assert_eq!(key.open(&token, State::Active, &f), None, "other state");
        assert_eq!(key.open(&token, State::History, &[]), None, "other filters");
        assert_eq!(
            key.open(&token, State::History, &filters(&[("Owner", "b")])),
            None
        );
        assert_eq!(
            TokenKey::new([8; 32]).open(&token, State::History, &f),
            None,
            "other emulator"
        );
    }

    #[test]
    fn garbage_and_tampering_fail() {
        let key = TokenKey::new([1; 32]);
        for garbage in [
            "",
            "abc",
            "!!!",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "eyJOZXh0VG9rZW4iOiBudWxsfQ==",
        ] {
            assert_eq!(key.open(garbage, State::Active, &[]), None, "{garbage}");
        }
        let token = key.mint(20, State::Active, &[]);
        let mut raw = STANDARD.decode(&token).unwrap();
        raw[8] ^= 1;
        assert_eq!(key.open(&STANDARD.encode(&raw), State::Active, &[]), None);
    }

    #[test]
    fn ambiguous_filter_splits_differ() {
        let key = TokenKey::new([2; 32]);
        let a = key.mint(1, State::Active, &filters(&[("Owner", "ab")]));
        assert_eq!(
            key.open(&a, State::Active, &filters(&[("Ownera", "b")])),
            None
        );
    }
}
