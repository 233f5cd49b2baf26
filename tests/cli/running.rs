//! A running engagement for the check-in and closing tests: a request, partners in the network
//! who answered it, and those selected.

use crate::support::Network;

/// Adds a partner to the network (`recruit add`, plus any `extra` flags); returns their id.
pub fn partner(net: &Network, first: &str, last: &str, extra: &[&str]) -> i64 {
    let clean = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    let email = format!("{}.{}@example.org", clean(first), clean(last));
    let mut args = vec!["recruit", "add", "--first", first, "--last", last, "--email", &email, "--consent"];
    args.extend_from_slice(extra);
    net.ok(&args).trim().parse().unwrap()
}

/// A request made with `request_flags` and recorded on `decided_on`, answered by each partner
/// and with all of them selected that day; returns the request's id.
pub fn engagement(net: &Network, request_flags: &[&str], partners: &[i64], decided_on: &str) -> i64 {
    let request = net.request_on(decided_on, request_flags);
    for p in partners {
        net.ok(&["recruit", "respond", &request.to_string(), &p.to_string(), "--interested"]);
    }
    net.select_on(request, partners, decided_on);
    request
}

/// The first column of each row that `sql` selects, as text.
pub fn column(net: &Network, sql: &str) -> Vec<Option<String>> {
    net.conn().prepare(sql).unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// The event log of a request: (kind, partner_id, detail), oldest first.
pub fn events(net: &Network, request: i64) -> Vec<(String, Option<i64>, String)> {
    net.conn()
        .prepare("SELECT kind, partner_id, detail FROM event WHERE request_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([request], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}
