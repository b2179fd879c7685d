//! The API fields of one session, stored compactly: every text member in one string.
//!
//! A listing makes and drops one record per session, across threads (parsed on the
//! runtime, freed by Python). One allocation per record instead of one per member, and a
//! record of ~100 bytes instead of ~400, keep that cheap.

use crate::timestamps::Timestamp;

/// A session's text members, in the API model's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    SessionId,
    Target,
    Status,
    DocumentName,
    Owner,
    Reason,
    Details,
    MaxSessionDuration,
    AccessType,
    S3OutputUrl,
    CloudWatchOutputUrl,
}

pub const TEXT_COUNT: usize = 11;

/// Every text member, present or not, as `SessionFields::new` takes them.
pub type Texts<'a> = [Option<&'a str>; TEXT_COUNT];

/// The API fields of one session.
///
/// The layout is canonical (members in a fixed order, absent ones empty), so the derived
/// `==` and `hash` compare contents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SessionFields {
    /// The present text members, concatenated in `Text` order.
    text: Box<str>,
    /// Where each member starts in `text`; it ends where the next one starts.
    starts: [u32; TEXT_COUNT],
    /// Bit `Text as usize` is set when the member is present (possibly empty).
    present: u16,
    pub start_date: Option<Timestamp>,
    pub end_date: Option<Timestamp>,
    /// Whether the service sent an `OutputUrl` (possibly `{}`).
    pub has_output_url: bool,
}

impl SessionFields {
    /// A record of these members; `Err` when their text would not fit a record (4 GiB).
    pub fn new(
        texts: Texts<'_>,
        start_date: Option<Timestamp>,
        end_date: Option<Timestamp>,
        has_output_url: bool,
    ) -> Result<SessionFields, String> {
        let length: usize = texts.iter().flatten().map(|t| t.len()).sum();
        if u32::try_from(length).is_err() {
            return Err(format!("a session's text is too long ({length} bytes)"));
        }
        let mut text = String::with_capacity(length);
        let mut starts = [0; TEXT_COUNT];
        let mut present = 0;
        for (index, member) in texts.iter().enumerate() {
            // Fits: the total length was checked above.
            starts[index] = text.len() as u32;
            if let Some(member) = member {
                text.push_str(member);
                present |= 1 << index;
            }
        }
        Ok(SessionFields {
            text: text.into_boxed_str(),
            starts,
            present,
            start_date,
            end_date,
            has_output_url,
        })
    }

    /// One text member, None when the service did not send it.
    pub fn text(&self, member: Text) -> Option<&str> {
        let index = member as usize;
        if self.present & (1 << index) == 0 {
            return None;
        }
        let start = self.starts[index] as usize;
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |&end| end as usize);
        self.text.get(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Text; TEXT_COUNT] = [
        Text::SessionId,
        Text::Target,
        Text::Status,
        Text::DocumentName,
        Text::Owner,
        Text::Reason,
        Text::Details,
        Text::MaxSessionDuration,
        Text::AccessType,
        Text::S3OutputUrl,
        Text::CloudWatchOutputUrl,
    ];

    #[test]
    fn every_member_reads_back_as_given() {
        let mut texts: Texts<'_> = [None; TEXT_COUNT];
        texts[Text::SessionId as usize] = Some("s-1");
        texts[Text::Reason as usize] = Some("Ünïcödé");
        texts[Text::Details as usize] = Some("");
        texts[Text::CloudWatchOutputUrl as usize] = Some("cw");
        let fields = SessionFields::new(texts, None, None, true).unwrap();
        for member in ALL {
            assert_eq!(fields.text(member), texts[member as usize], "{member:?}");
        }
    }

    #[test]
    fn an_empty_member_differs_from_an_absent_one() {
        let mut empty: Texts<'_> = [None; TEXT_COUNT];
        empty[Text::Owner as usize] = Some("");
        let empty = SessionFields::new(empty, None, None, false).unwrap();
        let absent = SessionFields::new([None; TEXT_COUNT], None, None, false).unwrap();
        assert_ne!(empty, absent);
        assert_eq!(absent, SessionFields::default());
    }
}
