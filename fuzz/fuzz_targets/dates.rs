//! Dates and the other answers of a sign-up form, as `src/domain/dates.rs` and
//! `src/csvio/values.rs` read them. Beyond "never panics": a date that is read can be stored and
//! read back, and what a reader accepts is what it promises.

#![no_main]

use engage::csvio::values::{self, DateError, DateOrder, Evidence};
use engage::domain::dates::{self, DateArg};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    // The coordinator's dates: strictly YYYY-MM-DD, written back the same.
    if let Some(day) = dates::parse_iso_date(text) {
        assert_eq!(dates::iso(day), text);
    }
    if let Ok(DateArg::On(day)) = dates::parse_date_arg(text) {
        assert_eq!(dates::parse_iso_date(&dates::iso(day)), Some(day));
    }

    // A sign-up's timestamp, in every order: whatever is read must be storable as the database
    // keeps dates and timestamps, and read back as the same day.
    let evidence = values::evidence(text);
    for order in [None, Some(DateOrder::Dmy), Some(DateOrder::Mdy), Some(DateOrder::Ymd)] {
        match values::parse_datetime(text, order) {
            Ok(at) => {
                let day = at.date();
                assert_eq!(dates::from_sql(&dates::iso(day)), Ok(day), "{text:?} read as {at}");
                let stamp = dates::iso_timestamp(at);
                assert_eq!(stamp.len(), 19, "{text:?} read as {at}");
            }
            Err(DateError::Ambiguous) => {
                assert!(order.is_none(), "{text:?}: an order was given, yet it is ambiguous");
                assert_eq!(evidence, Evidence::Ambiguous, "{text:?}");
            }
            Err(DateError::Invalid(why)) => assert!(!why.is_empty()),
        }
    }
    if let Evidence::Proves(_) = evidence {
        assert_ne!(values::parse_datetime(text, None), Err(DateError::Ambiguous), "{text:?}");
    }

    // The other answers: each either reads or gives a reason.
    match values::yes_no(text) {
        Ok(None) => assert!(text.trim().is_empty(), "{text:?}"),
        Ok(Some(_)) => {}
        Err(why) => assert!(!why.is_empty()),
    }
    if let Ok(Some(name)) = values::name(text) {
        assert!(name.chars().count() <= values::MAX_NAME);
        assert_eq!(values::has_hidden_characters(&name), None);
        assert_eq!(name, name.trim());
    }
    if let Ok(Some(phone)) = values::phone(text) {
        assert_eq!(values::has_hidden_characters(&phone), None);
    }
    let _ = values::community(text);
    for item in values::split_multi(text) {
        assert!(!item.is_empty() && item == item.trim(), "{text:?} gave the item {item:?}");
    }
});
